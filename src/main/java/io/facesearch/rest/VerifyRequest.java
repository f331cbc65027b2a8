package io.facesearch.rest;

import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;

/** Body of {@code POST _plugins/_face/verify}. */
record VerifyRequest(byte[] imageA, byte[] imageB, Integer faceA, Integer faceB, Float threshold, Float minScore) {
    static final String KNOWN_FIELDS = "[image_a, image_b, face_a, face_b, threshold, min_score]";

    static VerifyRequest parse(XContentParser parser) throws IOException {
        byte[] imageA = null;
        byte[] imageB = null;
        Integer faceA = null;
        Integer faceB = null;
        Float threshold = null;
        Float minScore = null;
        RequestFields.startObject(parser);
        while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "image_a" -> imageA = RequestFields.photo(parser, field);
                case "image_b" -> imageB = RequestFields.photo(parser, field);
                case "face_a" -> faceA = RequestFields.intValue(parser, field);
                case "face_b" -> faceB = RequestFields.intValue(parser, field);
                case "threshold" -> threshold = RequestFields.floatValue(parser, field);
                case "min_score" -> minScore = RequestFields.floatValue(parser, field);
                default -> throw RequestFields.unknownField(field, KNOWN_FIELDS);
            }
        }
        return new VerifyRequest(
            RequestFields.required(imageA, "image_a"),
            RequestFields.required(imageB, "image_b"),
            faceA,
            faceB,
            threshold,
            minScore
        );
    }
}
