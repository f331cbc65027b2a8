package io.facesearch.rest;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;
import io.facesearch.plugin.FaceSearchSettings;

import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;

/** Body of {@code POST _plugins/_face/detect}. */
record DetectRequest(byte[] image, Float minScore, Integer minFaceSize, Integer maxFaces, boolean includeEmbeddings) {
    static final String KNOWN_FIELDS = "[image, min_score, min_face_size, max_faces, include_embeddings]";

    static DetectRequest parse(XContentParser parser) throws IOException {
        return FieldReader.body(parser, DetectRequest::read);
    }

    private static DetectRequest read(XContentParser parser) throws IOException {
        byte[] image = null;
        Float minScore = null;
        Integer minFaceSize = null;
        Integer maxFaces = null;
        boolean includeEmbeddings = false;
        while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "image" -> image = FieldReader.photo(parser, field);
                case "min_score" -> minScore = FieldReader.number(parser, field, 0, 1);
                case "min_face_size" -> minFaceSize = FieldReader.integer(parser, field, 0, FaceSearchSettings.MIN_FACE_SIZE_LIMIT);
                case "max_faces" -> maxFaces = FieldReader.integer(parser, field, 1, FaceSearchSettings.MAX_FACES_LIMIT);
                case "include_embeddings" -> includeEmbeddings = FieldReader.bool(parser, field);
                default -> throw FieldValues.unknownField(field, KNOWN_FIELDS);
            }
        }
        return new DetectRequest(FieldValues.required(image, "image"), minScore, minFaceSize, maxFaces, includeEmbeddings);
    }
}
