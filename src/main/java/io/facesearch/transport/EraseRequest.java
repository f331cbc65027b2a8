package io.facesearch.transport;

import io.facesearch.common.EncodedPhoto;
import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;
import io.facesearch.erase.FaceErasure;

import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.IndicesRequest;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An erasure: the photo indices (none named: every photo index), exactly one criterion (an identity label, a person,
 * or an example face as a photo or a vector with its least similarity), and what to do (faces or whole photos, a dry
 * run, expunging deleted documents).
 */
public class EraseRequest extends CancellableRequest implements IndicesRequest {
    static final String KNOWN_FIELDS =
        "[identity, identity_field, person, people_index, image, vector, field, min_similarity, scope, dry_run, expunge]";
    /** The least similarity to an example face at which a face is erased, by default (see README: measured on the faces set). */
    public static final float DEFAULT_MIN_SIMILARITY = 0.4f;
    public static final String DEFAULT_IDENTITY_FIELD = "identity";
    /** The face vector fields an example can be compared with. */
    static final List<String> VECTOR_FIELDS = List.of("embedding", "clip");

    private final String[] indices;
    private final String identity;
    private final String identityField;
    private final String person;
    private final String peopleIndex;
    private final EncodedPhoto image;
    private final float[] vector;
    private final String field;
    private final float minSimilarity;
    private final FaceErasure.Scope scope;
    private final boolean dryRun;
    private final boolean expunge;
    private boolean storeResult;

    public EraseRequest(
        String[] indices,
        String identity,
        String identityField,
        String person,
        String peopleIndex,
        EncodedPhoto image,
        float[] vector,
        String field,
        float minSimilarity,
        FaceErasure.Scope scope,
        boolean dryRun,
        boolean expunge
    ) {
        this.indices = indices;
        this.identity = identity;
        this.identityField = identityField;
        this.person = person;
        this.peopleIndex = peopleIndex;
        this.image = image;
        this.vector = vector;
        this.field = field;
        this.minSimilarity = minSimilarity;
        this.scope = scope;
        this.dryRun = dryRun;
        this.expunge = expunge;
    }

    public EraseRequest(StreamInput in) throws IOException {
        super(in);
        this.indices = in.readStringArray();
        this.identity = in.readOptionalString();
        this.identityField = in.readString();
        this.person = in.readOptionalString();
        this.peopleIndex = in.readOptionalString();
        this.image = in.readOptionalWriteable(EncodedPhoto::new);
        this.vector = in.readBoolean() ? in.readFloatArray() : null;
        this.field = in.readString();
        this.minSimilarity = in.readFloat();
        this.scope = in.readEnum(FaceErasure.Scope.class);
        this.dryRun = in.readBoolean();
        this.expunge = in.readBoolean();
        this.storeResult = in.readBoolean();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeStringArray(indices);
        out.writeOptionalString(identity);
        out.writeString(identityField);
        out.writeOptionalString(person);
        out.writeOptionalString(peopleIndex);
        out.writeOptionalWriteable(image);
        out.writeBoolean(vector != null);
        if (vector != null) {
            out.writeFloatArray(vector);
        }
        out.writeString(field);
        out.writeFloat(minSimilarity);
        out.writeEnum(scope);
        out.writeBoolean(dryRun);
        out.writeBoolean(expunge);
        out.writeBoolean(storeResult);
    }

    /** Reads the JSON body of {@code POST _plugins/_face/_erase}; every error names its field. */
    public static EraseRequest parse(String[] indices, XContentParser parser) throws IOException {
        if (parser == null) {
            throw new IllegalArgumentException("a body is required: exactly one of [identity], [person], [image] and [vector]");
        }
        return FieldReader.body(parser, p -> read(indices, p));
    }

    private static EraseRequest read(String[] indices, XContentParser parser) throws IOException {
        String identity = null;
        String identityField = DEFAULT_IDENTITY_FIELD;
        String person = null;
        String peopleIndex = null;
        EncodedPhoto image = null;
        float[] vector = null;
        String field = null;
        Float minSimilarity = null;
        FaceErasure.Scope scope = FaceErasure.Scope.FACES;
        boolean dryRun = false;
        boolean expunge = false;
        while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "identity" -> identity = FieldReader.string(parser, name);
                case "identity_field" -> identityField = FieldReader.string(parser, name);
                case "person" -> person = FieldReader.string(parser, name);
                case "people_index" -> peopleIndex = FieldReader.string(parser, name);
                case "image" -> image = FieldReader.encodedPhoto(parser, name);
                case "vector" -> vector = FieldReader.vector(parser, name);
                case "field" -> field = vectorField(FieldReader.string(parser, name));
                case "min_similarity" -> minSimilarity = FieldReader.number(parser, name, -1, 1);
                case "scope" -> scope = scope(FieldReader.string(parser, name));
                case "dry_run" -> dryRun = FieldReader.bool(parser, name);
                case "expunge" -> expunge = FieldReader.bool(parser, name);
                default -> throw FieldValues.unknownField(name, KNOWN_FIELDS);
            }
        }
        List<String> given = new ArrayList<>();
        for (Object[] criterion : new Object[][] { { "identity", identity }, { "person", person }, { "image", image }, { "vector", vector } }) {
            if (criterion[1] != null) {
                given.add((String) criterion[0]);
            }
        }
        if (given.size() != 1) {
            throw new IllegalArgumentException(
                "exactly one of [identity], [person], [image] and [vector] is required, got " + (given.isEmpty() ? "none" : given)
            );
        }
        boolean example = image != null || vector != null;
        if (example == false) {
            for (Object[] option : new Object[][] { { "field", field }, { "min_similarity", minSimilarity } }) {
                if (option[1] != null) {
                    throw FieldValues.invalid((String) option[0], "is only used with an example face ([image] or [vector])");
                }
            }
        }
        if (peopleIndex != null && person == null) {
            throw FieldValues.invalid("people_index", "is only used with [person]");
        }
        if (image != null && "clip".equals(field)) {
            throw FieldValues.invalid("field", "an [image] is compared by its identity vector; compare [faces.clip] with a [vector]");
        }
        return new EraseRequest(
            indices,
            identity,
            identityField,
            person,
            peopleIndex,
            image,
            vector,
            field == null ? "embedding" : field,
            minSimilarity == null ? DEFAULT_MIN_SIMILARITY : minSimilarity,
            scope,
            dryRun,
            expunge
        );
    }

    /** A face vector field, named from the faces ({@code embedding}) or from the document ({@code faces.embedding}). */
    private static String vectorField(String value) {
        String name = value.startsWith("faces.") ? value.substring("faces.".length()) : value;
        if (VECTOR_FIELDS.contains(name) == false) {
            throw FieldValues.invalid("field", "must be [faces.embedding] or [faces.clip], got [" + value + "]");
        }
        return name;
    }

    private static FaceErasure.Scope scope(String value) {
        FaceErasure.Scope scope = FaceErasure.Scope.fromApiName(value);
        if (scope == null) {
            throw FieldValues.invalid("scope", "must be [faces] or [documents], got [" + value + "]");
        }
        return scope;
    }

    @Override
    public ActionRequestValidationException validate() {
        return null;
    }

    /** With {@code wait_for_completion=false}, the task stores its result in {@code .tasks} when it ends. */
    public void storeResult(boolean storeResult) {
        this.storeResult = storeResult;
    }

    @Override
    public boolean getShouldStoreResult() {
        return storeResult;
    }

    /** The indices named; none: every photo index. */
    @Override
    public String[] indices() {
        return indices.length == 0 ? new String[] { "*" } : indices;
    }

    /** Whether the request names its indices (else every photo index the pattern {@code *} finds is erased from). */
    public boolean indicesNamed() {
        return indices.length > 0;
    }

    @Override
    public IndicesOptions indicesOptions() {
        return IndicesOptions.strictExpandOpenAndForbidClosed();
    }

    @Override
    public String getDescription() {
        String criterion = identity != null ? "identity [" + identity + "]" : person != null ? "person [" + person + "]" : "an example face";
        return (dryRun ? "dry run of the erasure of " : "erasure of ") + criterion + " from " + String.join(",", indices());
    }

    public String identity() {
        return identity;
    }

    public String identityField() {
        return identityField;
    }

    public String person() {
        return person;
    }

    public String peopleIndex() {
        return peopleIndex;
    }

    public EncodedPhoto image() {
        return image;
    }

    public float[] vector() {
        return vector;
    }

    /** The face vector field an example is compared with: {@code embedding} or {@code clip}. */
    public String field() {
        return field;
    }

    public float minSimilarity() {
        return minSimilarity;
    }

    public FaceErasure.Scope scope() {
        return scope;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public boolean expunge() {
        return expunge;
    }
}
