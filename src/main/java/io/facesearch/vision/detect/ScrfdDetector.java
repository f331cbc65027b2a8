package io.facesearch.vision.detect;

import io.facesearch.vision.model.ModelUnavailableException;
import io.facesearch.vision.model.OnnxModel;

import java.util.List;

/**
 * SCRFD (InsightFace): two anchors per cell at strides 8, 16 and 32; nine outputs in the order
 * scores, box distances, landmark offsets, each for strides 8, 16, 32. Scores are already sigmoid.
 */
public final class ScrfdDetector extends AnchorGridDetector {
    private static final int ANCHORS = 2;
    /** Values per prediction in the three output groups: score, box distances, 5 landmarks. */
    private static final int[] VALUES = { 1, 4, 10 };

    /** Checks the model's tensors; if that fails, the caller still owns the model. */
    public ScrfdDetector(OnnxModel model) {
        super(model);
        if (model.outputNames().size() != 9) {
            throw new ModelUnavailableException(
                "model [" + model.spec().name() + "] is not an SCRFD detector with landmarks: expected 9 outputs, got " + model.outputNames()
            );
        }
        for (int group = 0; group < VALUES.length; group++) {
            for (int s = 0; s < STRIDES.length; s++) {
                checkOutput(group * STRIDES.length + s, STRIDES[s], VALUES[group], ANCHORS, "an SCRFD detector");
            }
        }
    }

    @Override
    void decode(float[][] outputs, int strideIndex, Grid grid, float minScore, List<DetectedFace> faces) {
        float[] scores = outputs[strideIndex];
        float[] distances = outputs[3 + strideIndex];
        float[] offsets = outputs[6 + strideIndex];
        int stride = grid.stride();
        float inverseScale = grid.inverseScale();
        for (int i = 0; i < grid.rows() * grid.cols() * ANCHORS; i++) {
            float score = scores[i];
            if (score < minScore) {
                continue;
            }
            int cell = i / ANCHORS;
            float cx = (cell % grid.cols()) * stride;
            float cy = (cell / grid.cols()) * stride;
            float x1 = cx - distances[4 * i] * stride;
            float y1 = cy - distances[4 * i + 1] * stride;
            float x2 = cx + distances[4 * i + 2] * stride;
            float y2 = cy + distances[4 * i + 3] * stride;
            float[] landmarks = new float[10];
            for (int n = 0; n < 5; n++) {
                landmarks[2 * n] = (cx + offsets[10 * i + 2 * n] * stride) * inverseScale;
                landmarks[2 * n + 1] = (cy + offsets[10 * i + 2 * n + 1] * stride) * inverseScale;
            }
            faces.add(new DetectedFace(x1 * inverseScale, y1 * inverseScale, (x2 - x1) * inverseScale, (y2 - y1) * inverseScale, score, landmarks));
        }
    }
}
