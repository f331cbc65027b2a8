package io.facesearch.rest;

import io.facesearch.transport.NodeReportsRequest;
import io.facesearch.transport.StatsAction;

import org.opensearch.core.common.Strings;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

import static org.opensearch.rest.RestRequest.Method.GET;

/** {@code GET _plugins/_face/stats} and {@code GET _plugins/_face/{nodeId}/stats}: what each node's face work has done. */
public class RestStatsAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "face_stats_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, "/_plugins/_face/stats"), new Route(GET, "/_plugins/_face/{nodeId}/stats"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        NodeReportsRequest stats = new NodeReportsRequest(Strings.splitStringByCommaToArray(request.param("nodeId")));
        return channel -> client.execute(StatsAction.INSTANCE, stats, new RestToXContentListener<>(channel));
    }
}
