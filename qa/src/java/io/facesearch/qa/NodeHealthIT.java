package io.facesearch.qa;

import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.test.rest.OpenSearchRestTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;

/**
 * Harness check against the real node started by {@code qa/node start} (Maven pre-integration-test;
 * address in {@code tests.rest.cluster}): the node is healthy and has both the k-NN and the
 * face-search plugins installed.
 */
public class NodeHealthIT extends OpenSearchRestTestCase {

    private static final String KNN = "opensearch-knn";
    private static final String FACE_SEARCH = "face-search";

    /** This test only reads; leave whatever the node holds alone. */
    @Override
    protected boolean preserveClusterUponCompletion() {
        return true;
    }

    @Override
    protected boolean preserveIndicesUponCompletion() {
        return true;
    }

    @Override
    protected boolean preserveTemplatesUponCompletion() {
        return true;
    }

    @Override
    protected boolean preserveClusterSettings() {
        return true;
    }

    public void testClusterIsHealthy() throws IOException {
        Request request = new Request("GET", "/_cluster/health");
        request.addParameter("wait_for_status", "yellow");
        request.addParameter("timeout", "30s");
        Response response = client().performRequest(request);
        assertOK(response);
        Map<String, Object> health = entityAsMap(response);
        assertThat(String.valueOf(health.get("status")), is(oneOf("green", "yellow")));
        assertThat(health.get("timed_out"), is(false));
        assertThat(((Number) health.get("number_of_nodes")).intValue(), is(1));
    }

    public void testCatPluginsListsKnnAndFaceSearch() throws IOException {
        Request request = new Request("GET", "/_cat/plugins");
        request.addParameter("format", "json");
        Response response = client().performRequest(request);
        assertOK(response);
        List<String> components = new ArrayList<>();
        for (Object row : entityAsList(response)) {
            components.add(String.valueOf(((Map<?, ?>) row).get("component")));
        }
        assertThat(components, hasItems(KNN, FACE_SEARCH));
    }

    @SuppressWarnings("unchecked")
    public void testNodesInfoShowsKnnAndFaceSearch() throws IOException {
        Response response = client().performRequest(new Request("GET", "/_nodes/plugins"));
        assertOK(response);
        Map<String, Object> nodes = (Map<String, Object>) entityAsMap(response).get("nodes");
        assertFalse("no nodes in _nodes/plugins", nodes.isEmpty());
        for (Map.Entry<String, Object> node : nodes.entrySet()) {
            List<Map<String, Object>> plugins = (List<Map<String, Object>>) ((Map<String, Object>) node.getValue()).get("plugins");
            List<String> names = new ArrayList<>();
            for (Map<String, Object> plugin : plugins) {
                names.add(String.valueOf(plugin.get("name")));
            }
            assertThat("plugins of node " + node.getKey(), names, hasItems(KNN, FACE_SEARCH));
        }
    }
}
