package io.facesearch.rest;

import io.facesearch.transport.EraseAction;
import io.facesearch.transport.EraseRequest;

import org.opensearch.core.common.Strings;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

import static org.opensearch.rest.RestRequest.Method.POST;

/**
 * {@code POST _plugins/_face/_erase} and {@code POST _plugins/_face/index/{index}/_erase}: erases a subject's faces from
 * photo indices. With {@code wait_for_completion=false} it answers at once with the task's id, and the task stores its
 * result in {@code .tasks}; it goes on when the client disconnects, as an erasure half done must not be left so.
 */
public class RestEraseAction extends TaskRestHandler {

    @Override
    public String getName() {
        return "face_erase_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/_plugins/_face/_erase"), new Route(POST, "/_plugins/_face/index/{index}/_erase"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        String[] indices = Strings.splitStringByCommaToArray(request.param("index"));
        EraseRequest erase = EraseRequest.parse(indices, request.hasContentOrSourceParam() ? request.contentOrSourceParamParser() : null);
        return runAsTask(request, client, EraseAction.INSTANCE, erase, erase::storeResult);
    }
}
