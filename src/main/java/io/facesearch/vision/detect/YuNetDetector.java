package io.facesearch.vision.detect;

import io.facesearch.vision.model.ModelUnavailableException;
import io.facesearch.vision.model.OnnxModel;

import java.util.List;

/**
 * YuNet (libfacedetection): one prior per feature-map cell at strides 8, 16 and 32, outputs named
 * {@code cls_S}, {@code obj_S}, {@code bbox_S}, {@code kps_S}.
 */
public final class YuNetDetector extends AnchorGridDetector {
    /** Output name prefixes, and the values per prediction of each: score, objectness, box, 5 landmarks. */
    private static final String[] KINDS = { "cls_", "obj_", "bbox_", "kps_" };
    private static final int[] VALUES = { 1, 1, 4, 10 };

    private final int[][] outputIndex = new int[STRIDES.length][KINDS.length];

    /** Checks the model's tensors; if that fails, the caller still owns the model. */
    public YuNetDetector(OnnxModel model) {
        super(model);
        List<String> names = model.outputNames();
        for (int s = 0; s < STRIDES.length; s++) {
            for (int k = 0; k < KINDS.length; k++) {
                int index = names.indexOf(KINDS[k] + STRIDES[s]);
                if (index < 0) {
                    throw new ModelUnavailableException(
                        "model [" + model.spec().name() + "] is not a YuNet detector: no output [" + KINDS[k] + STRIDES[s] + "] in " + names
                    );
                }
                checkOutput(index, STRIDES[s], VALUES[k], 1, "a YuNet detector");
                outputIndex[s][k] = index;
            }
        }
    }

    @Override
    void decode(float[][] outputs, int strideIndex, Grid grid, float minScore, List<DetectedFace> faces) {
        float[] cls = outputs[outputIndex[strideIndex][0]];
        float[] obj = outputs[outputIndex[strideIndex][1]];
        float[] bbox = outputs[outputIndex[strideIndex][2]];
        float[] kps = outputs[outputIndex[strideIndex][3]];
        int stride = grid.stride();
        float inverseScale = grid.inverseScale();
        for (int i = 0; i < grid.rows() * grid.cols(); i++) {
            float score = (float) Math.sqrt(clamp(cls[i]) * clamp(obj[i]));
            if (score < minScore) {
                continue;
            }
            int row = i / grid.cols();
            int col = i % grid.cols();
            float cx = (col + bbox[4 * i]) * stride;
            float cy = (row + bbox[4 * i + 1]) * stride;
            float w = (float) Math.exp(bbox[4 * i + 2]) * stride;
            float h = (float) Math.exp(bbox[4 * i + 3]) * stride;
            float[] landmarks = new float[10];
            for (int n = 0; n < 5; n++) {
                landmarks[2 * n] = (kps[10 * i + 2 * n] + col) * stride * inverseScale;
                landmarks[2 * n + 1] = (kps[10 * i + 2 * n + 1] + row) * stride * inverseScale;
            }
            faces.add(new DetectedFace((cx - w / 2) * inverseScale, (cy - h / 2) * inverseScale, w * inverseScale, h * inverseScale, score, landmarks));
        }
    }

    private static float clamp(float value) {
        return Math.min(1f, Math.max(0f, value));
    }
}
