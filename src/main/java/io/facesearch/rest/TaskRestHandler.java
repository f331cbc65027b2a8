package io.facesearch.rest;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionType;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.tasks.LoggingTaskListener;
import org.opensearch.tasks.Task;
import org.opensearch.transport.client.node.NodeClient;

import java.util.function.Consumer;

/**
 * How a long administrative action answers, as {@code _reindex} does: by default its answer once done; with
 * {@code wait_for_completion=false} its task's id at once, the task storing its result in {@code .tasks} when it ends.
 * Either way it runs on when the client disconnects: work half done must not be left so.
 */
abstract class TaskRestHandler extends BaseRestHandler {

    /**
     * @param storeResult tells the request to store its result (it is then run without waiting)
     */
    protected static <Q extends ActionRequest, R extends ActionResponse & ToXContentObject> RestChannelConsumer runAsTask(
        RestRequest rest,
        NodeClient client,
        ActionType<R> action,
        Q request,
        Consumer<Boolean> storeResult
    ) {
        if (rest.paramAsBoolean("wait_for_completion", true)) {
            return channel -> client.executeLocally(action, request, new RestToXContentListener<>(channel));
        }
        storeResult.accept(true);
        Task task = client.executeLocally(action, request, LoggingTaskListener.<R>instance());
        String taskId = client.getLocalNodeId() + ":" + task.getId();
        return channel -> {
            try (XContentBuilder builder = channel.newBuilder()) {
                builder.startObject().field("task", taskId).endObject();
                channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
            }
        };
    }
}
