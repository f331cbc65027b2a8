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
    private static final String OBAMA = "people/Barack_Obama/fr_obama.jpg";

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
        bulk.append("{\"image\":\"").append(base64(OBAMA)).append("\",\"caption\":\"speech\"}\n");
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

        Map<String, Object> obama = call(new Request("GET", "/photos/_doc/obama?_source=true"));
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
        facePipeline();
        Request doc = new Request("PUT", "/wrong_dimension/_doc/1?pipeline=faces");
        doc.setJsonEntity("{\"image\":\"" + base64(OBAMA) + "\"}");
        String reason = expectError(doc, 400).get("reason").toString();
        assertTrue(reason, reason.contains("dimension 512 but model [mobilefacenet_ms1mv3] produces 128-dimensional vectors"));
    }

    public void testIndexWithoutTheFaceMappingIsRefused() throws IOException {
        call(new Request("PUT", "/_plugins/_face/index/mapped"));
        call(new Request("PUT", "/not_mapped"));
        facePipeline();
        String bulk = "{\"index\":{\"_index\":\"not_mapped\",\"_id\":\"1\"}}\n{\"image\":\"" + base64(OBAMA) + "\"}\n"
            + "{\"index\":{\"_index\":\"mapped\",\"_id\":\"1\"}}\n{\"image\":\"" + base64(OBAMA) + "\"}\n";
        List<?> items = (List<?>) call(jsonRequest("POST", "/_bulk?pipeline=faces&refresh=true", bulk)).get("items");
        Map<?, ?> refused = (Map<?, ?>) ((Map<?, ?>) items.get(0)).get("index");
        assertEquals(refused.toString(), 400, refused.get("status"));
        assertEquals(
            "index [not_mapped] does not map [faces]: a document written there would map it dynamically, as an object, not nested, "
                + "and no kNN query could search it; create the index with PUT _plugins/_face/index/not_mapped or with the mapping "
                + "in the README",
            ((Map<?, ?>) refused.get("error")).get("reason")
        );
        assertEquals(201, ((Map<?, ?>) ((Map<?, ?>) items.get(1)).get("index")).get("status"));
        Map<?, ?> mapping = (Map<?, ?>) ((Map<?, ?>) call(new Request("GET", "/not_mapped/_mapping")).get("not_mapped")).get("mappings");
        assertNull("nothing was mapped: " + mapping, mapping.get("properties"));
    }

    public void testIndexThatWouldBeCreatedWithoutTheFaceMappingIsRefused() throws IOException {
        facePipeline();
        Request doc = jsonRequest("PUT", "/not_created/_doc/1?pipeline=faces", "{\"image\":\"" + base64(OBAMA) + "\"}");
        String reason = expectError(doc, 400).get("reason").toString();
        assertTrue(reason, reason.startsWith("index [not_created] does not exist and no index template maps [faces]: "));
        assertTrue(reason, reason.endsWith("create the index with PUT _plugins/_face/index/not_created or with the mapping in the README"));
        expectError(new Request("GET", "/not_created"), 404);
    }

    public void testFacesMappedAsObjectsAreRefused() throws IOException {
        Request index = jsonRequest(
            "PUT",
            "/faces_as_objects",
            "{\"settings\":{\"index.knn\":true},\"mappings\":{\"properties\":{\"faces\":{\"properties\":"
                + "{\"embedding\":{\"type\":\"knn_vector\",\"dimension\":128}}}}}}"
        );
        call(index);
        facePipeline();
        Request doc = jsonRequest("PUT", "/faces_as_objects/_doc/1?pipeline=faces", "{\"image\":\"" + base64(OBAMA) + "\"}");
        String reason = expectError(doc, 400).get("reason").toString();
        assertTrue(reason, reason.startsWith("index [faces_as_objects] maps [faces] as [object], not nested: "));
    }

    public void testVectorsMappedAsFloatsAreRefused() throws IOException {
        call(
            jsonRequest(
                "PUT",
                "/float_vectors",
                "{\"mappings\":{\"properties\":{\"faces\":{\"type\":\"nested\",\"properties\":{\"embedding\":{\"type\":\"float\"}}}}}}"
            )
        );
        facePipeline();
        Request doc = jsonRequest("PUT", "/float_vectors/_doc/1?pipeline=faces", "{\"image\":\"" + base64(OBAMA) + "\"}");
        String reason = expectError(doc, 400).get("reason").toString();
        assertTrue(reason, reason.startsWith("index [float_vectors] maps [faces.embedding] as [float], not knn_vector; "));
    }

    public void testIndexCreatedFromATemplateWithTheFaceMappingIsAccepted() throws IOException {
        String mapping = toJson(PhotoIndexMapping.build("image", "faces", "photo", 128, null, 0, false, VectorCompression.NONE, HnswGraph.DEFAULT));
        call(
            jsonRequest(
                "PUT",
                "/_index_template/templated_photos",
                "{\"index_patterns\":[\"templated-*\"],\"template\":{\"settings\":{\"index.knn\":true},\"mappings\":" + mapping + "}}"
            )
        );
        facePipeline();
        Request doc = jsonRequest("PUT", "/templated-1/_doc/1?pipeline=faces&refresh=true", "{\"image\":\"" + base64(OBAMA) + "\"}");
        assertEquals("created", call(doc).get("result"));
        Map<?, ?> faces = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) call(new Request("GET", "/templated-1/_mapping")).get("templated-1"))
            .get("mappings")).get("properties")).get("faces");
        assertEquals("nested", faces.get("type"));
    }

    public void testAliasIsCheckedThroughItsWriteIndex() throws IOException {
        call(new Request("PUT", "/_plugins/_face/index/behind_alias"));
        call(new Request("PUT", "/plain_behind_alias"));
        call(
            jsonRequest(
                "POST",
                "/_aliases",
                "{\"actions\":[{\"add\":{\"index\":\"behind_alias\",\"alias\":\"photo_alias\"}},"
                    + "{\"add\":{\"index\":\"plain_behind_alias\",\"alias\":\"plain_alias\"}}]}"
            )
        );
        String photo = "{\"image\":\"" + base64(OBAMA) + "\"}";
        assertEquals("created", call(jsonRequest("PUT", "/photo_alias/_doc/1", photo)).get("result"));
        facePipeline();
        String reason = expectError(jsonRequest("PUT", "/plain_alias/_doc/1?pipeline=faces", photo), 400).get("reason").toString();
        assertTrue(reason, reason.startsWith("index [plain_alias] does not map [faces]"));
    }

    public void testPipelineWithUnknownModelIsRejected() throws IOException {
        Request pipeline = new Request("PUT", "/_ingest/pipeline/unknown_model");
        pipeline.setJsonEntity("{\"processors\":[{\"face\":{\"embedder\":\"no_such_model\"}}]}");
        String reason = expectError(pipeline, 400).get("reason").toString();
        assertTrue(reason, reason.contains("model [no_such_model] is not in the model manifest"));
    }

    /** The pipeline {@code faces}: a face processor with its defaults. */
    private void facePipeline() throws IOException {
        call(jsonRequest("PUT", "/_ingest/pipeline/faces", "{\"processors\":[{\"face\":{}}]}"));
    }
}
