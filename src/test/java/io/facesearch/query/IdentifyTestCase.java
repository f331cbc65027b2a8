package io.facesearch.query;

import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.plugin.FaceSearchPlugin;
import io.facesearch.vision.TestModels;

import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Enrols part of the identification split ({@code gallery_probe.tsv}) into photo indices with different shard
 * counts and asks the identify API about probe photos.
 */
public abstract class IdentifyTestCase extends FaceSearchIntegTestCase {
    /** Gallery identities enrolled (every 4th of the split keeps the test fast); their probes are asked about. */
    static final int IDENTITY_STRIDE = 4;
    static final int DISTRACTOR_STRIDE = 6;

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, knnPlugin());
    }

    record Entry(String path, String identity, String role) {}

    static List<Entry> split() {
        try {
            List<Entry> entries = new ArrayList<>();
            for (String line : Files.readAllLines(TestModels.facesDir().resolve("gallery_probe.tsv"))) {
                String[] columns = line.split("\t");
                if (columns.length == 3 && columns[2].equals("role") == false) {
                    entries.add(new Entry(columns[0], columns[1], columns[2]));
                }
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The gallery photos enrolled, and the probes of enrolled identities. */
    static Map<String, List<Entry>> chosen() {
        List<Entry> gallery = new ArrayList<>();
        List<Entry> probes = new ArrayList<>();
        List<String> enrolled = new ArrayList<>();
        int galleries = 0;
        int distractors = 0;
        for (Entry entry : split()) {
            if (entry.role().equals("gallery") && galleries++ % IDENTITY_STRIDE == 0) {
                gallery.add(entry);
                enrolled.add(entry.identity());
            } else if (entry.role().equals("gallery_distractor") && distractors++ % DISTRACTOR_STRIDE == 0) {
                gallery.add(entry);
            }
        }
        for (Entry entry : split()) {
            if (entry.role().equals("probe") && enrolled.contains(entry.identity())) {
                probes.add(entry);
            }
        }
        Map<String, List<Entry>> result = new LinkedHashMap<>();
        result.put("gallery", gallery);
        result.put("probes", probes);
        return result;
    }

    void enrol(String index, int shards, List<Entry> gallery) throws IOException {
        call(jsonRequest("PUT", "/_plugins/_face/index/" + index, "{\"settings\":{\"number_of_shards\":" + shards + "}}"));
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < gallery.size(); i++) {
            Entry entry = gallery.get(i);
            bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"g").append(i).append("\"}}\n");
            bulk.append("{\"image\":\"").append(base64(entry.path())).append("\",\"identity\":\"").append(entry.identity()).append("\"}\n");
        }
        Map<String, Object> result = call(jsonRequest("POST", "/_bulk?refresh=true", bulk.toString()));
        assertEquals(false, result.get("errors"));
    }

    Map<String, Object> identify(String index, String photo) throws IOException {
        return call(
            jsonRequest("POST", "/_plugins/_face/identify", "{\"index\":\"" + index + "\",\"image\":\"" + base64(photo) + "\",\"k1\":3,\"k2\":10}")
        );
    }

    /** A search pipeline holding a {@code face_identity} processor with the identify API's defaults. */
    static final String PIPELINE = "who-is-this";

    void putIdentityPipeline() throws IOException {
        call(jsonRequest("PUT", "/_search/pipeline/" + PIPELINE, "{\"response_processors\":[{\"face_identity\":{\"k1\":3,\"k2\":10}}]}"));
    }

    /** The answer of the {@code face_identity} processor to a {@code face_match} search for the photo's main face. */
    @SuppressWarnings("unchecked")
    Map<String, Object> identifyBySearch(String index, String photo) throws IOException {
        Map<String, Object> response = call(
            jsonRequest(
                "POST",
                "/" + index + "/_search?search_pipeline=" + PIPELINE,
                "{\"size\":10,\"query\":{\"face_match\":{\"image\":\"" + base64(photo) + "\",\"k\":10}}}"
            )
        );
        Map<String, Object> ext = (Map<String, Object>) response.get("ext");
        assertNotNull("no ext in " + response.keySet(), ext);
        return (Map<String, Object>) ext.get("face_identity");
    }

    /**
     * For every probe, identify on each index and the {@code face_identity} processor of a {@code face_match} search on
     * each index give identical answers, and they are mostly right.
     */
    void assertSameAnswersAndMostlyRight(String... indices) throws IOException {
        putIdentityPipeline();
        List<Entry> probes = chosen().get("probes");
        int right = 0;
        for (Entry probe : probes) {
            Map<String, Object> reference = identify(indices[0], probe.path());
            for (String index : indices) {
                Map<String, Object> identified = index.equals(indices[0]) ? reference : identify(index, probe.path());
                Map<String, Object> searched = identifyBySearch(index, probe.path());
                for (String key : List.of("identity", "known", "votes", "window", "best_similarity", "mean_similarity", "leading_identity")) {
                    assertEquals(probe.path() + " " + key + " of identify on " + index, reference.get(key), identified.get(key));
                    assertEquals(probe.path() + " " + key + " of the search pipeline on " + index, reference.get(key), searched.get(key));
                }
                assertEquals(probe.path(), ids(reference), ids(identified));
                assertEquals(probe.path(), ids(reference), ids(searched));
                assertEquals(List.of(3, 10), List.of(searched.get("k1"), searched.get("k2")));
                assertEquals(reference.get("threshold"), searched.get("threshold"));
            }
            if (probe.identity().equals(reference.get("identity"))) {
                right++;
            }
        }
        double rank1 = (double) right / probes.size();
        logger.info("identify: {}/{} probes right ({})", right, probes.size(), rank1);
        assertTrue("rank-1 " + rank1 + " over " + probes.size() + " probes", rank1 >= 0.9);
    }

    private static List<Object> ids(Map<String, Object> response) {
        List<Object> ids = new ArrayList<>();
        for (Object candidate : (List<?>) response.get("candidates")) {
            ids.add(((Map<?, ?>) candidate).get("_id"));
        }
        return ids;
    }
}
