package io.facesearch.transport;

import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.plugin.FaceSearchPlugin;

import org.opensearch.client.Request;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Models and stats answered by every node of a cluster of several nodes, and by one node when it is named. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 2, numClientNodes = 0)
public class NodeReportsTests extends FaceSearchIntegTestCase {

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, knnPlugin());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> nodes(String path) throws IOException {
        Map<String, Object> body = call(new Request("GET", path));
        Map<String, Object> header = (Map<String, Object>) body.get("_nodes");
        assertEquals(body.toString(), 0, header.get("failed"));
        return (Map<String, Map<String, Object>>) body.get("nodes");
    }

    public void testEveryNodeReportsItsModels() throws IOException {
        Map<String, Map<String, Object>> models = nodes("/_plugins/_face/models");
        assertEquals(internalCluster().size(), models.size());
        for (Map<String, Object> node : models.values()) {
            assertEquals(node.toString(), "loaded", node.get("status"));
            assertEquals("mobilefacenet_ms1mv3", ((Map<?, ?>) node.get("embedder")).get("name"));
            assertTrue(node.containsKey("name"));
        }
        String one = models.keySet().iterator().next();
        assertEquals(Map.of(one, models.get(one)).keySet(), nodes("/_plugins/_face/" + one + "/models").keySet());
    }

    @SuppressWarnings("unchecked")
    public void testStatsCountPhotosFailuresRequestsAndLatencies() throws IOException {
        call(jsonRequest("POST", "/_plugins/_face/detect", "{\"image\": \"" + base64("people/Barack_Obama/fr_obama.jpg") + "\"}"));
        String notAnImage = Base64.getEncoder().encodeToString("not a photo at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        expectError(jsonRequest("POST", "/_plugins/_face/detect", "{\"image\": \"" + notAnImage + "\"}"), 400);

        long photos = 0;
        long invalid = 0;
        long detectRequests = 0;
        long decodes = 0;
        for (Map<String, Object> node : nodes("/_plugins/_face/stats").values()) {
            assertEquals(node.toString(), "loaded", ((Map<?, ?>) node.get("models")).get("status"));
            photos += ((Number) node.get("photos_analysed")).longValue();
            invalid += ((Number) ((Map<?, ?>) node.get("failures")).get("invalid_image")).longValue();
            detectRequests += ((Number) ((Map<?, ?>) node.get("requests")).get("detect")).longValue();
            Map<?, ?> decode = (Map<?, ?>) ((Map<?, ?>) node.get("latency")).get("decode");
            decodes += ((Number) decode.get("count")).longValue();
            Map<?, ?> pools = (Map<?, ?>) node.get("thread_pools");
            assertTrue(pools.toString(), pools.containsKey("face_search") && pools.containsKey("face_search_ingest"));
            assertTrue(((Number) ((Map<?, ?>) pools.get("inference_slots")).get("total")).intValue() >= 1);
            Map<?, ?> breaker = (Map<?, ?>) node.get("breaker");
            assertTrue(breaker.toString(), ((Number) breaker.get("limit_size_in_bytes")).longValue() > 0);
            assertEquals(0L, ((Number) breaker.get("estimated_size_in_bytes")).longValue());
        }
        assertTrue("photos " + photos, photos >= 1);
        assertTrue("invalid images " + invalid, invalid >= 1);
        assertTrue("detect requests " + detectRequests, detectRequests >= 2);
        assertTrue("decodes timed " + decodes, decodes >= 1);
    }

    private long requests(String source) throws IOException {
        long total = 0;
        for (Map<String, Object> node : nodes("/_plugins/_face/stats").values()) {
            total += ((Number) ((Map<?, ?>) node.get("requests")).get(source)).longValue();
        }
        return total;
    }

    public void testIngestedDocumentsAndQueriesAreCountedOnce() throws IOException {
        long ingest = requests("ingest");
        long faceMatch = requests("face_match");
        long clipMatch = requests("clip_match");
        call(new Request("PUT", "/_plugins/_face/index/counted"));
        Request index = jsonRequest("PUT", "/counted/_doc/1", "{\"image\": \"" + base64("people/Barack_Obama/fr_obama.jpg") + "\"}");
        index.addParameter("refresh", "true");
        call(index);
        float[] vector = new float[128];
        vector[0] = 1;
        call(jsonRequest("POST", "/counted/_search", "{\"query\": {\"face_match\": {\"vector\": " + java.util.Arrays.toString(vector) + "}}}"));
        // parsed on the node that received the search, counted even where the index has no CLIP vectors to search
        expectError(jsonRequest("POST", "/counted/_search", "{\"query\": {\"clip_match\": {\"vector\": [1, 0]}}}"), 400);
        assertEquals(ingest + 1, requests("ingest"));
        assertEquals(faceMatch + 1, requests("face_match"));
        assertEquals(clipMatch + 1, requests("clip_match"));
    }
}
