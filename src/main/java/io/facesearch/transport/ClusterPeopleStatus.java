package io.facesearch.transport;

import io.facesearch.people.ClusterProgress;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.tasks.Task;

import java.io.IOException;
import java.util.Objects;

/** How far a clustering run got: its step, and the counts of the steps so far. Shown as the task's {@code status}. */
public final class ClusterPeopleStatus implements Task.Status {
    public static final String NAME = "face_search_people_cluster";

    private final ClusterProgress.Snapshot snapshot;

    public ClusterPeopleStatus(ClusterProgress.Snapshot snapshot) {
        this.snapshot = snapshot;
    }

    public ClusterPeopleStatus(StreamInput in) throws IOException {
        this.snapshot = new ClusterProgress.Snapshot(
            in.readString(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong()
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(snapshot.step());
        out.writeVLong(snapshot.facesRead());
        out.writeVLong(snapshot.facesToSearch());
        out.writeVLong(snapshot.facesSearched());
        out.writeVLong(snapshot.links());
        out.writeVLong(snapshot.photosToUpdate());
        out.writeVLong(snapshot.photosUpdated());
        out.writeVLong(snapshot.personsWritten());
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    public ClusterProgress.Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject()
            .field("step", snapshot.step())
            .field("faces_read", snapshot.facesRead())
            .field("faces_to_search", snapshot.facesToSearch())
            .field("faces_searched", snapshot.facesSearched())
            .field("links", snapshot.links())
            .field("photos_to_update", snapshot.photosToUpdate())
            .field("photos_updated", snapshot.photosUpdated())
            .field("persons_written", snapshot.personsWritten())
            .endObject();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterPeopleStatus status && snapshot.equals(status.snapshot);
    }

    @Override
    public int hashCode() {
        return Objects.hash(snapshot);
    }
}
