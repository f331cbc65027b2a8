package io.facesearch.vision;

import io.facesearch.vision.image.ImageFormat;

import java.util.List;

/**
 * Everything found in one photo.
 *
 * @param width                upright width of the photo in pixels
 * @param height               upright height of the photo in pixels
 * @param format               container format found in the data
 * @param faces                faces, largest first
 * @param decodeNanos          time spent decoding
 * @param inferenceNanos       time spent inside the models (detector and embedder)
 * @param totalNanos           time of the whole analysis
 */
public record FaceAnalysis(
    int width,
    int height,
    ImageFormat format,
    List<AnalyzedFace> faces,
    long decodeNanos,
    long inferenceNanos,
    long totalNanos
) {}
