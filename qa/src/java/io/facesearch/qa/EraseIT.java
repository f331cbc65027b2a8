package io.facesearch.qa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * On the real node: every photo of the faces folder (people, group, no-face and odd files) in one photo index, its
 * faces clustered; one person, Barack Obama, erased by an example photo of him that is not in the index. Then no photo
 * of him finds one of his faces, identify no longer names him, the others in his group photos are still found, the
 * deleted documents are merged away, and the audit index holds the erasure. Prints the counts, times, recall and
 * precision.
 */
public class EraseIT extends FaceSearchRestTestCase {
    private static final String INDEX = "erase_it";
    private static final String SUBJECT = "Barack_Obama";
    private static final String EXAMPLE = "people/Barack_Obama/fr_obama.jpg";
    /** Photos of the subject not under his folder: his face is in each, once. */
    private static final List<String> SUBJECT_ELSEWHERE = List.of(
        "odd/fr_32bit_rgba.png",
        "odd/fr_obama-1080p.jpg",
        "odd/fr_obama-240p.jpg",
        "odd/fr_obama_partial_face.jpg",
        "odd/fr_obama_partial_face2.jpg"
    );
    /** Group photos with the subject and Joe Biden. */
    private static final List<String> WITH_BIDEN = List.of("group/fr_obama_and_biden.jpg", "group/fr_two_people.jpg");
    private static final int BULK_DOCS = 40;
    private static final int BULK_ATTEMPTS = 5;

    @Override
    protected String clientSocketTimeout() {
        return "180s";
    }

    /** Every photo file of the faces folder but the example, by its path (the document id). */
    private static List<String> photos() throws IOException {
        List<String> photos = new ArrayList<>();
        for (String folder : List.of("people", "group", "noface", "odd")) {
            try (Stream<Path> files = Files.walk(facesDir().resolve(folder))) {
                files.filter(Files::isRegularFile)
                    .map(file -> facesDir().relativize(file).toString())
                    .filter(path -> path.endsWith(".tsv") == false && path.equals(EXAMPLE) == false)
                    .sorted()
                    .forEach(photos::add);
            }
        }
        return photos;
    }

    /** Indexes the photos, retrying items refused with 429; people's photos carry their folder as identity. */
    private int ingest(List<String> photos) throws IOException, InterruptedException {
        int failed = 0;
        for (int from = 0; from < photos.size(); from += BULK_DOCS) {
            List<String> pending = photos.subList(from, Math.min(photos.size(), from + BULK_DOCS));
            for (int attempt = 1; pending.isEmpty() == false; attempt++) {
                if (attempt > 1) {
                    Thread.sleep(500L * attempt);
                }
                StringBuilder bulk = new StringBuilder();
                for (String path : pending) {
                    bulk.append("{\"index\":{\"_index\":\"").append(INDEX).append("\",\"_id\":").append(jsonString(path)).append("}}\n");
                    bulk.append("{\"image\":").append(jsonString(base64Photo(path)));
                    if (path.startsWith("people/")) {
                        bulk.append(",\"identity\":").append(jsonString(Path.of(path).getParent().getFileName().toString()));
                    }
                    bulk.append("}\n");
                }
                Answer answer = call("POST", "/_bulk", bulk.toString());
                if (answer.status() == 429 && attempt < BULK_ATTEMPTS) {
                    continue;
                }
                assertOk("POST /_bulk", answer);
                List<String> again = new ArrayList<>();
                List<Map<String, Object>> items = asListOfMaps(answer.body().get("items"));
                for (int i = 0; i < pending.size(); i++) {
                    int status = asInt(asMap(items.get(i).get("index")).get("status"));
                    if (status == 429 && attempt < BULK_ATTEMPTS) {
                        again.add(pending.get(i));
                    } else if (status >= 300) {
                        assertTrue("only odd files may be refused: " + pending.get(i), pending.get(i).startsWith("odd/"));
                        failed++;
                    }
                }
                pending = again;
            }
        }
        callOk("POST", "/" + INDEX + "/_refresh", null);
        return failed;
    }

    /** Every face of the index with its vector: {@code id#position} to the vector. */
    private static Map<String, float[]> faces() throws IOException {
        Map<String, float[]> faces = new TreeMap<>();
        Map<String, Object> body = callOk(
            "POST",
            "/" + INDEX + "/_search",
            "{\"size\":10000,\"_source\":[\"faces.embedding\"],\"query\":{\"match_all\":{}}}"
        ).body();
        for (Map<String, Object> hit : asListOfMaps(asMap(body.get("hits")).get("hits"))) {
            List<Map<String, Object>> list = asListOfMaps(asMap(hit.get("_source")).get("faces"));
            if (list == null) {
                continue;
            }
            for (int i = 0; i < list.size(); i++) {
                List<?> values = (List<?>) list.get(i).get("embedding");
                float[] vector = new float[values.size()];
                for (int d = 0; d < vector.length; d++) {
                    vector[d] = ((Number) values.get(d)).floatValue();
                }
                faces.put(hit.get("_id") + "#" + i, vector);
            }
        }
        return faces;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /**
     * The subject's faces in the index: the main (or only) face of each of his photos, and in each group photo the face
     * nearest to the mean of those (his labelled photos, not the example, decide).
     */
    private static Set<String> subjectFaces(Map<String, float[]> faces, List<String> indexed) {
        Set<String> subject = new TreeSet<>();
        float[] mean = new float[EMBEDDING_DIMENSION];
        for (String photo : indexed) {
            boolean his = photo.startsWith("people/" + SUBJECT + "/") || SUBJECT_ELSEWHERE.contains(photo);
            if (his && faces.containsKey(photo + "#0")) {
                subject.add(photo + "#0");
                float[] vector = faces.get(photo + "#0");
                for (int d = 0; d < mean.length; d++) {
                    mean[d] += vector[d];
                }
            }
        }
        for (String group : WITH_BIDEN) {
            String best = null;
            double bestSimilarity = -2;
            for (Map.Entry<String, float[]> face : faces.entrySet()) {
                if (face.getKey().startsWith(group + "#")) {
                    double similarity = cosine(mean, face.getValue());
                    if (similarity > bestSimilarity) {
                        bestSimilarity = similarity;
                        best = face.getKey();
                    }
                }
            }
            subject.add(best);
        }
        return subject;
    }

    /** Runs an erasure as a task and returns its answer. */
    private static Map<String, Object> erase(String body) throws IOException, InterruptedException {
        String task = (String) callOk("POST", "/_plugins/_face/index/" + INDEX + "/_erase", body, "wait_for_completion", "false").body().get("task");
        for (int i = 0; i < 600; i++) {
            Map<String, Object> status = callOk("GET", "/_tasks/" + task, null).body();
            if (Boolean.TRUE.equals(status.get("completed"))) {
                assertNull(abbreviate(status.get("error")), status.get("error"));
                return asMap(status.get("response"));
            }
            Thread.sleep(500);
        }
        throw new AssertionError("erasure " + task + " did not end in 300 s");
    }

    public void testAPersonErasedByAnExamplePhoto() throws Exception {
        call("DELETE", "/_plugins/_face/index/" + INDEX, null);
        call("DELETE", "/" + INDEX + "-people", null);
        callOk("PUT", "/_plugins/_face/index/" + INDEX, "{\"settings\":{\"number_of_shards\":2}}");
        List<String> photos = photos();
        long start = System.nanoTime();
        int refused = ingest(photos);
        log(String.format(Locale.ROOT, "indexed %d photos (%d odd files refused) in %.1f s", photos.size() - refused, refused, (System.nanoTime() - start) / 1e9));
        callOk("POST", "/_plugins/_face/people/" + INDEX + "/_cluster", "");

        Map<String, float[]> before = faces();
        Set<String> subject = subjectFaces(before, photos);
        String example = "{\"image\":" + jsonString(base64Photo(EXAMPLE));

        Map<String, Object> dry = erase(example + ",\"dry_run\":true}");
        Set<String> matched = new TreeSet<>();
        for (Map<String, Object> photo : asListOfMaps(dry.get("photos"))) {
            for (Map<String, Object> face : asListOfMaps(photo.get("faces"))) {
                matched.add(photo.get("_id") + "#" + face.get("face"));
            }
        }
        Set<String> wrong = new TreeSet<>(matched);
        wrong.removeAll(subject);
        Set<String> missed = new TreeSet<>(subject);
        missed.removeAll(matched);
        log(String.format(
            Locale.ROOT,
            "dry run: %d faces of %d photos match in %d ms; the subject has %d faces indexed: recall %.4f (missed %s), faces of others %d %s",
            matched.size(), asLong(dry.get("photos_matched")), asLong(dry.get("took")), subject.size(),
            (subject.size() - missed.size()) / (double) subject.size(), missed, wrong.size(), wrong
        ));
        assertEquals("no face of anyone else is erased at the default threshold: " + wrong, Set.of(), wrong);
        assertTrue("recall " + missed, subject.size() - missed.size() >= subject.size() * 0.9);

        Map<String, Object> erased = erase(example + ",\"expunge\":true}");
        Map<String, Object> expunge = asMap(erased.get("expunge"));
        log("erasure: " + abbreviate(erased));
        assertEquals(Boolean.TRUE, erased.get("verified"));
        assertEquals(matched.size(), asInt(erased.get("faces_removed")));
        assertEquals(0, asInt(expunge.get("deleted_documents_after")));

        // none of his photos finds one of his faces, and identify names him no more
        Map<String, float[]> after = faces();
        assertEquals(before.size() - matched.size(), after.size());
        List<String> probes = new ArrayList<>(List.of(EXAMPLE));
        photos.stream().filter(p -> p.startsWith("people/" + SUBJECT + "/")).forEach(probes::add);
        probes.addAll(SUBJECT_ELSEWHERE);
        int found = 0;
        for (String probe : probes) {
            String image = jsonString(base64Photo(probe));
            Map<String, Object> hits = asMap(callOk(
                "POST",
                "/" + INDEX + "/_search",
                "{\"size\":10,\"_source\":false,\"query\":{\"face_match\":{\"image\":" + image + ",\"min_similarity\":0.4}}}"
            ).body().get("hits"));
            found += asListOfMaps(hits.get("hits")).size();
            Map<String, Object> identified = callOk("POST", "/_plugins/_face/identify", "{\"index\":\"" + INDEX + "\",\"image\":" + image + "}").body();
            assertNotEquals(probe, SUBJECT, identified.get("identity"));
        }
        log("face_match at 0.4 with " + probes.size() + " photos of him: " + found + " hits");
        assertEquals(0, found);

        // Biden, beside him in two group photos, still finds the other one
        String biden = null;
        for (String face : after.keySet()) {
            if (face.startsWith(WITH_BIDEN.get(0) + "#")) {
                for (String other : after.keySet()) {
                    if (other.startsWith(WITH_BIDEN.get(1) + "#") && cosine(after.get(face), after.get(other)) >= 0.4) {
                        biden = face;
                    }
                }
            }
        }
        assertNotNull("a face of " + WITH_BIDEN.get(0) + " is still like one of " + WITH_BIDEN.get(1), biden);
        String[] reference = biden.split("#");
        Map<String, Object> bidenHits = asMap(callOk(
            "POST",
            "/" + INDEX + "/_search",
            "{\"_source\":false,\"query\":{\"face_match\":{\"face\":{\"index\":\"" + INDEX + "\",\"id\":" + jsonString(reference[0]) + ",\"face\":"
                + reference[1] + "},\"min_similarity\":0.4}}}"
        ).body().get("hits"));
        List<Object> ids = new ArrayList<>();
        asListOfMaps(bidenHits.get("hits")).forEach(hit -> ids.add(hit.get("_id")));
        assertTrue(ids.toString(), ids.containsAll(WITH_BIDEN));

        Map<String, Object> audit = callOk(
            "POST",
            "/.face-search-audit/_search",
            "{\"query\":{\"terms\":{\"indices\":[\"" + INDEX + "\"]}},\"sort\":[{\"@timestamp\":\"desc\"}],\"size\":1}"
        ).body();
        Map<String, Object> record = asMap(asListOfMaps(asMap(audit.get("hits")).get("hits")).get(0).get("_source"));
        assertEquals(Boolean.TRUE, record.get("verified"));
        assertEquals("image", asMap(record.get("criteria")).get("example"));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("faces_before", before.size());
        counts.put("faces_after", after.size());
        counts.put("expunge", expunge);
        log("erasure figures: " + counts);
    }
}
