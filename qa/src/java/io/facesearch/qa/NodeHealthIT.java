package io.facesearch.qa;

import org.opensearch.client.Request;
import org.opensearch.client.Response;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/**
 * Harness check against the real node started by {@code qa/node start} (Maven pre-integration-test;
 * address in {@code tests.rest.cluster}): the node is healthy and has both the k-NN and the
 * face-search plugins installed. Only reads.
 */
public class NodeHealthIT extends FaceSearchRestTestCase {

    private static final String KNN = "opensearch-knn";
    private static final String FACE_SEARCH = "face-search";

    public void testClusterIsHealthy() throws IOException {
        Map<String, Object> health = assertHealthy("at the start");
        assertThat(asInt(health.get("number_of_nodes")), is(1));
    }

    public void testCatPluginsListsKnnAndFaceSearch() throws IOException {
        Request request = new Request("GET", "/_cat/plugins");
        request.addParameter("format", "json");
        Response response = client().performRequest(request);
        assertOK(response);
        List<String> components = new ArrayList<>();
        for (Object row : entityAsList(response)) {   // a JSON array: not an Answer
            components.add(String.valueOf(asMap(row).get("component")));
        }
        assertThat(components, hasItems(KNN, FACE_SEARCH));
    }

    public void testNodesInfoShowsKnnAndFaceSearch() throws IOException {
        Answer answer = callOk("GET", "/_nodes/plugins", null);
        Map<String, Object> nodes = asMap(answer.body().get("nodes"));
        assertFalse("no nodes in _nodes/plugins", nodes.isEmpty());
        for (Map.Entry<String, Object> node : nodes.entrySet()) {
            List<String> names = new ArrayList<>();
            for (Map<String, Object> plugin : asListOfMaps(asMap(node.getValue()).get("plugins"))) {
                names.add(String.valueOf(plugin.get("name")));
            }
            assertThat("plugins of node " + node.getKey(), names, hasItems(KNN, FACE_SEARCH));
        }
    }
}
