package io.facesearch.transport;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;
import io.facesearch.people.cluster.FaceKey;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Faces of a person to move: {@code {"faces": [{"index", "id", "face"}, ...]}}, and for a split, where to
 * ({@code "into"}: a person's id, or null or left out for a new person).
 */
public class FacesOfPersonRequest extends PeopleRequest {
    private final String person;
    private final List<FaceKey> faces;
    private final String into;
    private final boolean split;

    public FacesOfPersonRequest(String[] indices, String peopleIndex, String person, List<FaceKey> faces, String into, boolean split) {
        super(indices, peopleIndex);
        this.person = person;
        this.faces = faces;
        this.into = into;
        this.split = split;
    }

    public FacesOfPersonRequest(StreamInput in) throws IOException {
        super(in);
        this.person = in.readString();
        this.faces = readFaces(in);
        this.into = in.readOptionalString();
        this.split = in.readBoolean();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeString(person);
        writeFaces(out, faces);
        out.writeOptionalString(into);
        out.writeBoolean(split);
    }

    /** The body of {@code _split} ({@code split} true: it may name {@code into}) or of {@code _reject}. */
    public static FacesOfPersonRequest parse(String[] indices, String peopleIndex, String person, boolean split, XContentParser parser)
        throws IOException {
        return FieldReader.body(parser, p -> {
            List<FaceKey> faces = null;
            String into = null;
            while (p.nextToken() == XContentParser.Token.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("faces")) {
                    faces = readFaces(p, field);
                } else if (split && field.equals("into")) {
                    // null asks for a new person, as leaving it out does
                    into = p.currentToken() == XContentParser.Token.VALUE_NULL ? null : FieldReader.string(p, field);
                } else {
                    throw FieldValues.unknownField(field, split ? "[faces, into]" : "[faces]");
                }
            }
            FieldValues.required(faces, "faces");
            return new FacesOfPersonRequest(indices, peopleIndex, person, List.copyOf(new LinkedHashSet<>(faces)), into, split);
        });
    }

    public String person() {
        return person;
    }

    public List<FaceKey> faces() {
        return faces;
    }

    /** Null: a new person. */
    public String into() {
        return into;
    }

    @Override
    public String getDescription() {
        return (split ? "split " : "reject ") + faces.size() + " faces of person [" + person + "] of " + String.join(",", indices());
    }
}
