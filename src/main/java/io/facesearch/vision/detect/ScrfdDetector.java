package io.facesearch.vision.detect;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.OnnxModel;

import java.util.ArrayList;
import java.util.List;

/**
 * SCRFD (InsightFace): two anchors per cell at strides 8, 16 and 32; nine outputs in the order
 * scores, box distances, landmark offsets, each for strides 8, 16, 32. Scores are already sigmoid.
 */
public final class ScrfdDetector implements FaceDetector {
    private static final int[] STRIDES = { 8, 16, 32 };
    private static final int ANCHORS = 2;

    private final OnnxModel model;

    public ScrfdDetector(OnnxModel model) {
        this.model = model;
        if (model.outputNames().size() != 9) {
            throw new IllegalArgumentException(
                "model [" + model.spec().name() + "] is not an SCRFD detector with landmarks: expected 9 outputs, got " + model.outputNames()
            );
        }
    }

    @Override
    public Detections detect(DecodedImage image, float minScore) {
        Letterbox letterbox = Letterbox.forModel(model.spec(), image.width(), image.height());
        var tensor = letterbox.toTensor(image, model.spec());
        long start = System.nanoTime();
        float[][] outputs = model.run(tensor, letterbox.shape());
        long inferenceNanos = System.nanoTime() - start;

        List<DetectedFace> candidates = new ArrayList<>();
        float inverseScale = 1f / letterbox.scale;
        for (int s = 0; s < STRIDES.length; s++) {
            int stride = STRIDES[s];
            int cols = letterbox.canvasWidth / stride;
            int rows = letterbox.canvasHeight / stride;
            float[] scores = outputs[s];
            float[] distances = outputs[3 + s];
            float[] offsets = outputs[6 + s];
            for (int i = 0; i < rows * cols * ANCHORS; i++) {
                float score = scores[i];
                if (score < minScore) {
                    continue;
                }
                int cell = i / ANCHORS;
                float cx = (cell % cols) * stride;
                float cy = (cell / cols) * stride;
                float x1 = cx - distances[4 * i] * stride;
                float y1 = cy - distances[4 * i + 1] * stride;
                float x2 = cx + distances[4 * i + 2] * stride;
                float y2 = cy + distances[4 * i + 3] * stride;
                float[] landmarks = new float[10];
                for (int n = 0; n < 5; n++) {
                    landmarks[2 * n] = (cx + offsets[10 * i + 2 * n] * stride) * inverseScale;
                    landmarks[2 * n + 1] = (cy + offsets[10 * i + 2 * n + 1] * stride) * inverseScale;
                }
                candidates.add(
                    new DetectedFace(x1 * inverseScale, y1 * inverseScale, (x2 - x1) * inverseScale, (y2 - y1) * inverseScale, score, landmarks)
                );
            }
        }
        return new Detections(NonMaxSuppression.apply(candidates, model.spec().nmsIou()), inferenceNanos);
    }

    @Override
    public ModelSpec spec() {
        return model.spec();
    }

    @Override
    public void close() {
        model.close();
    }
}
