package io.facesearch.rest;

import io.facesearch.transport.IdentifyAction;
import io.facesearch.transport.IdentifyRequest;

import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestCancellableNodeClient;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

import static org.opensearch.rest.RestRequest.Method.POST;

/** {@code POST _plugins/_face/identify}: who is this? Cancelled, with its search, when the client disconnects. */
public class RestIdentifyAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "face_identify_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/_plugins/_face/identify"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        IdentifyRequest identify = IdentifyRequest.parse(request.contentParser());
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(
            IdentifyAction.INSTANCE,
            identify,
            new RestToXContentListener<>(channel)
        );
    }
}
