package io.facesearch.vision.embed;

import ai.onnxruntime.OnnxJavaType;

import io.facesearch.vision.model.ImageInput;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelUnavailableException;
import io.facesearch.vision.model.OnnxModel;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns aligned face crops into L2-normalised identity vectors with an ArcFace-style model.
 *
 * <p>The faces of one photo go through the model together, up to {@link #MAX_INPUTS_PER_RUN} model inputs per run:
 * one run for the usual photo, and a group photo of a hundred faces in several (each within the thread's kept buffer,
 * {@link OnnxModel#MAX_KEPT_INPUT_FLOATS}). With flip averaging on, each crop is also
 * embedded mirrored and the two vectors are summed before normalisation: a face and its mirror image are the same
 * person, and the sum cancels part of the model's pose noise.
 */
public final class FaceEmbedder implements AutoCloseable {
    /**
     * Most model inputs (crops and their mirror images) in one run. A session runs on one thread, so a larger batch
     * buys no parallelism, and from 8 inputs on it costs more per face (cache): {@code qa/bench ingest}'s run sizes
     * measured 7.1-7.3 ms per face in runs of 1 to 4, 7.8 in runs of 8 and 9.1 in runs of 32. Larger crops than
     * 112x112 may run fewer at a time, so that a run fits the kept buffer.
     */
    public static final int MAX_INPUTS_PER_RUN = 4;

    private static final String ROLE = "face embedder";

    private final OnnxModel model;
    private final int dimension;
    private final int cropSize;
    private final boolean flipAverage;
    private final int inputsPerRun;

    /**
     * Takes ownership of {@code model}: closing the embedder closes it, and a model whose tensors are not those of a face
     * embedder as the manifest describes it is closed before the {@link ModelUnavailableException} that says why.
     */
    public FaceEmbedder(OnnxModel model, boolean flipAverage) {
        this.model = model;
        this.flipAverage = flipAverage;
        try {
            this.dimension = checkedDimension(model);
            ModelSpec spec = model.spec();
            if (spec.inputWidth() != spec.inputHeight()) {
                throw new ModelUnavailableException("model [" + spec.name() + "]: face embedding input must be square");
            }
            this.cropSize = spec.inputWidth();
            long batch = ImageInput.check(model, ROLE);
            this.inputsPerRun = batch == 1 ? 1 : OnnxModel.inputsPerRun(3 * cropSize * cropSize, MAX_INPUTS_PER_RUN);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The dimension of the model's one output, {@code [batch, dimension]}, which must be fixed and at least 2. */
    private static int checkedDimension(OnnxModel model) {
        String prefix = "model [" + model.spec().name() + "]: ";
        if (model.outputNames().size() != 1) {
            throw new ModelUnavailableException(
                prefix + "a " + ROLE + " has one output, [batch, dimension]; this model has " + model.outputNames().size() + ": "
                    + model.outputNames()
            );
        }
        String name = model.outputNames().get(0);
        OnnxJavaType type = model.outputType(0);
        if (type != OnnxJavaType.FLOAT) {
            throw new ModelUnavailableException(prefix + "output [" + name + "] is " + type + ", the output of a " + ROLE + " is float");
        }
        long[] shape = model.outputShape(0);
        if (shape.length != 2 || shape[1] < 2) {
            throw new ModelUnavailableException(
                prefix + "output [" + name + "] has shape " + Arrays.toString(shape) + ", the output of a " + ROLE
                    + " is [batch, dimension] with a fixed dimension of at least 2"
            );
        }
        return Math.toIntExact(shape[1]);
    }

    public int dimension() {
        return dimension;
    }

    public int cropSize() {
        return cropSize;
    }

    public boolean flipAverage() {
        return flipAverage;
    }

    public ModelSpec spec() {
        return model.spec();
    }

    /** Model inputs per run: {@link #MAX_INPUTS_PER_RUN} or fewer for large crops, 1 for a model of batch 1. */
    int inputsPerRun() {
        return inputsPerRun;
    }

    /** One vector per crop, in order; crops are {@link #cropSize()} square interleaved BGR. */
    public Embeddings embed(List<byte[]> crops) {
        return embed(crops, inputsPerRun);
    }

    /** {@link #embed(List)} with at most {@code maxInputs} model inputs per run. */
    public Embeddings embed(List<byte[]> crops, int maxInputs) {
        if (crops.isEmpty()) {
            return new Embeddings(new float[0][], 0);
        }
        int copies = flipAverage ? 2 : 1;
        int inputs = crops.size() * copies;
        int floatsPerInput = 3 * cropSize * cropSize;
        ModelSpec spec = model.spec();
        float[][] vectors = new float[crops.size()][dimension];
        float[] data = new float[Math.min(inputs, maxInputs) * floatsPerInput];
        long inferenceNanos = 0;
        // input n is crop n / copies, mirrored when n % copies is 1: a crop and its mirror image may fall in two runs
        for (int first = 0; first < inputs; first += maxInputs) {
            int batch = Math.min(maxInputs, inputs - first);
            for (int i = 0; i < batch; i++) {
                int n = first + i;
                fill(data, i * floatsPerInput, crops.get(n / copies), spec, n % copies == 1);
            }
            FloatBuffer input = OnnxModel.inputBuffer(batch * floatsPerInput);
            input.put(data, 0, batch * floatsPerInput).rewind();
            long start = System.nanoTime();
            float[] output = model.run(input, new long[] { batch, 3, cropSize, cropSize })[0];
            inferenceNanos += System.nanoTime() - start;
            for (int i = 0; i < batch; i++) {
                float[] vector = vectors[(first + i) / copies];
                for (int d = 0; d < dimension; d++) {
                    vector[d] += output[i * dimension + d];
                }
            }
        }
        for (float[] vector : vectors) {
            normalise(vector);
        }
        return new Embeddings(vectors, inferenceNanos);
    }

    private void fill(float[] data, int offset, byte[] crop, ModelSpec spec, boolean mirrored) {
        int plane = cropSize * cropSize;
        for (int c = 0; c < 3; c++) {
            int byteChannel = spec.bgr() ? c : 2 - c;
            float mean = spec.mean()[c];
            float inverseStd = 1f / spec.std()[c];
            int base = offset + c * plane;
            for (int y = 0; y < cropSize; y++) {
                for (int x = 0; x < cropSize; x++) {
                    int sourceX = mirrored ? cropSize - 1 - x : x;
                    int value = crop[(y * cropSize + sourceX) * 3 + byteChannel] & 0xFF;
                    data[base + y * cropSize + x] = (value - mean) * inverseStd;
                }
            }
        }
    }

    /** Scales {@code vector} to unit length in place (a zero vector stays zero). */
    public static void normalise(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += v * v;
        }
        if (sum == 0) {
            return;
        }
        float inverse = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < vector.length; i++) {
            vector[i] *= inverse;
        }
    }

    /** Cosine similarity of two unit vectors. */
    public static float cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors have different dimensions: " + a.length + " and " + b.length);
        }
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return (float) dot;
    }

    @Override
    public void close() {
        model.close();
    }

    /** Vectors, and the nanoseconds spent inside the model. */
    public record Embeddings(float[][] vectors, long inferenceNanos) {}
}
