package io.facesearch.rest;

import io.facesearch.transport.FacesOfPersonRequest;
import io.facesearch.transport.MergePeopleAction;
import io.facesearch.transport.MergePeopleRequest;
import io.facesearch.transport.NamePersonAction;
import io.facesearch.transport.NamePersonRequest;
import io.facesearch.transport.RejectFacesAction;
import io.facesearch.transport.SplitPersonAction;

import org.opensearch.core.common.Strings;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

import static org.opensearch.rest.RestRequest.Method.POST;

/**
 * The edits of persons: {@code _name}, {@code _merge}, {@code _split} and {@code _reject} under
 * {@code _plugins/_face/people/{index}}. An edit runs to its end once sent, whether the client waits or not.
 */
public class RestPersonEditAction extends BaseRestHandler {
    private static final String BASE = "/_plugins/_face/people/{index}";

    @Override
    public String getName() {
        return "face_person_edit_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(
            new Route(POST, BASE + "/{person}/_name"),
            new Route(POST, BASE + "/_merge"),
            new Route(POST, BASE + "/{person}/_split"),
            new Route(POST, BASE + "/{person}/_reject")
        );
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        String[] indices = Strings.splitStringByCommaToArray(request.param("index"));
        String peopleIndex = request.param("people_index");
        String person = request.param("person");
        String path = request.path();
        if (path.endsWith("/_name")) {
            NamePersonRequest name = NamePersonRequest.parse(indices, peopleIndex, person, request.contentParser());
            return channel -> client.execute(NamePersonAction.INSTANCE, name, new RestToXContentListener<>(channel));
        }
        if (path.endsWith("/_merge")) {
            MergePeopleRequest merge = MergePeopleRequest.parse(indices, peopleIndex, request.contentParser());
            return channel -> client.execute(MergePeopleAction.INSTANCE, merge, new RestToXContentListener<>(channel));
        }
        boolean split = path.endsWith("/_split");
        FacesOfPersonRequest faces = FacesOfPersonRequest.parse(indices, peopleIndex, person, split, request.contentParser());
        return channel -> client.execute(split ? SplitPersonAction.INSTANCE : RejectFacesAction.INSTANCE, faces, new RestToXContentListener<>(channel));
    }
}
