package io.facesearch.plugin;

import io.facesearch.vision.TestModels;

import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An in-JVM node with the plugin, real HTTP, and the shared models; helpers to call its REST API. */
public abstract class FaceSearchIntegTestCase extends OpenSearchIntegTestCase {

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class);
    }

    @Override
    protected boolean addMockHttpTransport() {
        return false;
    }

    @Override
    protected Settings nodeSettings(int nodeOrdinal) {
        return Settings.builder()
            .put(super.nodeSettings(nodeOrdinal))
            .put(FaceSearchSettings.MODELS_PATH.getKey(), modelsDir().toString())
            .put(extraNodeSettings())
            .build();
    }

    /** The models folder the node loads from. */
    protected Path modelsDir() {
        return TestModels.modelsDir();
    }

    protected Settings extraNodeSettings() {
        return Settings.EMPTY;
    }

    /** The k-NN plugin publishes no jar to compile against: its classes come from the unpacked plugin zip. */
    protected static Class<? extends Plugin> knnPlugin() {
        try {
            return Class.forName("org.opensearch.knn.plugin.KNNPlugin").asSubclass(Plugin.class);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("k-NN plugin not on the test classpath (target/knn-plugin)", e);
        }
    }

    /** Performs the request, asserts 200 or 201, and returns the JSON body. */
    protected Map<String, Object> call(Request request) throws IOException {
        Response response = getRestClient().performRequest(request);
        int status = response.getStatusLine().getStatusCode();
        assertTrue("status " + status, status == 200 || status == 201);
        return parse(response);
    }

    /** Performs a request that must fail with {@code status}, and returns its {@code error} object. */
    protected Map<?, ?> expectError(Request request, int status) throws IOException {
        ResponseException e = expectThrows(ResponseException.class, () -> getRestClient().performRequest(request));
        assertEquals(status, e.getResponse().getStatusLine().getStatusCode());
        return (Map<?, ?>) parse(e.getResponse()).get("error");
    }

    /**
     * The models of a node of the test cluster (they all have the same settings), as {@code GET _plugins/_face/models}
     * reports them under its node id, after checking every node reported.
     */
    @SuppressWarnings("unchecked")
    protected Map<String, Object> nodeModels() throws IOException {
        Map<String, Object> body = call(new Request("GET", "/_plugins/_face/models"));
        Map<String, Object> nodes = (Map<String, Object>) body.get("nodes");
        assertEquals(body.toString(), internalCluster().size(), nodes.size());
        return (Map<String, Object>) nodes.values().iterator().next();
    }

    /** The stats' counts of graph searches and of hits carried to a fetch phase ({@code vector_search}), summed over the nodes. */
    protected Map<String, Long> vectorSearchStats() throws IOException {
        Map<String, Long> stats = new HashMap<>();
        for (Object node : ((Map<?, ?>) call(new Request("GET", "/_plugins/_face/stats")).get("nodes")).values()) {
            for (Map.Entry<?, ?> count : ((Map<?, ?>) ((Map<?, ?>) node).get("vector_search")).entrySet()) {
                stats.merge(count.getKey().toString(), ((Number) count.getValue()).longValue(), Long::sum);
            }
        }
        return stats;
    }

    protected static Map<String, Object> parse(Response response) throws IOException {
        try (InputStream in = response.getEntity().getContent()) {
            return XContentHelper.convertToMap(JsonXContent.jsonXContent, in, false);
        }
    }

    protected static String base64(String photo) {
        return Base64.getEncoder().encodeToString(TestModels.photo(photo));
    }

    /** {@code value} (maps, lists, strings, numbers) as JSON. */
    protected static String toJson(Object value) throws IOException {
        XContentBuilder builder = JsonXContent.contentBuilder().value(value);
        return BytesReference.bytes(builder).utf8ToString();
    }

    protected static Request jsonRequest(String method, String path, String json) {
        Request request = new Request(method, path);
        request.setJsonEntity(json);
        return request;
    }
}
