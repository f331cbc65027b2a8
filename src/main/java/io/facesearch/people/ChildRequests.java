package io.facesearch.people;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionType;
import org.opensearch.action.search.ClearScrollAction;
import org.opensearch.action.search.ClearScrollRequest;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.tasks.TaskCancelledException;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.transport.client.Client;

/**
 * The requests a people operation sends (searches, bulks, mapping changes), each as a child of the operation's task:
 * cancelling the task cancels what runs, and the reads are those of the plugin, which see the vectors of photo
 * indices. They run one after the other, waiting for each answer, on a thread of the plugin's people pool; the task's
 * cancellation is checked before each.
 */
public final class ChildRequests {
    private final Client client;
    private final TaskId parent;
    private final CancellableTask task;

    public ChildRequests(Client client, String localNodeId, CancellableTask task) {
        this.client = client;
        this.parent = new TaskId(localNodeId, task.getId());
        this.task = task;
    }

    /**
     * Sends {@code request} and waits for its answer. A request that fails because the task was cancelled under it
     * (a search answers that its shards failed) fails as the cancellation it is.
     */
    public <Q extends ActionRequest, R extends ActionResponse> R execute(ActionType<R> action, Q request) {
        checkCancelled();
        request.setParentTask(parent);
        try {
            return client.execute(action, request).actionGet();
        } catch (RuntimeException e) {
            if (task.isCancelled()) {
                TaskCancelledException cancelled = new TaskCancelledException("the task was cancelled: " + task.getReasonCancelled());
                cancelled.addSuppressed(e);
                throw cancelled;
            }
            throw e;
        }
    }

    /**
     * Sends {@code request} even when the task is cancelled, to release what the operation holds (a scroll): not as a
     * child, which a cancelled task may no longer have.
     */
    public <Q extends ActionRequest, R extends ActionResponse> R executeEvenIfCancelled(ActionType<R> action, Q request) {
        return client.execute(action, request).actionGet();
    }

    /** Releases a scroll, even when the task was cancelled; one that cannot be released expires after its keep-alive. */
    public void clearScroll(String scrollId) {
        if (scrollId == null) {
            return;
        }
        ClearScrollRequest clear = new ClearScrollRequest();
        clear.addScrollId(scrollId);
        try {
            executeEvenIfCancelled(ClearScrollAction.INSTANCE, clear);
        } catch (RuntimeException e) {
            // the scroll expires on its own after its keep-alive
        }
    }

    /** Throws the task's cancellation once it is cancelled. */
    public void checkCancelled() {
        if (task.isCancelled()) {
            throw new TaskCancelledException("the task was cancelled: " + task.getReasonCancelled());
        }
    }

    public boolean isCancelled() {
        return task.isCancelled();
    }
}
