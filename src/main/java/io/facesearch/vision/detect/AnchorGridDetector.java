package io.facesearch.vision.detect;

import ai.onnxruntime.OnnxJavaType;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.model.ImageInput;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelUnavailableException;
import io.facesearch.vision.model.OnnxModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A single-shot detector whose outputs are per-cell predictions on feature maps of strides 8, 16 and 32:
 * the photo is letterboxed into the network input, every cell's prediction is decoded, then overlapping
 * boxes are merged. Subclasses only decode one stride's outputs.
 */
abstract class AnchorGridDetector implements FaceDetector {
    static final int[] STRIDES = { 8, 16, 32 };

    final OnnxModel model;

    /** Checks the model's input ({@link ImageInput}); if this or a subclass's check throws, the caller still owns the model. */
    AnchorGridDetector(OnnxModel model) {
        this.model = model;
        ImageInput.check(model, "face detector");
    }

    /**
     * Checks that output {@code index} holds, for stride {@code stride}, {@code values} floats per prediction:
     * {@code [predictions, values]} or {@code [1, predictions, values]}, and, where the model fixes its input size,
     * {@code anchors} predictions per feature-map cell. {@code role} names the architecture in the error, with its
     * article ("a YuNet detector").
     */
    void checkOutput(int index, int stride, int values, int anchors, String role) {
        String prefix = "model [" + model.spec().name() + "]: ";
        String name = model.outputNames().get(index);
        OnnxJavaType type = model.outputType(index);
        if (type != OnnxJavaType.FLOAT) {
            throw new ModelUnavailableException(prefix + "output [" + name + "] is " + type + ", the outputs of " + role + " are float");
        }
        long[] shape = model.outputShape(index);
        int rank = shape.length;
        boolean fits = (rank == 2 || (rank == 3 && shape[0] <= 1)) && shape[rank - 1] == values;
        if (fits == false) {
            throw new ModelUnavailableException(
                prefix + "output [" + name + "] has shape " + Arrays.toString(shape) + ", " + role + " has [1, predictions, " + values
                    + "] or [predictions, " + values + "] there"
            );
        }
        long[] input = model.inputShape(0);
        long predictions = shape[rank - 2];
        if (input[2] > 0 && input[3] > 0 && predictions > 0) {
            long expected = (input[2] / stride) * (input[3] / stride) * anchors;
            if (predictions != expected) {
                throw new ModelUnavailableException(
                    prefix + "output [" + name + "] has " + predictions + " predictions, " + role + " with a " + input[3] + "x" + input[2]
                        + " input has " + expected + " at stride " + stride
                );
            }
        }
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
