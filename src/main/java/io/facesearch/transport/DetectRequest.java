package io.facesearch.transport;

import io.facesearch.common.EncodedPhoto;
import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;

import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;

/** A photo to find faces in, and how: detection options (null: the node's defaults) and whether to embed them. */
public class DetectRequest extends CancellableRequest {
    static final String KNOWN_FIELDS = "[image, min_score, min_face_size, max_faces, include_embeddings]";

    private final EncodedPhoto image;
    private final Float minScore;
    private final Integer minFaceSize;
    private final Integer maxFaces;
    private final boolean includeEmbeddings;

    public DetectRequest(EncodedPhoto image, Float minScore, Integer minFaceSize, Integer maxFaces, boolean includeEmbeddings) {
        this.image = image;
        this.minScore = minScore;
        this.minFaceSize = minFaceSize;
        this.maxFaces = maxFaces;
        this.includeEmbeddings = includeEmbeddings;
    }

    public DetectRequest(StreamInput in) throws IOException {
        super(in);
        this.image = new EncodedPhoto(in);
        this.minScore = in.readOptionalFloat();
        this.minFaceSize = in.readOptionalVInt();
        this.maxFaces = in.readOptionalVInt();
        this.includeEmbeddings = in.readBoolean();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        image.writeTo(out);
        out.writeOptionalFloat(minScore);
        out.writeOptionalVInt(minFaceSize);
        out.writeOptionalVInt(maxFaces);
        out.writeBoolean(includeEmbeddings);
    }

    /** Reads the JSON body of {@code POST _plugins/_face/detect}; every error names its field. */
    public static DetectRequest parse(XContentParser parser) throws IOException {
        return FieldReader.body(parser, DetectRequest::read);
    }

    private static DetectRequest read(XContentParser parser) throws IOException {
        EncodedPhoto image = null;
        RequestedDetection detection = new RequestedDetection();
        boolean includeEmbeddings = false;
        while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (detection.read(parser, field)) {
                continue;
            }
            switch (field) {
                case "image" -> image = FieldReader.encodedPhoto(parser, field);
                case "include_embeddings" -> includeEmbeddings = FieldReader.bool(parser, field);
                default -> throw FieldValues.unknownField(field, KNOWN_FIELDS);
            }
        }
        return new DetectRequest(
            FieldValues.required(image, "image"),
            detection.minScore,
            detection.minFaceSize,
            detection.maxFaces,
            includeEmbeddings
        );
    }

    @Override
    public ActionRequestValidationException validate() {
        return image == null ? RequestValidation.missing("image") : null;
    }

    @Override
    public String getDescription() {
        return "detect faces in a photo of " + image.base64().length() + " base64 characters";
    }

    public EncodedPhoto image() {
        return image;
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

    public boolean includeEmbeddings() {
        return includeEmbeddings;
    }
}
