package io.facesearch.transport;

import io.facesearch.common.EncodedPhoto;
import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;

import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;

/** Two photos, which face of each (null: its main face), the threshold (null: the node's) and the minimum detector score. */
public class VerifyRequest extends CancellableRequest {
    static final String KNOWN_FIELDS = "[image_a, image_b, face_a, face_b, threshold, min_score]";

    private final EncodedPhoto imageA;
    private final EncodedPhoto imageB;
    private final Integer faceA;
    private final Integer faceB;
    private final Float threshold;
    private final Float minScore;

    public VerifyRequest(EncodedPhoto imageA, EncodedPhoto imageB, Integer faceA, Integer faceB, Float threshold, Float minScore) {
        this.imageA = imageA;
        this.imageB = imageB;
        this.faceA = faceA;
        this.faceB = faceB;
        this.threshold = threshold;
        this.minScore = minScore;
    }

    public VerifyRequest(StreamInput in) throws IOException {
        super(in);
        this.imageA = new EncodedPhoto(in);
        this.imageB = new EncodedPhoto(in);
        this.faceA = in.readOptionalVInt();
        this.faceB = in.readOptionalVInt();
        this.threshold = in.readOptionalFloat();
        this.minScore = in.readOptionalFloat();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        imageA.writeTo(out);
        imageB.writeTo(out);
        out.writeOptionalVInt(faceA);
        out.writeOptionalVInt(faceB);
        out.writeOptionalFloat(threshold);
        out.writeOptionalFloat(minScore);
    }

    /** Reads the JSON body of {@code POST _plugins/_face/verify}; every error names its field. */
    public static VerifyRequest parse(XContentParser parser) throws IOException {
        return FieldReader.body(parser, VerifyRequest::read);
    }

    private static VerifyRequest read(XContentParser parser) throws IOException {
        EncodedPhoto imageA = null;
        EncodedPhoto imageB = null;
        Integer faceA = null;
        Integer faceB = null;
        Float threshold = null;
        Float minScore = null;
        while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "image_a" -> imageA = FieldReader.encodedPhoto(parser, field);
                case "image_b" -> imageB = FieldReader.encodedPhoto(parser, field);
                case "face_a" -> faceA = FieldReader.integer(parser, field, 0, Integer.MAX_VALUE);
                case "face_b" -> faceB = FieldReader.integer(parser, field, 0, Integer.MAX_VALUE);
                case "threshold" -> threshold = FieldReader.number(parser, field, -1, 1);
                case "min_score" -> minScore = FieldReader.number(parser, field, 0, 1);
                default -> throw FieldValues.unknownField(field, KNOWN_FIELDS);
            }
        }
        return new VerifyRequest(
            FieldValues.required(imageA, "image_a"),
            FieldValues.required(imageB, "image_b"),
            faceA,
            faceB,
            threshold,
            minScore
        );
    }

    @Override
    public ActionRequestValidationException validate() {
        if (imageA == null) {
            return RequestValidation.missing("image_a");
        }
        return imageB == null ? RequestValidation.missing("image_b") : null;
    }

    @Override
    public String getDescription() {
        return "verify the faces of two photos";
    }

    public EncodedPhoto imageA() {
        return imageA;
    }

    public EncodedPhoto imageB() {
        return imageB;
    }

    public Integer faceA() {
        return faceA;
    }

    public Integer faceB() {
        return faceB;
    }

    public Float threshold() {
        return threshold;
    }

    public Float minScore() {
        return minScore;
    }
}
