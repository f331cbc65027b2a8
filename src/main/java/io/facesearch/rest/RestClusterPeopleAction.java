package io.facesearch.rest;

import io.facesearch.transport.ClusterPeopleAction;
import io.facesearch.transport.ClusterPeopleRequest;

import org.opensearch.core.common.Strings;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

import static org.opensearch.rest.RestRequest.Method.POST;

/**
 * {@code POST _plugins/_face/people/{index}/_cluster}: groups the faces of the photo indices into persons. With
 * {@code wait_for_completion=false} it answers at once with the task's id, and the task stores its result in
 * {@code .tasks} when it ends, as {@code _reindex} does; either way {@code _tasks/{task}/_cancel} stops it. The run
 * goes on when the client disconnects: it is an administrative job, not a search.
 */
public class RestClusterPeopleAction extends TaskRestHandler {

    @Override
    public String getName() {
        return "face_people_cluster_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/_plugins/_face/people/{index}/_cluster"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        String[] indices = Strings.splitStringByCommaToArray(request.param("index"));
        ClusterPeopleRequest cluster = ClusterPeopleRequest.parse(indices, request.hasContentOrSourceParam() ? request.contentOrSourceParamParser() : null);
        return runAsTask(request, client, ClusterPeopleAction.INSTANCE, cluster, cluster::storeResult);
    }
}
