package io.facesearch.transport;

import io.facesearch.common.EncodedPhoto;
import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;
import io.facesearch.identify.HitCandidates;
import io.facesearch.query.FaceMatchQueryBuilder;
import io.facesearch.vision.identify.IdentityVote;

import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.IndicesRequest;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.core.common.Strings;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.QueryBuilder;

import java.io.IOException;

/**
 * The face to identify (a photo's main face, every face of a photo, or a vector), the photo indices that hold the
 * labelled faces, and the vote's parameters (threshold null: the node's). The detection options (null: the node's)
 * decide which faces the photo has.
 */
public class IdentifyRequest extends CancellableRequest implements IndicesRequest {
    public static final int DEFAULT_K1 = IdentityVote.DEFAULT_K1;
    public static final int DEFAULT_K2 = IdentityVote.DEFAULT_K2;
    public static final int MAX_K = FaceMatchQueryBuilder.MAX_K;
    public static final String DEFAULT_IDENTITY_FIELD = HitCandidates.DEFAULT_IDENTITY_FIELD;
    static final String KNOWN_FIELDS =
        "[index, image, vector, faces, k1, k2, threshold, identity_field, field, filter, min_score, min_face_size, max_faces]";

    /** Which faces of the photo are identified. */
    public enum Faces {
        /** The face the photo is "of": one answer, as the API always gave. */
        MAIN("main"),
        /** Every face found, each with its own answer. */
        ALL("all");

        private final String value;

        Faces(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        static Faces of(String value) {
            for (Faces faces : values()) {
                if (faces.value.equals(value)) {
                    return faces;
                }
            }
            throw FieldValues.invalid("faces", "must be [main] or [all], got [" + value + "]");
        }
    }

    private final String[] indices;
    private final EncodedPhoto image;
    private final float[] vector;
    private final Faces faces;
    private final int k1;
    private final int k2;
    private final Float threshold;
    private final String identityField;
    private final String field;
    private final QueryBuilder filter;
    private final Float minScore;
    private final Integer minFaceSize;
    private final Integer maxFaces;

    public IdentifyRequest(
        String[] indices,
        EncodedPhoto image,
        float[] vector,
        int k1,
        int k2,
        Float threshold,
        String identityField,
        String field,
        QueryBuilder filter
    ) {
        this(indices, image, vector, Faces.MAIN, k1, k2, threshold, identityField, field, filter, null, null, null);
    }

    public IdentifyRequest(
        String[] indices,
        EncodedPhoto image,
        float[] vector,
        Faces faces,
        int k1,
        int k2,
        Float threshold,
        String identityField,
        String field,
        QueryBuilder filter,
        Float minScore,
        Integer minFaceSize,
        Integer maxFaces
    ) {
        this.indices = indices;
        this.image = image;
        this.vector = vector;
        this.faces = faces;
        this.k1 = k1;
        this.k2 = k2;
        this.threshold = threshold;
        this.identityField = identityField;
        this.field = field;
        this.filter = filter;
        this.minScore = minScore;
        this.minFaceSize = minFaceSize;
        this.maxFaces = maxFaces;
    }

    public IdentifyRequest(StreamInput in) throws IOException {
        super(in);
        this.indices = in.readStringArray();
        this.image = in.readOptionalWriteable(EncodedPhoto::new);
        this.vector = in.readBoolean() ? in.readFloatArray() : null;
        this.faces = in.readEnum(Faces.class);
        this.k1 = in.readVInt();
        this.k2 = in.readVInt();
        this.threshold = in.readOptionalFloat();
        this.identityField = in.readString();
        this.field = in.readString();
        this.filter = in.readOptionalNamedWriteable(QueryBuilder.class);
        this.minScore = in.readOptionalFloat();
        this.minFaceSize = in.readOptionalVInt();
        this.maxFaces = in.readOptionalVInt();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeStringArray(indices);
        out.writeOptionalWriteable(image);
        out.writeBoolean(vector != null);
        if (vector != null) {
            out.writeFloatArray(vector);
        }
        out.writeEnum(faces);
        out.writeVInt(k1);
        out.writeVInt(k2);
        out.writeOptionalFloat(threshold);
        out.writeString(identityField);
        out.writeString(field);
        out.writeOptionalNamedWriteable(filter);
        out.writeOptionalFloat(minScore);
        out.writeOptionalVInt(minFaceSize);
        out.writeOptionalVInt(maxFaces);
    }

    /** Reads the JSON body of {@code POST _plugins/_face/identify}; every error names its field. */
    public static IdentifyRequest parse(XContentParser parser) throws IOException {
        return FieldReader.body(parser, IdentifyRequest::read);
    }

    private static IdentifyRequest read(XContentParser parser) throws IOException {
        String index = null;
        EncodedPhoto image = null;
        float[] vector = null;
        Faces faces = null;
        int k1 = DEFAULT_K1;
        int k2 = DEFAULT_K2;
        Float threshold = null;
        String identityField = DEFAULT_IDENTITY_FIELD;
        String field = FaceMatchQueryBuilder.DEFAULT_FIELD;
        QueryBuilder filter = null;
        RequestedDetection detection = new RequestedDetection();
        while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (detection.read(parser, name)) {
                continue;
            }
            switch (name) {
                case "index" -> index = FieldReader.string(parser, name);
                case "image" -> image = FieldReader.encodedPhoto(parser, name);
                case "vector" -> vector = FieldReader.vector(parser, name);
                case "faces" -> faces = Faces.of(FieldReader.string(parser, name));
                case "k1" -> k1 = FieldReader.integer(parser, name, 1, MAX_K);
                case "k2" -> k2 = FieldReader.integer(parser, name, 1, MAX_K);
                case "threshold" -> threshold = FieldReader.number(parser, name, -1, 1);
                case "identity_field" -> identityField = FieldReader.string(parser, name);
                case "field" -> field = FieldReader.string(parser, name);
                case "filter" -> filter = FieldReader.query(parser, name);
                default -> throw FieldValues.unknownField(name, KNOWN_FIELDS);
            }
        }
        FieldValues.required(index, "index");
        if ((image == null) == (vector == null)) {
            throw new IllegalArgumentException("exactly one of [image] and [vector] is required");
        }
        if (vector != null && (faces != null || detection.firstGiven() != null)) {
            String option = faces != null ? "faces" : detection.firstGiven();
            throw FieldValues.invalid(option, "chooses faces of an [image]; a [vector] is one face already");
        }
        if (k1 > k2) {
            throw new IllegalArgumentException("[k1] and [k2] must satisfy 1 <= k1 <= k2 <= " + MAX_K + ", got k1=" + k1 + ", k2=" + k2);
        }
        return new IdentifyRequest(
            Strings.splitStringByCommaToArray(index),
            image,
            vector,
            faces == null ? Faces.MAIN : faces,
            k1,
            k2,
            threshold,
            identityField,
            field,
            filter,
            detection.minScore,
            detection.minFaceSize,
            detection.maxFaces
        );
    }

    @Override
    public ActionRequestValidationException validate() {
        if (indices == null || indices.length == 0) {
            return RequestValidation.missing("index");
        }
        if ((image == null) == (vector == null)) {
            ActionRequestValidationException e = new ActionRequestValidationException();
            e.addValidationError("exactly one of [image] and [vector] is required");
            return e;
        }
        if (vector != null && faces == Faces.ALL) {
            ActionRequestValidationException e = new ActionRequestValidationException();
            e.addValidationError("[faces] [all] needs an [image]");
            return e;
        }
        return null;
    }

    @Override
    public String[] indices() {
        return indices;
    }

    @Override
    public IndicesOptions indicesOptions() {
        return IndicesOptions.strictExpandOpenAndForbidClosed();
    }

    @Override
    public String getDescription() {
        String what = vector != null ? "a vector" : faces == Faces.ALL ? "every face of a photo" : "a photo's main face";
        return "identify " + what + " in " + String.join(",", indices);
    }

    public EncodedPhoto image() {
        return image;
    }

    public float[] vector() {
        return vector;
    }

    public Faces faces() {
        return faces;
    }

    public int k1() {
        return k1;
    }

    public int k2() {
        return k2;
    }

    public Float threshold() {
        return threshold;
    }

    public String identityField() {
        return identityField;
    }

    public String field() {
        return field;
    }

    public QueryBuilder filter() {
        return filter;
    }

    public Float minScore() {
        return minScore;
    }

    public Integer minFaceSize() {
        return minFaceSize;
    }

    public Integer maxFaces() {
        return maxFaces;
    }
}
