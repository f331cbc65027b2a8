package io.facesearch.rest;

import io.facesearch.transport.ModelsAction;
import io.facesearch.transport.NodeReportsRequest;

import org.opensearch.core.common.Strings;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

import static org.opensearch.rest.RestRequest.Method.GET;

/** {@code GET _plugins/_face/models} and {@code GET _plugins/_face/{nodeId}/models}: which models each node loaded, or why not. */
public class RestModelsAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "face_models_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, "/_plugins/_face/models"), new Route(GET, "/_plugins/_face/{nodeId}/models"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        NodeReportsRequest models = new NodeReportsRequest(Strings.splitStringByCommaToArray(request.param("nodeId")));
        return channel -> client.execute(ModelsAction.INSTANCE, models, new RestToXContentListener<>(channel));
    }
}
