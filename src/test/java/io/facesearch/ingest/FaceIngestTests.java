package io.facesearch.ingest;

import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.plugin.FaceSearchPlugin;

import org.opensearch.client.Request;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The face processor and the photo index in an in-JVM node with the real k-NN plugin. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class FaceIngestTests extends FaceSearchIntegTestCase {

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, knnPlugin());
    }

    public void testClipPipelineIsRefusedWhereClipIsOff() throws IOException {
        Map<?, ?> error = expectError(jsonRequest("PUT", "/_ingest/pipeline/with_clip", "{\"processors\":[{\"face\":{\"clip\":true}}]}"), 400);
        assertTrue(error.toString(), error.get("reason").toString().contains("CLIP is switched off"));
        Map<String, Object> created = call(new Request("PUT", "/_plugins/_face/index/no_clip"));
        assertNull("no CLIP field where the node has no CLIP model", created.get("clip_field"));
    }

    public void testBulkIntoAPhotoIndexKeepsGoodDocumentsAndReportsTheBadOne() throws IOException {
        Map<String, Object> created = call(new Request("PUT", "/_plugins/_face/index/photos"));
        assertEquals("face-search-photos", created.get("pipeline"));
        assertEquals(128, created.get("dimension"));

        StringBuilder bulk = new StringBuilder();
        bulk.append("{\"index\":{\"_index\":\"photos\",\"_id\":\"obama\"}}\n");
        bulk.append("{\"image\":\"").append(base64("people/Barack_Obama/fr_obama.jpg")).append("\",\"caption\":\"speech\"}\n");
        bulk.append("{\"index\":{\"_index\":\"photos\",\"_id\":\"group\"}}\n");
        bulk.append("{\"image\":\"").append(base64("group/insightface_t1.jpg")).append("\"}\n");
        bulk.append("{\"index\":{\"_index\":\"photos\",\"_id\":\"coffee\"}}\n");
        bulk.append("{\"image\":\"").append(base64("noface/skimage_coffee.png")).append("\"}\n");
        bulk.append("{\"index\":{\"_index\":\"photos\",\"_id\":\"broken\"}}\n");
        bulk.append("{\"image\":\"").append(base64("odd/truncated_header_only.jpg")).append("\"}\n");
        Request request = new Request("POST", "/_bulk?refresh=true");
        request.setJsonEntity(bulk.toString());
        Map<String, Object> result = call(request);
        assertEquals(true, result.get("errors"));
        List<?> items = (List<?>) result.get("items");
        assertEquals(4, items.size());
        for (int i = 0; i < 3; i++) {
            Map<?, ?> item = (Map<?, ?>) ((Map<?, ?>) items.get(i)).get("index");
            assertEquals(item.toString(), 201, item.get("status"));
        }
        Map<?, ?> broken = (Map<?, ?>) ((Map<?, ?>) items.get(3)).get("index");
        assertEquals(400, broken.get("status"));
        Map<?, ?> error = (Map<?, ?>) broken.get("error");
        assertEquals("invalid_image_exception", error.get("type"));
        assertTrue(error.get("reason").toString(), error.get("reason").toString().contains("field [image]"));

        Map<String, Object> obama = call(new Request("GET", "/photos/_doc/obama"));
        Map<?, ?> source = (Map<?, ?>) obama.get("_source");
        assertEquals("speech", source.get("caption"));
        assertNull("the photo is not stored by default", source.get("image"));
        Map<?, ?> photo = (Map<?, ?>) source.get("photo");
        assertEquals(1, photo.get("face_count"));
        assertEquals("jpeg", photo.get("format"));
        assertEquals("mobilefacenet_ms1mv3", ((Map<?, ?>) photo.get("model")).get("embedder"));
        Map<?, ?> face = (Map<?, ?>) ((List<?>) source.get("faces")).get(0);
        assertEquals(128, ((List<?>) face.get("embedding")).size());
        assertTrue(((Number) ((Map<?, ?>) face.get("quality")).get("frontal")).doubleValue() > 0.5);

        Map<?, ?> group = (Map<?, ?>) call(new Request("GET", "/photos/_doc/group")).get("_source");
        assertEquals(6, ((Map<?, ?>) group.get("photo")).get("face_count"));
        Map<?, ?> coffee = (Map<?, ?>) call(new Request("GET", "/photos/_doc/coffee")).get("_source");
        assertEquals(0, ((Map<?, ?>) coffee.get("photo")).get("face_count"));
        assertEquals(List.of(), coffee.get("faces"));

        // the stored vectors are searchable with the k-NN plugin's nested knn query
        Request knn = new Request("POST", "/photos/_search");
        knn.setJsonEntity(
            "{\"query\":{\"nested\":{\"path\":\"faces\",\"score_mode\":\"max\",\"query\":{\"knn\":{\"faces.embedding\":{\"vector\":"
                + face.get("embedding")
                + ",\"k\":3}}}}},\"_source\":false}"
        );
        Map<?, ?> hits = (Map<?, ?>) call(knn).get("hits");
        Map<?, ?> best = (Map<?, ?>) ((List<?>) hits.get("hits")).get(0);
        assertEquals("obama", best.get("_id"));
    }

    public void testSimulateWithRemoveImageAndIgnoreFailure() throws IOException {
        Request simulate = new Request("POST", "/_ingest/pipeline/_simulate");
        simulate.setJsonEntity(
            "{\"pipeline\":{\"processors\":[{\"face\":{\"field\":\"photo_b64\",\"remove_image\":true,\"max_faces\":2,"
                + "\"ignore_failure\":true}}]},"
                + "\"docs\":[{\"_source\":{\"photo_b64\":\""
                + base64("group/insightface_t1.jpg")
                + "\"}},{\"_source\":{\"photo_b64\":\"bm90IGFuIGltYWdl\"}}]}"
        );
        List<?> docs = (List<?>) call(simulate).get("docs");
        Map<?, ?> first = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) docs.get(0)).get("doc")).get("_source");
        assertNull(first.get("photo_b64"));
        assertEquals(2, ((List<?>) first.get("faces")).size());
        Map<?, ?> second = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) docs.get(1)).get("doc")).get("_source");
        assertEquals("a failed photo passes through untouched with ignore_failure", "bm90IGFuIGltYWdl", second.get("photo_b64"));
        assertNull(second.get("faces"));
    }

    public void testDimensionMismatchIsAClearError() throws IOException {
        Request index = new Request("PUT", "/wrong_dimension");
        index.setJsonEntity(
            "{\"settings\":{\"index.knn\":true},\"mappings\":{\"properties\":{\"faces\":{\"type\":\"nested\",\"properties\":"
                + "{\"embedding\":{\"type\":\"knn_vector\",\"dimension\":512}}}}}}"
        );
        call(index);
        Request pipeline = new Request("PUT", "/_ingest/pipeline/faces");
        pipeline.setJsonEntity("{\"processors\":[{\"face\":{}}]}");
        call(pipeline);
        Request doc = new Request("PUT", "/wrong_dimension/_doc/1?pipeline=faces");
        doc.setJsonEntity("{\"image\":\"" + base64("people/Barack_Obama/fr_obama.jpg") + "\"}");
        String reason = expectError(doc, 400).get("reason").toString();
        assertTrue(reason, reason.contains("dimension 512 but model [mobilefacenet_ms1mv3] produces 128-dimensional vectors"));
    }

    public void testPipelineWithUnknownModelIsRejected() throws IOException {
        Request pipeline = new Request("PUT", "/_ingest/pipeline/unknown_model");
        pipeline.setJsonEntity("{\"processors\":[{\"face\":{\"embedder\":\"no_such_model\"}}]}");
        String reason = expectError(pipeline, 400).get("reason").toString();
        assertTrue(reason, reason.contains("model [no_such_model] is not in the model manifest"));
    }
}
