package io.facesearch.transport;

import io.facesearch.common.FieldValues;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

import java.io.IOException;

/** The persons of a people index, a page at a time, or one person (non-null {@code person}) and a page of its photos. */
public class GetPeopleRequest extends PeopleRequest {
    public static final int DEFAULT_SIZE = 20;
    /** The most persons or photos a page holds: OpenSearch's own window of results. */
    public static final int MAX_WINDOW = 10_000;

    private final String person;
    private final int from;
    private final int size;

    public GetPeopleRequest(String[] indices, String peopleIndex, String person, int from, int size) {
        super(indices, peopleIndex);
        FieldValues.between(from, 0, MAX_WINDOW, "from");
        FieldValues.between(size, 0, MAX_WINDOW, "size");
        if (from + size > MAX_WINDOW) {
            throw new IllegalArgumentException("[from] + [size] must be at most " + MAX_WINDOW + ", got " + (from + size));
        }
        this.person = person;
        this.from = from;
        this.size = size;
    }

    public GetPeopleRequest(StreamInput in) throws IOException {
        super(in);
        this.person = in.readOptionalString();
        this.from = in.readVInt();
        this.size = in.readVInt();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeOptionalString(person);
        out.writeVInt(from);
        out.writeVInt(size);
    }

    public String person() {
        return person;
    }

    public int from() {
        return from;
    }

    public int size() {
        return size;
    }

    @Override
    public String getDescription() {
        return (person == null ? "list the persons" : "show person [" + person + "]") + " of " + String.join(",", indices());
    }
}
