package io.facesearch.rest;

import io.facesearch.transport.GetPeopleAction;
import io.facesearch.transport.GetPeopleRequest;

import org.opensearch.core.common.Strings;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestCancellableNodeClient;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.util.List;

import static org.opensearch.rest.RestRequest.Method.GET;

/**
 * {@code GET _plugins/_face/people/{index}}: the persons, most faces first; {@code GET _plugins/_face/people/{index}/{person}}:
 * one person and a page of its faces. {@code size} and {@code from} page them, {@code people_index} names another
 * people index than {@code {index}-people}.
 */
public class RestPeopleAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "face_people_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, "/_plugins/_face/people/{index}"), new Route(GET, "/_plugins/_face/people/{index}/{person}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        GetPeopleRequest get = new GetPeopleRequest(
            Strings.splitStringByCommaToArray(request.param("index")),
            request.param("people_index"),
            request.param("person"),
            request.paramAsInt("from", 0),
            request.paramAsInt("size", GetPeopleRequest.DEFAULT_SIZE)
        );
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(
            GetPeopleAction.INSTANCE,
            get,
            new RestToXContentListener<>(channel)
        );
    }
}
