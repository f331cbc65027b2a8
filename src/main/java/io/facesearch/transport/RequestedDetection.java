package io.facesearch.transport;

import io.facesearch.common.FieldReader;
import io.facesearch.plugin.FaceSearchSettings;

import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;

/**
 * The detection options a request body may give ({@code min_score}, {@code min_face_size}, {@code max_faces}), read
 * with the same bounds wherever a request takes them; null for an option not given, which the node's setting fills.
 */
final class RequestedDetection {
    Float minScore;
    Integer minFaceSize;
    Integer maxFaces;

    /** Reads the value at the parser when {@code field} is a detection option; false, reading nothing, when it is not. */
    boolean read(XContentParser parser, String field) throws IOException {
        switch (field) {
            case "min_score" -> minScore = FieldReader.number(parser, field, 0, 1);
            case "min_face_size" -> minFaceSize = FieldReader.integer(parser, field, 0, FaceSearchSettings.MIN_FACE_SIZE_LIMIT);
            case "max_faces" -> maxFaces = FieldReader.integer(parser, field, 1, FaceSearchSettings.MAX_FACES_LIMIT);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The first option given, in the order above; null when none is. */
    String firstGiven() {
        return minScore != null ? "min_score" : minFaceSize != null ? "min_face_size" : maxFaces != null ? "max_faces" : null;
    }
}
