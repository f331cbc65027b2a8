package io.facesearch.vision;

/** A photo that must contain a face has none (reported by OpenSearch as a 400, {@code no_face_found_exception}). */
public class NoFaceFoundException extends IllegalArgumentException {
    public NoFaceFoundException(String message) {
        super(message);
    }
}
