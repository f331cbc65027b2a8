package io.facesearch.vision.detect;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.OnnxModel;

import java.util.ArrayList;
import java.util.List;

/**
 * A single-shot detector whose outputs are per-cell predictions on feature maps of strides 8, 16 and 32:
 * the photo is letterboxed into the network input, every cell's prediction is decoded, then overlapping
 * boxes are merged. Subclasses only decode one stride's outputs.
 */
abstract class AnchorGridDetector implements FaceDetector {
    static final int[] STRIDES = { 8, 16, 32 };

    final OnnxModel model;

    AnchorGridDetector(OnnxModel model) {
        this.model = model;
    }

    @Override
    public final Detections detect(DecodedImage image, float minScore) {
        Letterbox letterbox = Letterbox.forModel(model.spec(), image.width(), image.height());
        var tensor = letterbox.toTensor(image, model.spec());
        long start = System.nanoTime();
        float[][] outputs = model.run(tensor, letterbox.shape());
        long inferenceNanos = System.nanoTime() - start;

        List<DetectedFace> candidates = new ArrayList<>();
        for (int s = 0; s < STRIDES.length; s++) {
            int stride = STRIDES[s];
            Grid grid = new Grid(stride, letterbox.canvasWidth / stride, letterbox.canvasHeight / stride, 1f / letterbox.scale);
            decode(outputs, s, grid, minScore, candidates);
        }
        return new Detections(NonMaxSuppression.apply(candidates, model.spec().nmsIou()), inferenceNanos);
    }

    /**
     * Adds the faces scoring at least {@code minScore} among the predictions of stride number {@code strideIndex},
     * in photo coordinates (network coordinates times {@code grid.inverseScale}).
     */
    abstract void decode(float[][] outputs, int strideIndex, Grid grid, float minScore, List<DetectedFace> faces);

    /** One feature map: its stride, size in cells, and the factor from network input to photo pixels. */
    record Grid(int stride, int cols, int rows, float inverseScale) {}

    @Override
    public ModelSpec spec() {
        return model.spec();
    }

    @Override
    public void close() {
        model.close();
    }
}
