package io.facesearch.vision;

import io.facesearch.vision.detect.DetectedFace;

/**
 * One face of a photo, in the original photo's upright pixel coordinates.
 *
 * @param index     position among the photo's faces (0 = largest)
 * @param detection box, landmarks and score
 * @param embedding L2-normalised identity vector, or null when embeddings were not asked for
 * @param quality   quality signals, or null when embeddings were not asked for (they need the aligned crop)
 */
public record AnalyzedFace(int index, DetectedFace detection, float[] embedding, FaceQuality quality) {}
