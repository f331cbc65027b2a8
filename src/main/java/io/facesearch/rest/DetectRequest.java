package io.facesearch.rest;

import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;

/** Body of {@code POST _plugins/_face/detect}. */
record DetectRequest(byte[] image, Float minScore, Integer minFaceSize, Integer maxFaces, boolean includeEmbeddings) {
    static final String KNOWN_FIELDS = "[image, min_score, min_face_size, max_faces, include_embeddings]";

    static DetectRequest parse(XContentParser parser) throws IOException {
        byte[] image = null;
        Float minScore = null;
        Integer minFaceSize = null;
        Integer maxFaces = null;
        boolean includeEmbeddings = false;
        RequestFields.startObject(parser);
        while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "image" -> image = RequestFields.photo(parser, field);
                case "min_score" -> minScore = RequestFields.floatValue(parser, field);
                case "min_face_size" -> minFaceSize = RequestFields.intValue(parser, field);
                case "max_faces" -> maxFaces = RequestFields.intValue(parser, field);
                case "include_embeddings" -> includeEmbeddings = RequestFields.booleanValue(parser, field);
                default -> throw RequestFields.unknownField(field, KNOWN_FIELDS);
            }
        }
        return new DetectRequest(RequestFields.required(image, "image"), minScore, minFaceSize, maxFaces, includeEmbeddings);
    }
}
