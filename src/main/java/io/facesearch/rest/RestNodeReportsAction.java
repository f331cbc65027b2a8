package io.facesearch.rest;

import io.facesearch.transport.NodeReportsRequest;
import io.facesearch.transport.NodeReportsResponse;

import org.opensearch.action.ActionType;
import org.opensearch.core.common.Strings;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

import static org.opensearch.rest.RestRequest.Method.GET;

/** {@code GET _plugins/_face/<what>} from every node, or {@code GET _plugins/_face/{nodeId}/<what>} from the nodes named. */
abstract class RestNodeReportsAction extends BaseRestHandler {
    private final String what;
    private final ActionType<NodeReportsResponse> action;

    RestNodeReportsAction(String what, ActionType<NodeReportsResponse> action) {
        this.what = what;
        this.action = action;
    }

    @Override
    public String getName() {
        return "face_" + what + "_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, "/_plugins/_face/" + what), new Route(GET, "/_plugins/_face/{nodeId}/" + what));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        NodeReportsRequest reports = new NodeReportsRequest(Strings.splitStringByCommaToArray(request.param("nodeId")));
        return channel -> client.execute(action, reports, new RestToXContentListener<>(channel));
    }
}
