package io.facesearch.transport;

import io.facesearch.vision.Cancellation;

import org.opensearch.tasks.CancellableTask;
import org.opensearch.tasks.Task;

/** The vision engine's view of a task: cancelled once the task is (its REST client went away, or {@code _tasks/_cancel}). */
final class TaskCancellation {
    private TaskCancellation() {}

    static Cancellation of(Task task) {
        return task instanceof CancellableTask cancellable ? cancellable::isCancelled : Cancellation.NONE;
    }
}
