package io.facesearch.rest;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;

import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;

/** Body of {@code POST _plugins/_face/verify}. */
record VerifyRequest(byte[] imageA, byte[] imageB, Integer faceA, Integer faceB, Float threshold, Float minScore) {
    static final String KNOWN_FIELDS = "[image_a, image_b, face_a, face_b, threshold, min_score]";

    static VerifyRequest parse(XContentParser parser) throws IOException {
        return FieldReader.body(parser, VerifyRequest::read);
    }

    private static VerifyRequest read(XContentParser parser) throws IOException {
        byte[] imageA = null;
        byte[] imageB = null;
        Integer faceA = null;
        Integer faceB = null;
        Float threshold = null;
        Float minScore = null;
        while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "image_a" -> imageA = FieldReader.photo(parser, field);
                case "image_b" -> imageB = FieldReader.photo(parser, field);
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
}
