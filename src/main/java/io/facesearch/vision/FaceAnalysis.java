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
 * @param detectNanos          time spent inside the detector
 * @param embedNanos           time spent inside the embedder
 * @param totalNanos           time of the whole analysis
 */
public record FaceAnalysis(
    int width,
    int height,
    ImageFormat format,
    List<AnalyzedFace> faces,
    long decodeNanos,
    long detectNanos,
    long embedNanos,
    long totalNanos
) {
    /** Time spent inside the models, detector and embedder. */
    public long inferenceNanos() {
        return detectNanos + embedNanos;
    }
}
