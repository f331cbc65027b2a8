package io.facesearch.query;

import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.plugin.FaceSearchPlugin;
import io.facesearch.plugin.FaceSearchSettings;

import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** clip_match on a node without CLIP models: texts and photos are refused with the reason, given vectors still search. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class ClipMatchWithoutClipTests extends FaceSearchIntegTestCase {

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, knnPlugin());
    }

    private void indexOnePicture() throws IOException {
        if (indexExists("pictures")) {
            return;
        }
        call(jsonRequest(
            "PUT",
            "/pictures",
            // a synced translog: an async one, which the test framework may pick, delays the end of each test by 10 s
            "{\"settings\":{\"index.knn\":true,\"number_of_shards\":1,\"number_of_replicas\":0,\"index.translog.durability\":\"request\"},"
                + "\"mappings\":{\"properties\":{"
                + "\"clip\":{\"type\":\"knn_vector\",\"dimension\":3,\"method\":{\"name\":\"hnsw\",\"engine\":\"lucene\","
                + "\"space_type\":\"cosinesimil\"}}}}}"
        ));
        call(jsonRequest("PUT", "/pictures/_doc/one?refresh=true", "{\"clip\":[0.6,0.8,0]}"));
    }

    private Map<?, ?> searchError(String query) throws IOException {
        indexOnePicture();
        return expectError(jsonRequest("POST", "/pictures/_search", "{\"query\":" + query + "}"), 400);
    }

    private static void assertSaysClipIsOff(Map<?, ?> error) {
        for (String part : List.of(
            "[clip_match] CLIP is switched off on this node",
            FaceSearchSettings.CLIP_IMAGE_MODEL.getKey(),
            FaceSearchSettings.CLIP_TEXT_MODEL.getKey()
        )) {
            assertTrue("[" + error + "] should mention [" + part + "]", error.get("reason").toString().contains(part));
        }
    }

    public void testTextIsRefusedWithTheReason() throws IOException {
        assertSaysClipIsOff(searchError("{\"clip_match\":{\"text\":\"red\"}}"));
    }

    public void testPhotoIsRefusedWithTheReason() throws IOException {
        String photo = Base64.getEncoder().encodeToString(new byte[] { (byte) 0x89, 'P', 'N', 'G' });
        assertSaysClipIsOff(searchError("{\"clip_match\":{\"image\":\"" + photo + "\"}}"));
    }

    public void testVectorNeedsNoModel() throws IOException {
        indexOnePicture();
        Map<String, Object> response = call(
            jsonRequest("POST", "/pictures/_search", "{\"query\":{\"clip_match\":{\"vector\":[0.6,0.8,0],\"k\":1}}}")
        );
        List<?> hits = (List<?>) ((Map<?, ?>) response.get("hits")).get("hits");
        assertEquals(1, hits.size());
        assertEquals("one", ((Map<?, ?>) hits.get(0)).get("_id"));
    }
}
