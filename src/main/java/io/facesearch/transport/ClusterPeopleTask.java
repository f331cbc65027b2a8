package io.facesearch.transport;

import io.facesearch.people.ClusterProgress;

import org.opensearch.core.tasks.TaskId;
import org.opensearch.tasks.CancellableTask;

import java.util.Map;

/**
 * The task of a clustering run: cancellable with the searches and writes it starts, and showing how far it got in
 * {@code GET _tasks} ({@link ClusterPeopleStatus}).
 */
public class ClusterPeopleTask extends CancellableTask {
    private final ClusterProgress progress = new ClusterProgress();

    public ClusterPeopleTask(long id, String type, String action, String description, TaskId parentTaskId, Map<String, String> headers) {
        super(id, type, action, description, parentTaskId, headers);
    }

    public ClusterProgress progress() {
        return progress;
    }

    @Override
    public boolean shouldCancelChildrenOnCancellation() {
        return true;
    }

    @Override
    public Status getStatus() {
        return new ClusterPeopleStatus(progress.snapshot());
    }
}
