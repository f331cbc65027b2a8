package io.facesearch.vision;

/**
 * Which detections count as faces.
 *
 * @param minScore    minimum detector score, 0..1
 * @param minFaceSize minimum of box width and height, in pixels of the original photo
 * @param maxFaces    at most this many faces are kept, largest first
 */
public record DetectionOptions(float minScore, int minFaceSize, int maxFaces) {
    public DetectionOptions {
        if (minScore < 0 || minScore > 1) {
            throw new IllegalArgumentException("[min_score] must be between 0 and 1, got " + minScore);
        }
        if (minFaceSize < 0) {
            throw new IllegalArgumentException("[min_face_size] must be >= 0, got " + minFaceSize);
        }
        if (maxFaces < 1) {
            throw new IllegalArgumentException("[max_faces] must be >= 1, got " + maxFaces);
        }
    }
}
