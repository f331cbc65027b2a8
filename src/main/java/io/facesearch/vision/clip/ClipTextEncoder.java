package io.facesearch.vision.clip;

import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelTask;
import io.facesearch.vision.model.ModelUnavailableException;
import io.facesearch.vision.model.OnnxModel;
import io.facesearch.vision.model.TokenInputs;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Turns tokenized texts into L2-normalised CLIP text vectors.
 *
 * <p>Each input row holds exactly {@link ModelSpec#contextLength()} token ids: the start marker, the text's BPE
 * tokens, the end marker, then zero padding; tokenizing is another class's job. Models that declare an
 * {@code attention_mask} get 1 for every token up to and including the end marker and 0 for the padding.
 * The output the manifest names ({@code output.name}, default the first) must be the projected embedding
 * {@code [batch, dimension]}.
 */
public final class ClipTextEncoder implements AutoCloseable {
    /** {@code <|startoftext|>} in the CLIP BPE vocabulary. */
    public static final long START_OF_TEXT = 49406;
    /** {@code <|endoftext|>} in the CLIP BPE vocabulary: the last real token of every row. */
    public static final long END_OF_TEXT = 49407;

    private final OnnxModel model;
    private final TokenInputs inputs;
    private final EmbeddingOutput output;
    private final int contextLength;
    private final int dimension;

    /** Opens the model the spec names under {@code modelsDir}, checking its sha256 and its tensors. */
    public static ClipTextEncoder open(ModelSpec spec, Path modelsDir) {
        OnnxModel model = OnnxModel.open(spec, modelsDir);
        try {
            return new ClipTextEncoder(model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Takes ownership of {@code model}: closing the encoder closes it (if this constructor throws, the caller still owns it). */
    public ClipTextEncoder(OnnxModel model) {
        ModelSpec spec = model.spec();
        if (spec.task() != ModelTask.CLIP_TEXT) {
            throw new IllegalArgumentException("model [" + spec.name() + "] is a " + spec.task().label() + " model, not " + ModelTask.CLIP_TEXT.label());
        }
        this.model = model;
        this.contextLength = spec.contextLength();
        this.inputs = model.tokenInputs();
        long[] idsShape = model.inputShape(model.inputNames().indexOf(inputs.ids()));
        if (idsShape.length != 2 || (idsShape[1] > 0 && idsShape[1] != contextLength)) {
            throw new ModelUnavailableException(
                "model [" + spec.name() + "]: input [" + inputs.ids() + "] has shape " + Arrays.toString(idsShape)
                    + ", the manifest describes [batch, " + contextLength + "] (input.context_length)"
            );
        }
        this.output = EmbeddingOutput.of(model);
        this.dimension = output.dimension(this::runOnEmptyText);
    }

    /** The empty text (start and end markers only): shows the width of a model that leaves its embedding dimension dynamic. */
    private float[] runOnEmptyText() {
        long[] row = new long[contextLength];
        row[0] = START_OF_TEXT;
        row[1] = END_OF_TEXT;
        long[] mask = new long[contextLength];
        mask[0] = 1;
        mask[1] = 1;
        return model.runTokens(inputs, row, mask, new long[] { 1, contextLength }, output.index());
    }

    public int dimension() {
        return dimension;
    }

    public int contextLength() {
        return contextLength;
    }

    public ModelSpec spec() {
        return model.spec();
    }

    /** One unit vector per row of token ids, in order; every row has {@link #contextLength()} ids and an end marker. */
    public float[][] embed(long[][] tokenIds) {
        int batch = tokenIds.length;
        if (batch == 0) {
            return new float[0][];
        }
        long[] ids = new long[batch * contextLength];
        long[] mask = new long[batch * contextLength];
        for (int i = 0; i < batch; i++) {
            long[] row = tokenIds[i];
            if (row.length != contextLength) {
                throw new IllegalArgumentException(
                    "model [" + spec().name() + "]: token row " + i + " has " + row.length + " ids, the model takes " + contextLength
                );
            }
            int end = indexOf(row, END_OF_TEXT);
            if (end < 0) {
                throw new IllegalArgumentException(
                    "model [" + spec().name() + "]: token row " + i + " has no end marker (" + END_OF_TEXT + ")"
                );
            }
            System.arraycopy(row, 0, ids, i * contextLength, contextLength);
            Arrays.fill(mask, i * contextLength, i * contextLength + end + 1, 1L);
        }
        float[] flat = model.runTokens(inputs, ids, mask, new long[] { batch, contextLength }, output.index());
        return output.unitRows(flat, batch, dimension);
    }

    private static int indexOf(long[] row, long token) {
        for (int i = 0; i < row.length; i++) {
            if (row[i] == token) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        model.close();
    }
}
