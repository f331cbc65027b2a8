package io.facesearch.transport;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** What a clustering run did: the counts of faces and persons, and where the persons are. */
public class ClusterPeopleResponse extends ActionResponse implements ToXContentObject {
    private final long tookMillis;
    private final String mode;
    private final long facesConsidered;
    private final long facesAssigned;
    private final long persons;
    private final long personsCreated;
    private final long personsUpdated;
    private final long personsRemoved;
    /**
     * Photos changed by someone else between the run's reading and its writing: their faces keep what they had, and
     * the next run places them.
     */
    private final long photosSkipped;
    private final String peopleIndex;
    private final List<String> photoIndices;
    /** How long each step took, in milliseconds, by step. */
    private final Map<String, Long> steps;

    public ClusterPeopleResponse(
        long tookMillis,
        String mode,
        long facesConsidered,
        long facesAssigned,
        long persons,
        long personsCreated,
        long personsUpdated,
        long personsRemoved,
        long photosSkipped,
        String peopleIndex,
        List<String> photoIndices,
        Map<String, Long> steps
    ) {
        this.tookMillis = tookMillis;
        this.mode = mode;
        this.facesConsidered = facesConsidered;
        this.facesAssigned = facesAssigned;
        this.persons = persons;
        this.personsCreated = personsCreated;
        this.personsUpdated = personsUpdated;
        this.personsRemoved = personsRemoved;
        this.photosSkipped = photosSkipped;
        this.peopleIndex = peopleIndex;
        this.photoIndices = photoIndices;
        this.steps = steps;
    }

    public ClusterPeopleResponse(StreamInput in) throws IOException {
        super(in);
        this.tookMillis = in.readVLong();
        this.mode = in.readString();
        this.facesConsidered = in.readVLong();
        this.facesAssigned = in.readVLong();
        this.persons = in.readVLong();
        this.personsCreated = in.readVLong();
        this.personsUpdated = in.readVLong();
        this.personsRemoved = in.readVLong();
        this.photosSkipped = in.readVLong();
        this.peopleIndex = in.readString();
        this.photoIndices = in.readStringList();
        this.steps = in.readMap(StreamInput::readString, StreamInput::readVLong);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVLong(tookMillis);
        out.writeString(mode);
        out.writeVLong(facesConsidered);
        out.writeVLong(facesAssigned);
        out.writeVLong(persons);
        out.writeVLong(personsCreated);
        out.writeVLong(personsUpdated);
        out.writeVLong(personsRemoved);
        out.writeVLong(photosSkipped);
        out.writeString(peopleIndex);
        out.writeStringCollection(photoIndices);
        out.writeMap(steps, StreamOutput::writeString, StreamOutput::writeVLong);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject()
            .field("took", tookMillis)
            .field("mode", mode)
            .field("faces_considered", facesConsidered)
            .field("faces_assigned", facesAssigned)
            .field("faces_unassigned", facesConsidered - facesAssigned)
            .field("persons", persons)
            .field("persons_created", personsCreated)
            .field("persons_updated", personsUpdated)
            .field("persons_removed", personsRemoved)
            .field("photos_skipped", photosSkipped)
            .field("people_index", peopleIndex)
            .field("photo_indices", photoIndices)
            .field("steps", steps)
            .endObject();
    }

    public long persons() {
        return persons;
    }
}
