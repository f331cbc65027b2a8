package io.facesearch.transport;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;
import io.facesearch.people.cluster.FaceKey;

import org.opensearch.action.IndicesRequest;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What every request about persons names: the photo indices of the path (whose faces belong to the persons) and the
 * people index (null: {@code {index}-people} of the one photo index).
 */
public abstract class PeopleRequest extends CancellableRequest implements IndicesRequest {
    /** The most faces one request may move: a bound on what it reads before anything is checked. */
    public static final int MAX_FACES = 10_000;

    private final String[] indices;
    private final String peopleIndex;

    protected PeopleRequest(String[] indices, String peopleIndex) {
        this.indices = indices;
        this.peopleIndex = peopleIndex;
    }

    protected PeopleRequest(StreamInput in) throws IOException {
        super(in);
        this.indices = in.readStringArray();
        this.peopleIndex = in.readOptionalString();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeStringArray(indices);
        out.writeOptionalString(peopleIndex);
    }

    @Override
    public String[] indices() {
        return indices;
    }

    @Override
    public IndicesOptions indicesOptions() {
        return IndicesOptions.strictExpandOpenAndForbidClosed();
    }

    /** Null: the default of the photo index. */
    public String peopleIndex() {
        return peopleIndex;
    }

    @Override
    public org.opensearch.action.ActionRequestValidationException validate() {
        return indices == null || indices.length == 0 ? RequestValidation.missing("index") : null;
    }

    /** {@code [{"index": ..., "id": ..., "face": 0}, ...]}: at least one face, at most {@link #MAX_FACES}. */
    static List<FaceKey> readFaces(XContentParser parser, String field) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            throw FieldValues.invalid(field, "must be an array of faces ({\"index\", \"id\", \"face\"}), got " + FieldReader.describe(parser, field));
        }
        List<FaceKey> faces = new ArrayList<>();
        while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
            String element = field + "][" + faces.size();
            if (faces.size() == MAX_FACES) {
                throw FieldValues.invalid(field, "must name at most " + MAX_FACES + " faces");
            }
            FieldReader.startObject(parser, element);
            String index = null;
            String id = null;
            Integer face = null;
            while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "index" -> index = FieldReader.string(parser, element + "].[index");
                    case "id" -> id = FieldReader.string(parser, element + "].[id");
                    case "face" -> face = FieldReader.integer(parser, element + "].[face", 0, Integer.MAX_VALUE);
                    default -> throw FieldValues.unknownField(element + "].[" + name, "[index, id, face]");
                }
            }
            FieldValues.required(index, element + "].[index");
            FieldValues.required(id, element + "].[id");
            FieldValues.required(face, element + "].[face");
            faces.add(new FaceKey(index, id, face));
        }
        if (faces.isEmpty()) {
            throw FieldValues.invalid(field, "must name at least one face");
        }
        return faces;
    }

    static List<FaceKey> readFaces(StreamInput in) throws IOException {
        return in.readList(input -> new FaceKey(input.readString(), input.readString(), input.readVInt()));
    }

    static void writeFaces(StreamOutput out, List<FaceKey> faces) throws IOException {
        out.writeCollection(faces, (output, face) -> {
            output.writeString(face.index());
            output.writeString(face.id());
            output.writeVInt(face.face());
        });
    }
}
