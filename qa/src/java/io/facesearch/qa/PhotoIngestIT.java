package io.facesearch.qa;

import org.junit.AfterClass;
import org.junit.Before;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Photo ingestion on the real node ({@code tests.rest.cluster}): a photo index made by {@code PUT _plugins/_face/index},
 * {@code _bulk} of every photo of the shared set ({@code face_search.faces.dir}: people/, group/, noface/, odd/), then
 * face counts, per-item errors, kNN search of every sampled photo by its own face, {@code _simulate} with
 * {@code on_failure}, {@code _reindex}, {@code _update_by_query} and a node restart.
 *
 * <p>The photos are ingested once, by the first test to run; every test then checks one aspect. The indices live
 * until the end of the class ({@code -Dface_search.qa.keep_indices=true} keeps them). The restart check calls
 * {@code qa/node restart --dir D} ({@code D} from {@code face_search.qa.node.dir}, default {@code target/qa-node};
 * the script from {@code face_search.qa.node.script}, default {@code qa/node}) and is skipped, with the reason, when
 * the script has no {@code restart} command or {@code D} is not the node under test.
 */
public class PhotoIngestIT extends FaceSearchRestTestCase {

    private static final String INDEX = "photos_it";
    private static final String COPY = "photos_it_copy";
    private static final String SMALL = "photos_it_ubq";
    private static final String PIPELINE = "face-search-" + INDEX;
    private static final int BULK_DOCS = 50;

    /** Files of the photo folders that are not photos (annotations): not sent. */
    private static final Set<String> NOT_PHOTOS = Set.of("tsv", "txt", "md", "json", "csv");
    /** At most this share of people/ photos may show no face. */
    private static final double PEOPLE_NO_FACE_MAX_SHARE = 0.01;
    private static final int NOFACE_MAX_FALSE_POSITIVES = 2;
    /** A VOC group photo may show this many faces fewer than its annotated boxes (tiny / profile faces). */
    private static final int GROUP_TOLERANCE = 1;
    /** Approximate face counts by eye from faces/README.md (the VOC photos' counts come from face_boxes.tsv). */
    private static final Map<String, Integer> GROUP_README_COUNTS = Map.of(
        "group/dlib_bald_guys.jpg", 30,
        "group/facenet-pytorch_multiface.jpg", 6,
        "group/fr_kit_with_rose.jpg", 2,
        "group/fr_obama_and_biden.jpg", 2,
        "group/fr_two_people.jpg", 2,
        "group/insightface_t1.jpg", 6
    );
    private static final int SEARCH_SAMPLE_MIN = 50;

    private record Photo(String path, String category, String identity) {}

    /** Tries of a bulk item answered 429 (memory short right now) before its 429 counts as its outcome. */
    private static final int BULK_ATTEMPTS = 5;

    private static String bulkBody(List<Photo> photos) throws IOException {
        StringBuilder body = new StringBuilder();
        for (Photo photo : photos) {
            body.append("{\"index\":{\"_index\":").append(jsonString(INDEX));
            body.append(",\"_id\":").append(jsonString(photo.path())).append("}}\n");
            body.append("{\"path\":").append(jsonString(photo.path())).append(",\"category\":").append(jsonString(photo.category()));
            if (photo.identity() != null) {
                body.append(",\"identity\":").append(jsonString(photo.identity()));
            }
            body.append(",\"image\":").append(jsonString(base64Photo(photo.path()))).append("}\n");
        }
        return body.toString();
    }

    /** One bulk item's outcome. */
    private record Item(String path, int bulk, int status, String errorType, String reason) {}

    /** What the index holds for one photo. */
    private record Stored(int faceCount, int faces, float[] firstEmbedding) {}

    private static List<Photo> photos;
    private static Map<String, Item> items;
    private static Map<String, Stored> stored;
    private static List<String> bulkErrorsFlags;
    private static Throwable setupFailure;
    private static long ingestMillis;

    // --- harness -----------------------------------------------------------------------------------------------

    @Override
    protected String clientSocketTimeout() {
        // a bulk of 50 photos, or a reindex through the face pipeline, can take minutes on a busy 2-core machine
        return "600s";
    }

    @Before
    public void ingestOnce() throws Exception {
        if (setupFailure != null) {
            throw new AssertionError("ingesting the photos failed in an earlier test", setupFailure);
        }
        if (stored != null) {
            return;
        }
        try {
            ingestAll();
        } catch (Throwable t) {
            setupFailure = t;
            throw t;
        }
    }

    @AfterClass
    public static void cleanUp() throws IOException {
        photos = null;
        items = null;
        stored = null;
        bulkErrorsFlags = null;
        setupFailure = null;
        if (Boolean.getBoolean("face_search.qa.keep_indices") == false) {
            deleteQuietly(INDEX, COPY, SMALL);
        }
    }

    private static void deleteQuietly(String... indices) throws IOException {
        for (String index : indices) {
            call("DELETE", "/" + index, null);
            call("DELETE", "/_ingest/pipeline/face-search-" + index, null);
        }
    }

    private static long count(String index) throws IOException {
        return asLong(callOk("GET", "/" + index + "/_count", null).body().get("count"));
    }

    // --- ingestion (once) ----------------------------------------------------------------------------------------

    private static List<Photo> listPhotos() throws IOException {
        Path root = facesDir();
        List<Photo> result = new ArrayList<>();
        for (String category : List.of("people", "group", "noface", "odd")) {
            Path dir = root.resolve(category);
            assertTrue("missing " + dir, Files.isDirectory(dir));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    String name = file.getFileName().toString();
                    String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
                    if (NOT_PHOTOS.contains(ext)) {
                        continue;
                    }
                    String path = root.relativize(file).toString().replace('\\', '/');
                    String identity = category.equals("people") ? file.getParent().getFileName().toString() : null;
                    result.add(new Photo(path, category, identity));
                }
            }
        }
        return result;
    }

    private void ingestAll() throws Exception {
        long start = System.nanoTime();
        deleteQuietly(INDEX, COPY, SMALL);
        assertHealthy("before ingest");

        // photos kept: the reindex test runs them through the pipeline again
        Answer created = callOk("PUT", "/_plugins/_face/index/" + INDEX, "{\"processor\":{\"remove_image\":false}}");
        assertEquals(created.body().toString(), Boolean.TRUE, created.body().get("acknowledged"));
        assertEquals(created.body().toString(), PIPELINE, created.body().get("pipeline"));
        assertEquals(created.body().toString(), EMBEDDING_DIMENSION, asInt(created.body().get("dimension")));
        Map<String, Object> settings = asMap(
            asMap(asMap(callOk("GET", "/" + INDEX + "/_settings", null).body().get(INDEX)).get("settings")).get("index")
        );
        assertEquals("default pipeline of " + INDEX, PIPELINE, settings.get("default_pipeline"));
        assertTrue("pipeline " + PIPELINE + " exists", callOk("GET", "/_ingest/pipeline/" + PIPELINE, null).body().containsKey(PIPELINE));

        List<Photo> all = listPhotos();
        Map<String, Item> results = new LinkedHashMap<>();
        List<String> errorsFlags = new ArrayList<>();
        int retried = 0;
        for (int from = 0, bulk = 0; from < all.size(); from += BULK_DOCS, bulk++) {
            List<Photo> pending = all.subList(from, Math.min(all.size(), from + BULK_DOCS));
            int failed = 0;
            long ms = 0;
            Object errorsFlag = null;
            // 429 means "memory is short right now, retry later": a client retries those items, or the whole request when
            // it is refused as a whole, as OpenSearch's own bulk clients do, and the items must then succeed; any other
            // failure is final
            for (int attempt = 1; pending.isEmpty() == false; attempt++) {
                if (attempt > 1) {
                    retried += pending.size();
                    Thread.sleep(500L * attempt);
                }
                long t0 = System.nanoTime();
                Answer answer = call("POST", "/_bulk", bulkBody(pending), "refresh", "wait_for");
                ms += TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                if (answer.status() == 429 && attempt < BULK_ATTEMPTS) {
                    // the whole request refused before any item ran (the in-flight requests breaker): all are tried again
                    continue;
                }
                assertOk("POST /_bulk", answer);
                errorsFlag = answer.body().get("errors");
                List<Map<String, Object>> bulkItems = asListOfMaps(answer.body().get("items"));
                assertEquals("items of bulk " + bulk, pending.size(), bulkItems.size());
                List<Photo> again = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    Map<String, Object> item = asMap(bulkItems.get(i).get("index"));
                    assertEquals("bulk items come back in order", pending.get(i).path(), item.get("_id"));
                    Map<String, Object> error = asMap(item.get("error"));
                    int status = asInt(item.get("status"));
                    if (status == 429 && attempt < BULK_ATTEMPTS) {
                        again.add(pending.get(i));
                        continue;
                    }
                    if (error != null) {
                        failed++;
                    }
                    results.put(
                        pending.get(i).path(),
                        new Item(
                            pending.get(i).path(),
                            bulk,
                            status,
                            error == null ? null : String.valueOf(error.get("type")),
                            error == null ? null : String.valueOf(error.get("reason"))
                        )
                    );
                }
                pending = again;
            }
            errorsFlags.add(bulk + ":" + errorsFlag + ":" + failed);
            log(String.format(Locale.ROOT, "bulk %d: %d docs, %d failed, %d ms", bulk, Math.min(BULK_DOCS, all.size() - from), failed, ms));
            assertHealthy("after bulk " + bulk);
        }
        log("bulk items retried after 429: " + retried);

        // what the index holds
        Map<String, Stored> docs = new TreeMap<>();
        Answer search = callOk(
            "POST",
            "/" + INDEX + "/_search",
            "{\"size\":5000,\"_source\":{\"includes\":[\"path\",\"photo.face_count\",\"faces.embedding\"]},\"query\":{\"match_all\":{}}}"
        );
        for (Map<String, Object> hit : hits(search)) {
            Map<String, Object> source = asMap(hit.get("_source"));
            List<Map<String, Object>> faces = source.get("faces") == null ? List.of() : asListOfMaps(source.get("faces"));
            float[] first = null;
            if (faces.isEmpty() == false) {
                List<?> embedding = (List<?>) faces.get(0).get("embedding");
                first = new float[embedding.size()];
                for (int i = 0; i < first.length; i++) {
                    first[i] = ((Number) embedding.get(i)).floatValue();
                }
            }
            Map<String, Object> photo = asMap(source.get("photo"));
            int faceCount = photo == null || photo.get("face_count") == null ? -1 : asInt(photo.get("face_count"));
            docs.put(String.valueOf(hit.get("_id")), new Stored(faceCount, faces.size(), first));
        }
        photos = all;
        items = results;
        bulkErrorsFlags = errorsFlags;
        stored = docs;
        ingestMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        log(String.format(Locale.ROOT, "ingested %d files (%d docs stored) in %.1f s", all.size(), docs.size(), ingestMillis / 1000.0));
    }

    private static List<Photo> photos(String category) {
        return photos.stream().filter(p -> p.category().equals(category)).toList();
    }

    private static Map<String, Integer> annotatedGroupCounts() throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        List<String> lines = Files.readAllLines(facesDir().resolve("group/face_boxes.tsv"), StandardCharsets.UTF_8);
        for (String line : lines) {
            String[] cols = line.split("\t");
            if (cols.length < 5 || cols[0].equals("path") || line.isBlank()) {
                continue;
            }
            counts.merge(cols[0], 1, Integer::sum);
        }
        return counts;
    }

    // --- tests -----------------------------------------------------------------------------------------------------

    public void testBulkItems() {
        List<String> problems = new ArrayList<>();
        Map<Integer, Integer> okPerBulk = new HashMap<>();
        for (Item item : items.values()) {
            if (item.status() == 201) {
                okPerBulk.merge(item.bulk(), 1, Integer::sum);
            }
        }
        for (Item item : items.values()) {
            if (BROKEN_ODD_FILES.containsKey(item.path())) {
                // each broken file fails alone, with the reason of the photo in field [image]
                String problem = brokenFileProblem(item.path(), "field [image]: ", item.status(), item.errorType(), item.reason());
                if (problem != null) {
                    problems.add(problem);
                }
                if (okPerBulk.getOrDefault(item.bulk(), 0) == 0) {
                    problems.add(item.path() + ": no other item of bulk " + item.bulk() + " succeeded");
                }
            } else if (item.status() != 201) {
                problems.add(item.path() + ": expected 201, got " + item.status() + " " + item.errorType() + ": " + item.reason());
            }
        }
        for (String broken : BROKEN_ODD_FILES.keySet()) {
            if (items.containsKey(broken) == false) {
                problems.add(broken + ": not in the photo folder any more");
            }
        }
        StringBuilder failed = new StringBuilder();
        items.values().stream().filter(i -> i.status() != 201).forEach(i -> failed.append(
            String.format(Locale.ROOT, "\n  %-32s bulk %d: %d %s: %s", i.path(), i.bulk(), i.status(), i.errorType(), i.reason())
        ));
        log("failed bulk items:" + failed);
        log("bulk errors flags (bulk:errors:failed): " + bulkErrorsFlags);
        assertTrue(String.join("\n", problems) + "\nfailed items:" + failed, problems.isEmpty());
        long good = items.values().stream().filter(i -> i.status() == 201).count();
        assertEquals("documents stored vs items created", good, stored.size());
    }

    public void testPeoplePhotosHaveFaces() {
        List<Photo> people = photos("people");
        List<String> noFace = new ArrayList<>();
        for (Photo photo : people) {
            Stored doc = stored.get(photo.path());
            assertNotNull(photo.path() + " not stored", doc);
            assertEquals(photo.path() + ": photo.face_count vs faces[]", doc.faceCount(), doc.faces());
            if (doc.faceCount() == 0) {
                noFace.add(photo.path());
            }
        }
        log(String.format(Locale.ROOT, "people photos with no face: %d of %d %s", noFace.size(), people.size(), noFace));
        assertThat(
            "people photos with no face: " + noFace,
            (double) noFace.size(),
            lessThanOrEqualTo(Math.floor(people.size() * PEOPLE_NO_FACE_MAX_SHARE))
        );
    }

    public void testNoFacePhotos() {
        Map<String, Integer> falsePositives = new TreeMap<>();
        for (Photo photo : photos("noface")) {
            Stored doc = stored.get(photo.path());
            assertNotNull(photo.path() + " not stored", doc);
            if (doc.faceCount() != 0) {
                falsePositives.put(photo.path(), doc.faceCount());
            }
        }
        log("noface false positives (path=faces): " + falsePositives);
        assertThat("noface photos with faces: " + falsePositives, falsePositives.size(), lessThanOrEqualTo(NOFACE_MAX_FALSE_POSITIVES));
    }

    public void testGroupFaceCounts() throws IOException {
        Map<String, Integer> annotated = annotatedGroupCounts();
        assertFalse("no annotations in group/face_boxes.tsv", annotated.isEmpty());
        List<String> table = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Photo photo : photos("group")) {
            Stored doc = stored.get(photo.path());
            assertNotNull(photo.path() + " not stored", doc);
            Integer boxes = annotated.get(photo.path());
            Integer byEye = GROUP_README_COUNTS.get(photo.path());
            // the processor and the detect API run the same engine with the same defaults: same count
            Answer detect = assertOk("detect " + photo.path(), detect(photo.path()));
            int detected = asInt(detect.body().get("face_count"));
            table.add(String.format(Locale.ROOT, "%-40s ingest=%d detect=%d annotated=%s readme=%s", photo.path(), doc.faceCount(), detected,
                boxes == null ? "-" : boxes, byEye == null ? (boxes == null ? "?" : boxes) : "~" + byEye));
            if (detected != doc.faceCount()) {
                problems.add(photo.path() + ": ingest found " + doc.faceCount() + " faces, detect " + detected);
            }
            if (boxes != null && doc.faceCount() < boxes - GROUP_TOLERANCE) {
                problems.add(photo.path() + ": " + doc.faceCount() + " faces, annotated " + boxes + " (tolerance " + GROUP_TOLERANCE + ")");
            }
        }
        for (String path : annotated.keySet()) {
            if (stored.containsKey(path) == false) {
                problems.add(path + ": annotated in face_boxes.tsv but not stored");
            }
        }
        log("group face counts:\n  " + String.join("\n  ", table));
        assertTrue(String.join("\n", problems) + "\n" + String.join("\n", table), problems.isEmpty());
    }

    public void testStoredDocumentShape() throws IOException {
        Answer search = callOk(
            "POST",
            "/" + INDEX + "/_search",
            // "*" asks for the vectors too, which a photo index leaves out of the default source
            "{\"size\":5000,\"_source\":{\"includes\":[\"*\"],\"excludes\":[\"image\"]},\"query\":{\"match_all\":{}}}"
        );
        Map<String, Object> models = localModels();
        Map<String, Object> embedder = asMap(models.get("embedder"));
        Map<String, Object> detector = asMap(models.get("detector"));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map<String, Object> hit : hits(search)) {
            String id = String.valueOf(hit.get("_id"));
            Map<String, Object> source = asMap(hit.get("_source"));
            Map<String, Object> photo = asMap(source.get("photo"));
            if (photo == null) {
                problems.add(id + ": no photo object");
                continue;
            }
            for (String f : List.of("width", "height", "format", "face_count", "model")) {
                if (photo.get(f) == null) {
                    problems.add(id + ": photo." + f + " missing in " + photo);
                }
            }
            Map<String, Object> model = asMap(photo.get("model"));
            if (model != null
                && (detector.get("name").equals(model.get("detector")) == false
                    || embedder.get("name").equals(model.get("embedder")) == false
                    || embedder.get("sha256").equals(model.get("embedder_sha256")) == false
                    || asInt(model.get("dimension")) != EMBEDDING_DIMENSION
                    || model.get("flip_average") instanceof Boolean == false)) {
                problems.add(id + ": photo.model " + model);
            }
            if (id.startsWith("people/") && source.get("identity") == null) {
                problems.add(id + ": no identity");
            }
            List<Map<String, Object>> faces = source.get("faces") == null ? List.of() : asListOfMaps(source.get("faces"));
            double previous = Double.MAX_VALUE;
            for (int i = 0; i < faces.size(); i++) {
                Map<String, Object> face = faces.get(i);
                for (String f : List.of("index", "score", "box", "landmarks", "quality", "embedding")) {
                    if (face.get(f) == null) {
                        problems.add(id + ": faces[" + i + "]." + f + " missing");
                    }
                }
                if (face.get("quality") != null) {
                    Map<String, Object> quality = asMap(face.get("quality"));
                    for (String f : List.of("size", "sharpness", "frontal")) {
                        if (quality.get(f) instanceof Number == false) {
                            problems.add(id + ": faces[" + i + "].quality." + f + " missing in " + quality);
                        }
                    }
                }
                if (face.get("index") != null && asInt(face.get("index")) != i) {
                    problems.add(id + ": faces[" + i + "].index = " + face.get("index"));
                }
                if (face.get("box") != null) {
                    Map<String, Object> box = asMap(face.get("box"));
                    double area = asDouble(box.get("width")) * asDouble(box.get("height"));
                    if (area > previous + 1e-3) {
                        problems.add(id + ": faces not largest first");
                    }
                    previous = area;
                }
                if (face.get("embedding") != null) {
                    List<?> embedding = (List<?>) face.get("embedding");
                    double norm = l2Norm(embedding);
                    if (embedding.size() != EMBEDDING_DIMENSION || Math.abs(norm - 1) > 1e-3) {
                        problems.add(id + ": faces[" + i + "].embedding has " + embedding.size() + " values, norm " + norm);
                    }
                }
            }
            checked++;
            if (problems.size() > 20) {
                break;
            }
        }
        assertTrue(String.join("\n", problems), problems.isEmpty());
        assertEquals(stored.size(), checked);
        // the mapping is the face mapping
        Map<String, Object> mappings = asMap(asMap(callOk("GET", "/" + INDEX + "/_mapping", null).body().get(INDEX)).get("mappings"));
        Map<String, Object> mapping = asMap(mappings.get("properties"));
        Map<String, Object> faces = asMap(mapping.get("faces"));
        assertEquals("nested", faces.get("type"));
        Map<String, Object> embedding = asMap(asMap(faces.get("properties")).get("embedding"));
        assertEquals("knn_vector", embedding.get("type"));
        assertEquals(EMBEDDING_DIMENSION, asInt(embedding.get("dimension")));
        Map<String, Object> method = asMap(embedding.get("method"));
        assertEquals("hnsw", method.get("name"));
        assertEquals("lucene", method.get("engine"));
        assertEquals("cosinesimil", method.get("space_type"));
    }

    public void testEveryPhotoIsFoundByItsOwnFace() throws IOException {
        List<String> sample = new ArrayList<>();
        List<String> people = new ArrayList<>();
        for (Map.Entry<String, Stored> e : stored.entrySet()) {
            if (e.getValue().firstEmbedding() == null) {
                continue;
            }
            if (e.getKey().startsWith("people/")) {
                people.add(e.getKey());
            } else {
                sample.add(e.getKey());   // every group/odd photo with a face (and any noface false positive)
            }
        }
        int step = Math.max(1, people.size() / Math.max(SEARCH_SAMPLE_MIN, 60));
        for (int i = 0; i < people.size(); i += step) {
            sample.add(people.get(i));
        }
        assertThat(sample.size(), greaterThanOrEqualTo(SEARCH_SAMPLE_MIN));
        List<String> problems = new ArrayList<>();
        int viaTies = 0;
        for (String id : sample) {
            float[] vector = stored.get(id).firstEmbedding();
            List<Map<String, Object>> hits = knn(INDEX, vector, 5);
            if (hits.isEmpty()) {
                problems.add(id + ": no hits");
                continue;
            }
            if (ids(hits).contains(id)) {
                continue;
            }
            // exact duplicates (the same pixels in another format) tie with the photo itself: look further
            double fifth = asDouble(hits.get(hits.size() - 1).get("_score"));
            if (hits.size() == 5 && fifth >= 0.9995 && ids(knn(INDEX, vector, 50)).contains(id)) {
                viaTies++;
                continue;
            }
            problems.add(id + ": not in its own top 5 " + ids(hits) + " scores " + hits.stream().map(h -> h.get("_score")).toList());
        }
        log(String.format(Locale.ROOT, "knn self-search: %d photos, %d found only past tied duplicates", sample.size(), viaTies));
        assertTrue(problems.size() + " of " + sample.size() + " photos not found by their own face:\n" + String.join("\n", problems), problems.isEmpty());
    }

    private static List<Map<String, Object>> knn(String index, float[] vector, int k) throws IOException {
        StringBuilder v = new StringBuilder("[");
        for (int i = 0; i < vector.length; i++) {
            v.append(i == 0 ? "" : ",").append(vector[i]);
        }
        v.append(']');
        String query = "{\"size\":" + k + ",\"_source\":[\"path\"],\"query\":{\"nested\":{\"path\":\"faces\",\"score_mode\":\"max\","
            + "\"query\":{\"knn\":{\"faces.embedding\":{\"vector\":" + v + ",\"k\":" + k + "}}}}}}";
        return hits(callOk("POST", "/" + index + "/_search", query));
    }

    /** The hits of a search answer. */
    private static List<Map<String, Object>> hits(Answer search) {
        return asListOfMaps(asMap(search.body().get("hits")).get("hits"));
    }

    private static List<String> ids(List<Map<String, Object>> hits) {
        return hits.stream().map(h -> String.valueOf(h.get("_id"))).toList();
    }

    public void testSimulateRecordsTheReasonOnFailure() throws IOException {
        String broken = base64Photo("odd/truncated_50pct.jpg");
        String good = base64Photo("people/Barack_Obama/fr_obama_small.jpg");
        String body = "{\"pipeline\":{\"processors\":[{\"face\":{\"field\":\"image\",\"remove_image\":true,\"on_failure\":[{\"set\":{"
            + "\"field\":\"face_error\",\"value\":\"{{ _ingest.on_failure_message }}\"}}]}}]},"
            + "\"docs\":[{\"_source\":{\"path\":\"odd/truncated_50pct.jpg\",\"image\":" + jsonString(broken) + "}},"
            + "{\"_source\":{\"path\":\"people/Barack_Obama/fr_obama_small.jpg\",\"image\":" + jsonString(good) + "}}]}";
        List<Map<String, Object>> docs = asListOfMaps(callOk("POST", "/_ingest/pipeline/_simulate", body).body().get("docs"));
        assertEquals(2, docs.size());
        Map<String, Object> failed = asMap(asMap(docs.get(0).get("doc")).get("_source"));
        assertNotNull("simulate of a broken photo: " + abbreviate(docs.get(0)), failed);
        String reason = String.valueOf(failed.get("face_error"));
        log("simulate on_failure message: " + reason);
        // on_failure_message is the innermost cause's message; the plugin's exception carries the reader's detail as
        // suppressed, not as its cause, so the message is the plugin's own reason, field included
        assertThat(reason, allOf(containsString("field [image]"), containsString("truncated")));
        assertNull("no faces for a broken photo", failed.get("faces"));
        Map<String, Object> ok = asMap(asMap(docs.get(1).get("doc")).get("_source"));
        assertNull("no error for a good photo: " + ok.get("face_error"), ok.get("face_error"));
        assertNull("remove_image drops the photo", ok.get("image"));
        assertThat(asInt(asMap(ok.get("photo")).get("face_count")), greaterThanOrEqualTo(1));

        // the stored pipeline, without on_failure: the document's error is the invalid image
        String stored = "{\"docs\":[{\"_source\":{\"image\":" + jsonString(broken) + "}}]}";
        Answer simulated = callOk("POST", "/_ingest/pipeline/" + PIPELINE + "/_simulate", stored);
        Map<String, Object> result = asListOfMaps(simulated.body().get("docs")).get(0);
        Map<String, Object> error = asMap(result.get("error"));
        assertNotNull("simulate with " + PIPELINE + ": " + abbreviate(result), error);
        assertEquals(error.toString(), "invalid_image_exception", error.get("type"));
        assertThat(String.valueOf(error.get("reason")), allOf(startsWith("field [image]: "), containsString("truncated")));
    }

    public void testReindexThroughThePipeline() throws IOException {
        assertHealthy("before reindex");
        callOk("PUT", "/_plugins/_face/index/" + COPY, null);
        long t0 = System.nanoTime();
        Answer reindex = callOk(
            "POST",
            "/_reindex",
            "{\"source\":{\"index\":\"" + INDEX + "\",\"size\":50},\"dest\":{\"index\":\"" + COPY + "\",\"pipeline\":\"" + PIPELINE + "\"}}",
            "refresh",
            "true",
            "timeout",
            "10m"
        );
        log(String.format(Locale.ROOT, "reindex of %d docs: %.1f s", stored.size(), (System.nanoTime() - t0) / 1e9));
        assertEquals("reindex failures: " + abbreviate(reindex.body().get("failures")), List.of(), reindex.body().get("failures"));
        assertEquals(reindex.body().toString(), (long) stored.size(), asLong(reindex.body().get("created")));
        assertEquals(count(INDEX), count(COPY));
        // faces present, and the same as in the source index (same engine, same photo)
        Answer copy = callOk(
            "POST",
            "/" + COPY + "/_search",
            "{\"size\":5000,\"_source\":[\"photo.face_count\",\"faces.index\"],\"query\":{\"match_all\":{}}}"
        );
        List<String> problems = new ArrayList<>();
        int withFaces = 0;
        for (Map<String, Object> hit : hits(copy)) {
            String id = String.valueOf(hit.get("_id"));
            Map<String, Object> source = asMap(hit.get("_source"));
            int faceCount = asInt(asMap(source.get("photo")).get("face_count"));
            int faces = source.get("faces") == null ? 0 : asListOfMaps(source.get("faces")).size();
            withFaces += faces > 0 ? 1 : 0;
            Stored original = stored.get(id);
            if (original == null || original.faceCount() != faceCount || faces != faceCount) {
                problems.add(id + ": " + faceCount + " faces (" + faces + " objects) in the copy, " + (original == null ? "absent" : original.faceCount())
                    + " in the source");
            }
        }
        assertTrue(String.join("\n", problems), problems.isEmpty());
        assertThat(withFaces, greaterThanOrEqualTo(stored.size() * 9 / 10));
        // the copy is searchable by face too
        String probe = "group/fr_two_people.jpg";
        assertTrue(ids(knn(COPY, stored.get(probe).firstEmbedding(), 5)).contains(probe));
        assertHealthy("after reindex");
    }

    public void testUpdateByQueryThroughThePipeline() throws IOException {
        callOk("PUT", "/_plugins/_face/index/" + SMALL, null);
        List<String> paths = List.of(
            "people/Barack_Obama/fr_obama_small.jpg",
            "group/fr_kit_with_rose.jpg",
            "noface/skimage_coffee.png",
            "odd/exif_orientation6.jpg"
        );
        StringBuilder bulk = new StringBuilder();
        for (String path : paths) {
            bulk.append("{\"index\":{\"_index\":\"").append(SMALL).append("\",\"_id\":").append(jsonString(path)).append("}}\n");
            bulk.append("{\"path\":").append(jsonString(path)).append(",\"image\":").append(jsonString(base64Photo(path))).append("}\n");
        }
        // pipeline=_none: stored as they are, without faces
        Answer indexed = callOk("POST", "/_bulk", bulk.toString(), "refresh", "true", "pipeline", "_none");
        assertEquals(indexed.body().toString(), Boolean.FALSE, indexed.body().get("errors"));
        Answer before = callOk("POST", "/" + SMALL + "/_search", "{\"query\":{\"exists\":{\"field\":\"photo.face_count\"}}}");
        assertEquals(0, asInt(asMap(asMap(before.body().get("hits")).get("total")).get("value")));

        Answer update = callOk("POST", "/" + SMALL + "/_update_by_query", null, "pipeline", "face-search-" + SMALL, "refresh", "true");
        assertEquals("update_by_query failures: " + update.body(), List.of(), update.body().get("failures"));
        assertEquals(update.body().toString(), paths.size(), asInt(update.body().get("updated")));
        Answer after = callOk("POST", "/" + SMALL + "/_search", "{\"size\":10,\"_source\":{\"excludes\":[\"image\"]}}");
        List<Map<String, Object>> hits = hits(after);
        assertEquals(paths.size(), hits.size());
        for (Map<String, Object> hit : hits) {
            String id = String.valueOf(hit.get("_id"));
            Map<String, Object> source = asMap(hit.get("_source"));
            assertNotNull(id + ": photo after update_by_query: " + source, source.get("photo"));
            int faceCount = asInt(asMap(source.get("photo")).get("face_count"));
            assertEquals(id + ": face count in " + SMALL + " vs " + INDEX, stored.get(id).faceCount(), faceCount);
            int faces = source.get("faces") == null ? 0 : asListOfMaps(source.get("faces")).size();
            assertEquals(id, faceCount, faces);
        }
        assertTrue(ids(knn(SMALL, stored.get("odd/exif_orientation6.jpg").firstEmbedding(), 2)).contains("odd/exif_orientation6.jpg"));
        assertHealthy("after update_by_query");
    }

    /** Stops and starts the same node, keeping its data: the documents are all still there and searchable. */
    public void testDocumentsSurviveANodeRestart() throws Exception {
        Path nodeDir = Paths.get(System.getProperty("face_search.qa.node.dir", "target/qa-node")).toAbsolutePath();
        Path script = Paths.get(System.getProperty("face_search.qa.node.script", "qa/node")).toAbsolutePath();
        Path env = nodeDir.resolve("qa-node.env");
        assumeTrue("no node started by qa/node in " + nodeDir + " (set face_search.qa.node.dir): restart check skipped", Files.isReadable(env));
        String recordedUrl = null;
        for (String line : Files.readAllLines(env, StandardCharsets.UTF_8)) {
            if (line.startsWith("url=")) {
                recordedUrl = line.substring("url=".length()).trim();
            }
        }
        String cluster = System.getProperty("tests.rest.cluster", "");
        URI recorded = recordedUrl == null ? null : URI.create(recordedUrl);
        assumeTrue(
            "the node in " + nodeDir + " (" + recordedUrl + ") is not the node under test (" + cluster + "): restart check skipped",
            recorded != null && cluster.split(",")[0].trim().endsWith(":" + recorded.getPort())
        );
        assertTrue("qa/node script not found at " + script + " (set face_search.qa.node.script)", Files.isRegularFile(script));

        assertHealthy("before restart");
        long before = count(INDEX);
        assertEquals("documents before restart", stored.size(), before);

        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "restart", "--dir", nodeDir.toString()).redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process process = pb.start();
        process.getOutputStream().close();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);   // ends when the script (and its pipes) end
        }
        boolean ended = process.waitFor(5, TimeUnit.MINUTES);
        if (ended == false) {
            process.destroyForcibly();
            fail("qa/node restart did not end in 5 minutes:\n" + output);
        }
        int exit = process.exitValue();
        log(String.format(Locale.ROOT, "qa/node restart: exit %d in %.1f s:\n%s", exit, (System.nanoTime() - t0) / 1e9, output.strip()));
        assumeFalse(
            "qa/node has no restart command yet (it needs `qa/node restart --dir D`: stop the node of D and start it again on the same "
                + "port with the same settings, keeping D/data): restart check skipped. Output: " + output.strip(),
            exit != 0 && output.contains("unknown command")
        );
        assertEquals("qa/node restart failed:\n" + output, 0, exit);

        // the node comes back with the same data
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try {
                assertHealthy("after restart");
                break;
            } catch (IOException | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
        call("GET", "/" + INDEX + "/_refresh", null);
        assertEquals("documents after restart", before, count(INDEX));
        String probe = "group/insightface_t1.jpg";
        assertTrue("face search after restart", ids(knn(INDEX, stored.get(probe).firstEmbedding(), 5)).contains(probe));
        // ingest still works (the models were loaded again)
        Answer detect = assertOk("detect after restart", detect("group/fr_two_people.jpg"));
        assertEquals(2, asInt(detect.body().get("face_count")));
    }
}
