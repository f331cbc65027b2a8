package io.facesearch.vision.detect;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.OnnxModel;

import java.util.ArrayList;
import java.util.List;

/**
 * YuNet (libfacedetection): one prior per feature-map cell at strides 8, 16 and 32, outputs named
 * {@code cls_S}, {@code obj_S}, {@code bbox_S}, {@code kps_S}.
 */
public final class YuNetDetector implements FaceDetector {
    private static final int[] STRIDES = { 8, 16, 32 };

    private final OnnxModel model;
    private final int[][] outputIndex = new int[STRIDES.length][4];

    public YuNetDetector(OnnxModel model) {
        this.model = model;
        List<String> names = model.outputNames();
        String[] kinds = { "cls_", "obj_", "bbox_", "kps_" };
        for (int s = 0; s < STRIDES.length; s++) {
            for (int k = 0; k < kinds.length; k++) {
                int index = names.indexOf(kinds[k] + STRIDES[s]);
                if (index < 0) {
                    throw new IllegalArgumentException(
                        "model [" + model.spec().name() + "] is not a YuNet detector: no output [" + kinds[k] + STRIDES[s] + "] in " + names
                    );
                }
                outputIndex[s][k] = index;
            }
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
            float[] cls = outputs[outputIndex[s][0]];
            float[] obj = outputs[outputIndex[s][1]];
            float[] bbox = outputs[outputIndex[s][2]];
            float[] kps = outputs[outputIndex[s][3]];
            for (int i = 0; i < rows * cols; i++) {
                float score = (float) Math.sqrt(clamp(cls[i]) * clamp(obj[i]));
                if (score < minScore) {
                    continue;
                }
                int row = i / cols;
                int col = i % cols;
                float cx = (col + bbox[4 * i]) * stride;
                float cy = (row + bbox[4 * i + 1]) * stride;
                float w = (float) Math.exp(bbox[4 * i + 2]) * stride;
                float h = (float) Math.exp(bbox[4 * i + 3]) * stride;
                float[] landmarks = new float[10];
                for (int n = 0; n < 5; n++) {
                    landmarks[2 * n] = (kps[10 * i + 2 * n] + col) * stride * inverseScale;
                    landmarks[2 * n + 1] = (kps[10 * i + 2 * n + 1] + row) * stride * inverseScale;
                }
                candidates.add(
                    new DetectedFace((cx - w / 2) * inverseScale, (cy - h / 2) * inverseScale, w * inverseScale, h * inverseScale, score, landmarks)
                );
            }
        }
        return new Detections(NonMaxSuppression.apply(candidates, model.spec().nmsIou()), inferenceNanos);
    }

    private static float clamp(float value) {
        return Math.min(1f, Math.max(0f, value));
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
