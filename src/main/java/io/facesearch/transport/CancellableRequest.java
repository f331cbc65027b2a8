package io.facesearch.transport;

import org.opensearch.action.ActionRequest;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.tasks.Task;

import java.io.IOException;
import java.util.Map;

/**
 * A request whose task can be cancelled ({@code _tasks/_cancel}, or its REST client disconnecting), with the searches
 * it starts: decoding stops at the next row, and the photo's worker moves on.
 */
public abstract class CancellableRequest extends ActionRequest {

    protected CancellableRequest() {}

    protected CancellableRequest(StreamInput in) throws IOException {
        super(in);
    }

    @Override
    public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
        return new CancellableTask(id, type, action, getDescription(), parentTaskId, headers) {
            @Override
            public boolean shouldCancelChildrenOnCancellation() {
                return true;
            }
        };
    }
}
