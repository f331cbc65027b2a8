package io.facesearch.vision.model;

import ai.onnxruntime.OnnxJavaType;

import java.util.Arrays;

/**
 * The pixel input of an image model (face detector, face embedder, CLIP image encoder), checked against the manifest
 * when the model loads: one float tensor {@code [batch, 3, height, width]}. A model named for the wrong role would
 * otherwise load and fail on the first photo, or worse, run and give meaningless results.
 */
public final class ImageInput {
    private ImageInput() {}

    /**
     * Checks the input of {@code model} used as a {@code role} ("face embedder", ...): its only input, float, of rank 4
     * with 3 channels (or a dynamic channel dimension), a batch of 1 or dynamic, and a height and width that are the
     * manifest's where the model fixes them; a manifest that calls the input dynamic needs a model that leaves them
     * dynamic. Every failure is a {@link ModelUnavailableException} naming the model and what is wrong.
     *
     * @return the batch size the model declares: 1, or -1 when it is dynamic
     */
    public static long check(OnnxModel model, String role) {
        ModelSpec spec = model.spec();
        String prefix = "model [" + spec.name() + "]: ";
        if (model.inputNames().size() != 1) {
            throw new ModelUnavailableException(prefix + "a " + role + " takes one input (pixels), this one takes " + model.inputNames());
        }
        String name = model.inputName();
        OnnxJavaType type = model.inputType(0);
        if (type != OnnxJavaType.FLOAT) {
            throw new ModelUnavailableException(prefix + "input [" + name + "] is " + type + ", the pixels of a " + role + " are float");
        }
        long[] shape = model.inputShape(0);
        String expected = spec.dynamicInput()
            ? "[batch, 3, height, width] with height and width left dynamic (input.dynamic is true)"
            : "[batch, 3, " + spec.inputHeight() + ", " + spec.inputWidth() + "] (input.height, input.width)";
        boolean fits = shape.length == 4
            && fixedOr(shape[1], 3)
            && (spec.dynamicInput() ? shape[2] <= 0 && shape[3] <= 0 : fixedOr(shape[2], spec.inputHeight()) && fixedOr(shape[3], spec.inputWidth()));
        if (fits == false) {
            throw new ModelUnavailableException(
                prefix + "input [" + name + "] has shape " + Arrays.toString(shape) + ", a " + role + " as the manifest describes it takes " + expected
            );
        }
        if (shape[0] > 1) {
            throw new ModelUnavailableException(
                prefix + "input [" + name + "] has shape " + Arrays.toString(shape) + ", a fixed batch of " + shape[0]
                    + "; a " + role + " needs a dynamic batch or a batch of 1"
            );
        }
        return shape[0] == 1 ? 1 : -1;
    }

    private static boolean fixedOr(long declared, int expected) {
        return declared <= 0 || declared == expected;
    }
}
