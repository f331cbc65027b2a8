package io.facesearch.rest;

import io.facesearch.transport.DetectAction;
import io.facesearch.transport.DetectRequest;

import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestCancellableNodeClient;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

import static org.opensearch.rest.RestRequest.Method.POST;

/** {@code POST _plugins/_face/detect}: a photo in, its faces out. Cancelled when the client disconnects. */
public class RestDetectAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "face_detect_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/_plugins/_face/detect"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        DetectRequest detect = DetectRequest.parse(request.contentParser());
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(
            DetectAction.INSTANCE,
            detect,
            new RestToXContentListener<>(channel)
        );
    }
}
