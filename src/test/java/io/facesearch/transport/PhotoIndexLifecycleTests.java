package io.facesearch.transport;

import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.plugin.FaceSearchPlugin;

import org.opensearch.client.Request;
import org.opensearch.client.ResponseException;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** PUT, GET and DELETE of a photo index: index and pipeline together, or neither, and nothing existing changed. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class PhotoIndexLifecycleTests extends FaceSearchIntegTestCase {

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, knnPlugin());
    }

    private boolean pipelineExists(String id) throws IOException {
        try {
            return getRestClient().performRequest(new Request("GET", "/_ingest/pipeline/" + id)).getStatusLine().getStatusCode() == 200;
        } catch (ResponseException e) {
            assertEquals(404, e.getResponse().getStatusLine().getStatusCode());
            return false;
        }
    }

    public void testPutCreatesIndexAndPipelineAndARepeatChangesNothing() throws IOException {
        Map<String, Object> created = call(jsonRequest("PUT", "/_plugins/_face/index/album", "{\"processor\": {\"min_face_size\": 20}}"));
        assertEquals(true, created.get("acknowledged"));
        assertEquals("face-search-album", created.get("pipeline"));
        assertEquals(128, created.get("dimension"));
        Map<String, Object> pipelineBefore = call(new Request("GET", "/_ingest/pipeline/face-search-album"));

        Map<?, ?> error = expectError(jsonRequest("PUT", "/_plugins/_face/index/album", "{\"processor\": {\"min_face_size\": 99}}"), 400);
        assertEquals("resource_already_exists_exception", error.get("type"));
        assertTrue(error.get("reason").toString(), error.get("reason").toString().contains("changed nothing"));
        assertEquals("the pipeline keeps its options", pipelineBefore, call(new Request("GET", "/_ingest/pipeline/face-search-album")));

        Map<String, Object> report = call(new Request("GET", "/_plugins/_face/index/album"));
        assertEquals(true, report.get("ready"));
        assertEquals(List.of(), report.get("problems"));
        assertEquals(Map.of("min_face_size", 20), ((Map<?, ?>) report.get("pipeline")).get("processor"));
        Map<?, ?> models = (Map<?, ?>) report.get("models");
        assertEquals("mobilefacenet_ms1mv3", models.get("embedder"));
        assertEquals(128, models.get("dimension"));

        Map<String, Object> deleted = call(new Request("DELETE", "/_plugins/_face/index/album"));
        assertEquals("face-search-album", deleted.get("pipeline"));
        assertFalse(indexExists("album"));
        assertFalse(pipelineExists("face-search-album"));
        assertEquals("index_not_found_exception", expectError(new Request("GET", "/_plugins/_face/index/album"), 404).get("type"));
    }

    public void testAFailedPutLeavesNothingBehind() throws IOException {
        // refused before anything is created: a bad name, bad settings, a bad processor option
        expectError(new Request("PUT", "/_plugins/_face/index/Bad_Name"), 400);
        assertFalse(pipelineExists("face-search-Bad_Name"));
        Map<?, ?> settings = expectError(jsonRequest("PUT", "/_plugins/_face/index/bad_settings", "{\"settings\": {\"number_of_shards\": \"many\"}}"), 400);
        assertTrue(settings.toString(), settings.get("reason").toString().startsWith("[settings]"));
        assertFalse(indexExists("bad_settings"));
        assertFalse(pipelineExists("face-search-bad_settings"));
        expectError(jsonRequest("PUT", "/_plugins/_face/index/bad_option", "{\"processor\": {\"max_faces\": 0}}"), 400);
        expectError(jsonRequest("PUT", "/_plugins/_face/index/bad_option", "{\"processor\": {\"colour\": \"red\"}}"), 400);
        assertFalse(indexExists("bad_option"));
        assertFalse(pipelineExists("face-search-bad_option"));

        // a pipeline of that id with other options is not overwritten
        call(jsonRequest("PUT", "/_ingest/pipeline/taken", "{\"processors\": [{\"face\": {\"min_face_size\": 5}}]}"));
        Map<?, ?> taken = expectError(jsonRequest("PUT", "/_plugins/_face/index/uses_taken", "{\"pipeline\": \"taken\"}"), 400);
        assertTrue(taken.toString(), taken.get("reason").toString().contains("already exists with other options"));
        assertFalse(indexExists("uses_taken"));
        assertEquals(List.of(Map.of("face", Map.of("min_face_size", 5))), ((Map<?, ?>) call(new Request("GET", "/_ingest/pipeline/taken")).get("taken")).get("processors"));
    }

    public void testAnIndexDeletedOnItsOwnCanBeMadeAgainWithItsPipeline() throws IOException {
        call(new Request("PUT", "/_plugins/_face/index/again"));
        call(new Request("DELETE", "/again"));
        assertTrue("the pipeline outlives an index deleted on its own", pipelineExists("face-search-again"));
        assertEquals(true, call(new Request("PUT", "/_plugins/_face/index/again")).get("acknowledged"));
        assertEquals(true, call(new Request("GET", "/_plugins/_face/index/again")).get("ready"));
    }

    public void testOtherIndicesAreNotPhotoIndices() throws IOException {
        call(new Request("PUT", "/plain"));
        Map<String, Object> report = call(new Request("GET", "/_plugins/_face/index/plain"));
        assertEquals(false, report.get("ready"));
        assertTrue(report.toString(), report.get("problems").toString().contains("no default pipeline"));
        Map<?, ?> error = expectError(new Request("DELETE", "/_plugins/_face/index/plain"), 400);
        assertTrue(error.toString(), error.get("reason").toString().contains("is not a photo index"));
        assertTrue(indexExists("plain"));
    }

    /**
     * The graph of the face vectors is built as asked: the k-NN plugin takes the mapping, builds the graph of a vector
     * and finds it, and the index API reports the parameters; a bad value creates nothing.
     */
    public void testTheGraphOfTheFaceVectorsIsBuiltAsAsked() throws IOException {
        Map<String, Object> created = call(
            jsonRequest("PUT", "/_plugins/_face/index/wide_graph", "{\"compression\": \"int8\", \"hnsw\": {\"m\": 24, \"ef_construction\": 200}}")
        );
        Map<String, Object> asked = Map.of("m", 24, "ef_construction", 200);
        assertEquals(asked, created.get("hnsw"));
        assertEquals(asked, call(new Request("GET", "/_plugins/_face/index/wide_graph")).get("hnsw"));
        Map<?, ?> mapping = call(new Request("GET", "/wide_graph/_mapping/field/faces.embedding"));
        assertTrue(mapping.toString(), mapping.toString().contains("m=24") && mapping.toString().contains("ef_construction=200"));

        int[] vector = new int[128];
        vector[3] = 100;
        String values = Arrays.toString(vector);
        call(jsonRequest("PUT", "/wide_graph/_doc/1?pipeline=_none&refresh=true", "{\"faces\": [{\"index\": 0, \"embedding\": " + values + "}]}"));
        Map<String, Object> found = call(
            jsonRequest(
                "POST",
                "/wide_graph/_search",
                "{\"query\": {\"nested\": {\"path\": \"faces\", \"query\": {\"knn\": {\"faces.embedding\": {\"vector\": " + values + ", \"k\": 1}}}}}}"
            )
        );
        assertEquals(found.toString(), 1, ((Map<?, ?>) ((Map<?, ?>) found.get("hits")).get("total")).get("value"));

        call(new Request("PUT", "/_plugins/_face/index/default_graph"));
        assertEquals(Map.of("m", 16, "ef_construction", 128), call(new Request("GET", "/_plugins/_face/index/default_graph")).get("hnsw"));

        Map<?, ?> error = expectError(jsonRequest("PUT", "/_plugins/_face/index/bad_graph", "{\"hnsw\": {\"m\": 1000}}"), 400);
        assertTrue(error.toString(), error.get("reason").toString().startsWith("[hnsw.m]"));
        error = expectError(jsonRequest("PUT", "/_plugins/_face/index/bad_graph", "{\"hnsw\": {\"ef_search\": 100}}"), 400);
        assertTrue(error.toString(), error.get("reason").toString().contains("unknown field [hnsw.ef_search]"));
        assertFalse(indexExists("bad_graph"));
        assertFalse(pipelineExists("face-search-bad_graph"));
    }
}
