package io.facesearch.query;

import io.facesearch.common.StoredVectors;
import io.facesearch.index.mapper.VectorFieldMapping;
import io.facesearch.ingest.VectorCompression;

import org.opensearch.client.Request;
import org.opensearch.core.common.Strings;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.index.IndexService;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.Rewriteable;
import org.opensearch.indices.IndicesService;
import org.opensearch.knn.index.SpaceType;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Photo indices whose face vectors are compressed ({@code x4}: 7-bit scalar quantization, {@code x32}: 1-bit binary
 * quantization, {@code int8}: 8-bit integer vectors) on an in-JVM node with the real k-NN plugin, beside an uncompressed one holding the same real photos:
 * what the k-NN plugin makes of the mapping, and that face_match and identify answer on them as on floats.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class VectorCompressionTests extends IdentifyTestCase {
    /** About 40 photos: every 8th gallery identity and every 14th distractor of the identification split. */
    private static final int GALLERY_STRIDE = 8;
    private static final int DISTRACTOR_STRIDE = 14;
    /** Probes asked about: at most this many, each of an enrolled identity, none of them indexed. */
    private static final int PROBES = 16;
    private static final Map<VectorCompression, String> INDICES = new LinkedHashMap<>();
    static {
        for (VectorCompression compression : VectorCompression.values()) {
            INDICES.put(compression, "photos_" + compression.value());
        }
    }

    private static final List<VectorCompression> COMPRESSED = List.of(VectorCompression.X4, VectorCompression.X32, VectorCompression.INT8);

    private static List<Entry> gallery;
    private static List<Entry> probes;

    /** Indexes the photos into an index per compression (the test cluster deletes its indices after each test). */
    private void indexPhotos() throws IOException {
        if (gallery == null) {
            choosePhotos();
        }
        for (Map.Entry<VectorCompression, String> index : INDICES.entrySet()) {
            String body = index.getKey() == VectorCompression.NONE ? "{}" : "{\"compression\":\"" + index.getKey().value() + "\"}";
            Map<String, Object> created = call(jsonRequest("PUT", "/_plugins/_face/index/" + index.getValue(), body));
            assertEquals(index.getKey().value(), created.get("compression"));
            StringBuilder bulk = new StringBuilder();
            for (int i = 0; i < gallery.size(); i++) {
                Entry entry = gallery.get(i);
                bulk.append("{\"index\":{\"_index\":\"").append(index.getValue()).append("\",\"_id\":\"g").append(i).append("\"}}\n");
                bulk.append("{\"image\":\"").append(base64(entry.path())).append("\",\"identity\":\"").append(entry.identity()).append("\"}\n");
            }
            Map<String, Object> result = call(jsonRequest("POST", "/_bulk?refresh=true", bulk.toString()));
            assertEquals(result.toString(), false, result.get("errors"));
        }
    }

    private static void choosePhotos() {
        List<Entry> chosen = new ArrayList<>();
        List<String> enrolled = new ArrayList<>();
        int galleries = 0;
        int distractors = 0;
        for (Entry entry : split()) {
            if (entry.role().equals("gallery") && galleries++ % GALLERY_STRIDE == 0) {
                chosen.add(entry);
                enrolled.add(entry.identity());
            } else if (entry.role().equals("gallery_distractor") && distractors++ % DISTRACTOR_STRIDE == 0) {
                chosen.add(entry);
            }
        }
        List<Entry> asked = new ArrayList<>();
        for (Entry entry : split()) {
            if (entry.role().equals("probe") && enrolled.contains(entry.identity()) && asked.size() < PROBES) {
                asked.add(entry);
            }
        }
        assertTrue("photos " + chosen.size(), chosen.size() >= 35);
        assertTrue("probes " + asked.size(), asked.size() >= 10);
        gallery = chosen;
        probes = asked;
    }

    /**
     * The k-NN plugin takes each mapping and resolves the compression from it, the index API reports it, and face_match
     * asks the k-NN plugin for the rescoring of the compression on each shard.
     */
    public void testTheKnnPluginResolvesEachCompression() throws IOException {
        indexPhotos();
        for (Map.Entry<VectorCompression, String> index : INDICES.entrySet()) {
            Map<String, Object> report = call(new Request("GET", "/_plugins/_face/index/" + index.getValue()));
            assertEquals(report.toString(), index.getKey().value(), report.get("compression"));
            assertEquals(report.toString(), true, report.get("ready"));
            Map<String, Object> count = call(new Request("GET", "/" + index.getValue() + "/_count"));
            assertEquals(gallery.size(), ((Number) count.get("count")).intValue());

            // the 1-bit vectors are read through NIO, so that Lucene scores them where the k-NN plugin's SIMD library is missing
            Map<String, Object> settings = call(new Request("GET", "/" + index.getValue() + "/_settings?flat_settings=true"));
            Object nio = ((Map<?, ?>) ((Map<?, ?>) settings.get(index.getValue())).get("settings")).get("index.store.hybrid.nio.extensions");
            if (index.getKey() == VectorCompression.X32) {
                assertTrue(String.valueOf(nio), nio instanceof List<?> list && list.contains("veq") && list.contains("cfs"));
            } else {
                assertNull(nio);
            }
            QueryShardContext shard = shardContext(index.getValue());
            assertEquals(index.getKey(), VectorFieldMapping.compressionInShard(shard, "faces.embedding"));
            SpaceType space = index.getKey() == VectorCompression.INT8 ? SpaceType.INNER_PRODUCT : SpaceType.COSINESIMIL;
            assertEquals(space, VectorFieldMapping.spaceInShard(shard, "faces.embedding"));
            String knn = rewritten(shard, FaceMatchQueryBuilder.builder(null).vector(new float[128]).k(5).build());
            if (index.getKey().rescorable()) {
                assertTrue(knn, knn.contains("\"rescore\":{\"oversample_factor\":" + index.getKey().defaultOversampleFactor() + "}"));
                String given = rewritten(shard, FaceMatchQueryBuilder.builder(null).vector(new float[128]).rescore(KnnRescore.oversample(7)).build());
                assertTrue(given, given.contains("\"rescore\":{\"oversample_factor\":7.0}"));
            } else {
                assertFalse(knn, knn.contains("rescore"));
            }
        }
    }

    /**
     * For every probe, face_match finds the same top photo on every compression, with the float index's score: the
     * same once rescored with the float vectors, within the 8-bit rounding on int8.
     */
    public void testFaceMatchFindsTheSameTopPhoto() throws IOException {
        indexPhotos();
        for (Entry probe : probes) {
            String query = "{\"face_match\":{\"image\":\"" + base64(probe.path()) + "\",\"k\":5}}";
            List<Map<?, ?>> reference = hits(search(INDICES.get(VectorCompression.NONE), query));
            assertFalse(probe.path(), reference.isEmpty());
            for (VectorCompression compression : COMPRESSED) {
                List<Map<?, ?>> found = hits(search(INDICES.get(compression), query));
                assertFalse(probe.path(), found.isEmpty());
                assertEquals(probe.path() + " on " + compression, reference.get(0).get("_id"), found.get(0).get("_id"));
                assertEquals(
                    probe.path() + " on " + compression,
                    ((Number) reference.get(0).get("_score")).doubleValue(),
                    ((Number) found.get(0).get("_score")).doubleValue(),
                    scoreTolerance(compression)
                );
            }
        }
    }

    /** How far a score may be from the float index's: rescored scores are the same; 8-bit ones within the rounding. */
    private static double scoreTolerance(VectorCompression compression) {
        // a score is (1 + cosine) / 2, and int8 cosines are within about 0.002 of the floats'
        return compression == VectorCompression.INT8 ? 0.002 : 1e-4;
    }

    /** identify, which searches through face_match, answers alike on every compression. */
    public void testIdentifyAnswersAlike() throws IOException {
        indexPhotos();
        int right = 0;
        for (Entry probe : probes) {
            Map<String, Object> reference = identify(INDICES.get(VectorCompression.NONE), probe.path());
            for (VectorCompression compression : COMPRESSED) {
                Map<String, Object> identified = identify(INDICES.get(compression), probe.path());
                for (String key : List.of("identity", "known", "votes", "leading_identity")) {
                    assertEquals(probe.path() + " " + key + " on " + compression, reference.get(key), identified.get(key));
                }
                assertEquals(
                    probe.path() + " on " + compression,
                    ((Number) reference.get("best_similarity")).doubleValue(),
                    ((Number) identified.get("best_similarity")).doubleValue(),
                    2 * scoreTolerance(compression)
                );
            }
            if (probe.identity().equals(reference.get("identity"))) {
                right++;
            }
        }
        assertTrue(right + " of " + probes.size() + " probes named right", right >= probes.size() * 0.8);
    }

    /**
     * The rescoring options reach the k-NN plugin: without rescoring the 1-bit scores are approximate, with it exact;
     * min_similarity, a filter on the score rather than a radial search (which the k-NN plugin refuses on quantized
     * fields), keeps working on x32.
     */
    public void testRescoreOptionsAndMinSimilarityOnX32() throws IOException {
        indexPhotos();
        String x32 = INDICES.get(VectorCompression.X32);
        String none = INDICES.get(VectorCompression.NONE);
        Entry probe = probes.get(0);
        String image = base64(probe.path());
        double exact = topScore(search(none, "{\"face_match\":{\"image\":\"" + image + "\",\"k\":5}}"));
        double oversampled = topScore(
            search(x32, "{\"face_match\":{\"image\":\"" + image + "\",\"k\":5,\"rescore\":{\"oversample_factor\":10}}}")
        );
        assertEquals(exact, oversampled, 1e-4);
        double approximate = topScore(search(x32, "{\"face_match\":{\"image\":\"" + image + "\",\"k\":5,\"rescore\":false}}"));
        assertNotEquals("1-bit scores are not the float ones", exact, approximate, 1e-4);

        // a threshold between the best photo's similarity and the rest keeps only the photos at or above it
        double bestSimilarity = 2 * exact - 1;
        float threshold = (float) (bestSimilarity - 0.001);
        Map<String, Object> filtered = search(
            x32,
            "{\"face_match\":{\"image\":\"" + image + "\",\"k\":10,\"min_similarity\":" + threshold + "}}"
        );
        List<Map<?, ?>> kept = hits(filtered);
        assertFalse(kept.isEmpty());
        for (Map<?, ?> hit : kept) {
            assertTrue(hit.toString(), 2 * ((Number) hit.get("_score")).doubleValue() - 1 >= threshold - 1e-6);
        }
        List<Map<?, ?>> all = hits(search(x32, "{\"face_match\":{\"image\":\"" + image + "\",\"k\":10}}"));
        assertTrue(kept.size() + " of " + all.size(), kept.size() < all.size());
    }

    /** With expand_nested_docs, which the k-NN plugin does not rescore, the faces are still scored exactly on x32. */
    public void testExpandedFacesAreScoredExactly() throws IOException {
        indexPhotos();
        String query = "{\"face_match\":{\"image\":\"" + base64(probes.get(1).path()) + "\",\"k\":3,\"expand_nested_docs\":true}}";
        List<Map<?, ?>> reference = hits(search(INDICES.get(VectorCompression.NONE), query));
        List<Map<?, ?>> found = hits(search(INDICES.get(VectorCompression.X32), query));
        assertFalse(found.isEmpty());
        assertEquals(reference.get(0).get("_id"), found.get(0).get("_id"));
        assertEquals(((Number) reference.get(0).get("_score")).doubleValue(), ((Number) found.get(0).get("_score")).doubleValue(), 1e-4);
    }

    /**
     * An int8 index keeps its face vectors as 8-bit integers, and an erasure by an example photo over a float index and
     * an int8 one at once (the example given to each as its vectors are stored) removes the same faces from both.
     */
    public void testInt8StoresIntegersAndErasesAsFloatsDo() throws IOException {
        indexPhotos();
        String none = INDICES.get(VectorCompression.NONE);
        String int8 = INDICES.get(VectorCompression.INT8);
        Map<?, ?> source = (Map<?, ?>) call(new Request("GET", "/" + int8 + "/_doc/g0?_source_includes=faces.embedding")).get("_source");
        List<?> embedding = (List<?>) ((Map<?, ?>) ((List<?>) source.get("faces")).get(0)).get("embedding");
        assertEquals(128, embedding.size());
        for (Object value : embedding) {
            assertTrue(value.toString(), value instanceof Integer integer && integer >= -128 && integer <= 127);
        }

        Entry probe = probes.get(0);
        Map<String, Object> erased = call(
            jsonRequest(
                "POST",
                "/_plugins/_face/index/" + none + "," + int8 + "/_erase",
                "{\"image\":\"" + base64(probe.path()) + "\",\"min_similarity\":0.4}"
            )
        );
        assertEquals(erased.toString(), true, erased.get("verified"));
        Map<?, ?> byIndex = (Map<?, ?>) erased.get("indices");
        Object removedFromFloats = ((Map<?, ?>) byIndex.get(none)).get("faces_removed");
        assertTrue(erased.toString(), ((Number) removedFromFloats).intValue() >= 1);
        assertEquals(erased.toString(), removedFromFloats, ((Map<?, ?>) byIndex.get(int8)).get("faces_removed"));
        assertEquals(erased.toString(), 0, ((Number) erased.get("faces_remaining")).intValue());
    }

    /**
     * An int8 index compares its integers by inner product, and an int8 index compared by cosine (as such indices were
     * made before) holds the same integers: face_match scores every face of both (1 + cosine) / 2 of the integers,
     * ranked photos, expanded faces and min_similarity alike.
     */
    public void testInt8ScoresAreCosinesWhetherComparedByInnerProductOrByCosine() throws IOException {
        indexPhotos();
        String innerProduct = INDICES.get(VectorCompression.INT8);
        String cosine = "photos_int8_cosine";
        call(
            jsonRequest(
                "PUT",
                "/" + cosine,
                "{\"settings\":{\"index.knn\":true,\"number_of_shards\":1},\"mappings\":{\"properties\":{\"faces\":{\"type\":\"nested\","
                    + "\"properties\":{\"embedding\":{\"type\":\"knn_vector\",\"dimension\":128,\"data_type\":\"byte\",\"method\":"
                    + "{\"name\":\"hnsw\",\"engine\":\"lucene\",\"space_type\":\"cosinesimil\"}}}}}}}"
            )
        );
        Map<String, List<float[]>> faces = new LinkedHashMap<>();
        Map<String, Object> all = call(
            jsonRequest("POST", "/" + innerProduct + "/_search", "{\"size\":100,\"_source\":[\"faces.embedding\"],\"query\":{\"match_all\":{}}}")
        );
        StringBuilder bulk = new StringBuilder();
        for (Map<?, ?> hit : hits(all)) {
            List<float[]> vectors = new ArrayList<>();
            StringBuilder document = new StringBuilder("{\"faces\":[");
            for (Object face : (List<?>) ((Map<?, ?>) hit.get("_source")).get("faces")) {
                List<?> embedding = (List<?>) ((Map<?, ?>) face).get("embedding");
                float[] vector = new float[embedding.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = ((Number) embedding.get(i)).floatValue();
                }
                vectors.add(vector);
                document.append(vectors.size() == 1 ? "" : ",").append("{\"embedding\":").append(embedding).append('}');
            }
            faces.put(hit.get("_id").toString(), vectors);
            bulk.append("{\"index\":{\"_index\":\"").append(cosine).append("\",\"_id\":\"").append(hit.get("_id")).append("\"}}\n");
            bulk.append(document).append("]}\n");
        }
        assertEquals(gallery.size(), faces.size());
        Map<String, Object> indexed = call(jsonRequest("POST", "/_bulk?refresh=true", bulk.toString()));
        assertEquals(indexed.toString(), false, indexed.get("errors"));

        for (int query = 0; query < 5; query++) {
            // a face of the gallery, moved a little: floats, as a client sends them
            float[] given = faces.get("g" + random().nextInt(faces.size())).get(0).clone();
            for (int i = 0; i < given.length; i++) {
                given[i] += (float) (random().nextGaussian() * 15);
            }
            double nearest = -1;
            for (List<float[]> photo : faces.values()) {
                for (float[] face : photo) {
                    nearest = Math.max(nearest, StoredVectors.cosine(VectorCompression.INT8.fieldValues(given), face));
                }
            }
            float[] integers = VectorCompression.INT8.fieldValues(given);
            String vector = Arrays.toString(given);
            for (String options : List.of("", ",\"expand_nested_docs\":true")) {
                String match = "{\"face_match\":{\"vector\":" + vector + ",\"k\":5" + options + "}}";
                List<Map<?, ?>> byInnerProduct = hits(search(innerProduct, match));
                List<Map<?, ?>> byCosine = hits(search(cosine, match));
                assertEquals(5, byInnerProduct.size());
                // a gallery this small is searched exactly: the top photo holds the nearest face
                assertEquals(match, (1 + nearest) / 2, ((Number) byCosine.get(0).get("_score")).doubleValue(), 1e-5);
                assertEquals(match, (1 + nearest) / 2, ((Number) byInnerProduct.get(0).get("_score")).doubleValue(), 0.001);
                for (List<Map<?, ?>> found : List.of(byInnerProduct, byCosine)) {
                    for (Map<?, ?> hit : found) {
                        double best = -1;
                        for (float[] face : faces.get(hit.get("_id").toString())) {
                            best = Math.max(best, StoredVectors.cosine(integers, face));
                        }
                        // an inner product over the common length is the cosine to within the rounding of the lengths
                        double tolerance = found == byCosine ? 1e-5 : 0.001;
                        assertEquals(hit + " of " + match, (1 + best) / 2, ((Number) hit.get("_score")).doubleValue(), tolerance);
                    }
                }
            }
            double bestSimilarity = 2 * topScore(search(innerProduct, "{\"face_match\":{\"vector\":" + vector + ",\"k\":5}}")) - 1;
            float threshold = (float) (bestSimilarity - 0.001);
            List<Map<?, ?>> kept = hits(
                search(innerProduct, "{\"face_match\":{\"vector\":" + vector + ",\"k\":5,\"min_similarity\":" + threshold + "}}")
            );
            assertFalse(kept.isEmpty());
            for (Map<?, ?> hit : kept) {
                assertTrue(hit.toString(), 2 * ((Number) hit.get("_score")).doubleValue() - 1 >= threshold - 1e-6);
            }
        }
    }

    public void testBadCompressionIsRefusedNamingTheField() throws IOException {
        Map<?, ?> error = expectError(jsonRequest("PUT", "/_plugins/_face/index/bad_compression", "{\"compression\":\"x8\"}"), 400);
        assertTrue(error.toString(), error.get("reason").toString().contains("[compression]"));
        assertTrue(error.toString(), error.get("reason").toString().contains("[none, x4, x32, int8]"));
        error = expectError(jsonRequest("PUT", "/_plugins/_face/index/bad_compression", "{\"compression\":32}"), 400);
        assertTrue(error.toString(), error.get("reason").toString().contains("[compression]"));
        assertFalse(indexExists("bad_compression"));
        error = expectError(
            jsonRequest("POST", "/_search", "{\"query\":{\"face_match\":{\"vector\":[1,0],\"rescore\":{\"oversample_factor\":0.5}}}}"),
            400
        );
        assertTrue(error.toString(), error.toString().contains("[rescore.oversample_factor]"));
    }

    private QueryShardContext shardContext(String index) {
        IndexService service = internalCluster().getDataNodeInstance(IndicesService.class).indexServiceSafe(resolveIndex(index));
        return service.newQueryShardContext(0, null, () -> 0L, null);
    }

    /** The query as the shard rewrites it, in JSON. */
    private static String rewritten(QueryShardContext shard, FaceMatchQueryBuilder query) throws IOException {
        return Strings.toString(MediaTypeRegistry.JSON, Rewriteable.rewrite(query, shard));
    }

    private Map<String, Object> search(String index, String query) throws IOException {
        return call(jsonRequest("POST", "/" + index + "/_search", "{\"_source\":[\"identity\"],\"query\":" + query + "}"));
    }

    private static double topScore(Map<String, Object> response) {
        List<Map<?, ?>> hits = hits(response);
        assertFalse(hits.isEmpty());
        return ((Number) hits.get(0).get("_score")).doubleValue();
    }

    private static List<Map<?, ?>> hits(Map<String, Object> response) {
        List<Map<?, ?>> hits = new ArrayList<>();
        for (Object hit : (List<?>) ((Map<?, ?>) response.get("hits")).get("hits")) {
            hits.add((Map<?, ?>) hit);
        }
        return hits;
    }
}
