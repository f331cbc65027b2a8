package io.facesearch.rest;

import io.facesearch.transport.VerifyAction;
import io.facesearch.transport.VerifyRequest;

import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestCancellableNodeClient;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

import static org.opensearch.rest.RestRequest.Method.POST;

/** {@code POST _plugins/_face/verify}: are the faces of two photos the same person? Cancelled when the client disconnects. */
public class RestVerifyAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "face_verify_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/_plugins/_face/verify"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        VerifyRequest verify = VerifyRequest.parse(request.contentParser());
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(
            VerifyAction.INSTANCE,
            verify,
            new RestToXContentListener<>(channel)
        );
    }
}
