package io.facesearch.rest;

import io.facesearch.transport.ClusterPeopleAction;
import io.facesearch.transport.ClusterPeopleRequest;

import org.opensearch.core.common.Strings;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.tasks.LoggingTaskListener;
import org.opensearch.tasks.Task;
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
public class RestClusterPeopleAction extends BaseRestHandler {

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
        boolean waitForCompletion = request.paramAsBoolean("wait_for_completion", true);
        ClusterPeopleRequest cluster = ClusterPeopleRequest.parse(indices, request.hasContentOrSourceParam() ? request.contentOrSourceParamParser() : null);
        if (waitForCompletion) {
            return channel -> client.executeLocally(ClusterPeopleAction.INSTANCE, cluster, new RestToXContentListener<>(channel));
        }
        cluster.storeResult(true);
        Task task = client.executeLocally(ClusterPeopleAction.INSTANCE, cluster, LoggingTaskListener.<io.facesearch.transport.ClusterPeopleResponse>instance());
        String taskId = client.getLocalNodeId() + ":" + task.getId();
        return channel -> {
            try (XContentBuilder builder = channel.newBuilder()) {
                builder.startObject().field("task", taskId).endObject();
                channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
            }
        };
    }
}
