package io.facesearch.vision.clip;

import ai.onnxruntime.OnnxJavaType;

import io.facesearch.vision.embed.FaceEmbedder;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelUnavailableException;
import io.facesearch.vision.model.OnnxModel;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The output of a CLIP encoder that holds one pooled embedding per input, {@code [batch, dim]}: which output it is,
 * how wide it is declared, and how its values become unit vectors.
 *
 * <p>Exports usually carry per-token outputs too ({@code last_hidden_state}, {@code [batch, tokens, width]}). Those are
 * refused rather than pooled here: how to pool them (which token, which projection) is part of the model, and a guess
 * would give vectors that do not match the other tower's.
 */
final class EmbeddingOutput {
    private final String model;
    private final int index;
    private final String name;
    private final long declaredDimension;

    private EmbeddingOutput(String model, int index, String name, long declaredDimension) {
        this.model = model;
        this.index = index;
        this.name = name;
        this.declaredDimension = declaredDimension;
    }

    /** The output named by the manifest ({@code output.name}), or the model's first output. */
    static EmbeddingOutput of(OnnxModel onnx) {
        ModelSpec spec = onnx.spec();
        int index = spec.outputName() == null ? 0 : onnx.outputIndex(spec.outputName());
        String name = onnx.outputNames().get(index);
        OnnxJavaType type = onnx.outputType(index);
        if (type != OnnxJavaType.FLOAT) {
            throw new ModelUnavailableException("model [" + spec.name() + "]: output [" + name + "] is " + type + ", expected float");
        }
        long[] shape = onnx.outputShape(index);
        if (shape.length == 3) {
            throw new ModelUnavailableException(
                "model [" + spec.name() + "]: output [" + name + "] has shape " + Arrays.toString(shape)
                    + ", one vector per token, which is not supported; set output.name in the model manifest to the pooled"
                    + " embedding output (usually image_embeds or text_embeds)"
            );
        }
        if (shape.length != 2) {
            throw new ModelUnavailableException(
                "model [" + spec.name() + "]: output [" + name + "] has shape " + Arrays.toString(shape) + ", expected [batch, dimension]"
            );
        }
        return new EmbeddingOutput(spec.name(), index, name, shape[1]);
    }

    int index() {
        return index;
    }

    String name() {
        return name;
    }

    /**
     * The embedding width: as the model declares it, or, when it leaves it dynamic, the length of the one row that
     * {@code probe} (a run on one input) returns. A width below 2 is refused: such a model is not an embedder.
     */
    int dimension(Supplier<float[]> probe) {
        long dimension = declaredDimension > 0 ? declaredDimension : probe.get().length;
        if (dimension < 2) {
            throw new ModelUnavailableException(
                "model [" + model + "]: output [" + name + "] has " + dimension + " value per input, an embedding has at least 2"
            );
        }
        return Math.toIntExact(dimension);
    }

    /** Splits a flattened {@code [batch, dimension]} output into rows and scales each to unit length. */
    float[][] unitRows(float[] flat, int batch, int dimension) {
        if (flat.length != (long) batch * dimension) {
            throw new IllegalStateException(
                "model [" + model + "]: output [" + name + "] has " + flat.length + " values for " + batch + " inputs of dimension " + dimension
            );
        }
        float[][] rows = new float[batch][];
        for (int i = 0; i < batch; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * dimension, (i + 1) * dimension);
            FaceEmbedder.normalise(rows[i]);
        }
        return rows;
    }
}
