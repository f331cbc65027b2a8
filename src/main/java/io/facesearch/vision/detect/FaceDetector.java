package io.facesearch.vision.detect;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.model.ModelSpec;

import java.util.List;

/** Finds faces and their 5 landmarks in a photo. Implementations are thread-safe. */
public interface FaceDetector extends AutoCloseable {

    /**
     * Faces with a score of at least {@code minScore}, best first, after non-maximum suppression,
     * in the coordinates of {@code image}.
     */
    Detections detect(DecodedImage image, float minScore);

    ModelSpec spec();

    @Override
    void close();

    /** Faces found, and the nanoseconds spent inside the model itself (for overhead accounting). */
    record Detections(List<DetectedFace> faces, long inferenceNanos) {}
}
