package io.facesearch.vision.clip;

import io.facesearch.vision.model.ImageInput;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelTask;
import io.facesearch.vision.model.OnnxModel;

import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * Turns preprocessed images into L2-normalised CLIP image vectors.
 *
 * <p>The input is float NCHW at the model's width and height, already resized, cropped, in the model's channel order
 * and normalised with its mean and std; preparing it is another class's job. The output the manifest names
 * ({@code output.name}, default the first) must be the projected embedding {@code [batch, dimension]}.
 */
public final class ClipImageEncoder implements AutoCloseable {
    /**
     * Most images in one run. At 224x224, 8 fit the thread's kept input buffer ({@link OnnxModel#MAX_KEPT_INPUT_FLOATS},
     * 4,816,896 bytes for 8 images); a model of batch 1 runs one at a time.
     */
    static final int MAX_IMAGES_PER_RUN = 16;

    private final OnnxModel model;
    private final EmbeddingOutput output;
    private final int width;
    private final int height;
    private final int dimension;
    private final int imagesPerRun;

    /** Opens the model the spec names under {@code modelsDir}, checking its sha256 and its tensors. */
    public static ClipImageEncoder open(ModelSpec spec, Path modelsDir) {
        OnnxModel model = OnnxModel.open(spec, modelsDir);
        try {
            return new ClipImageEncoder(model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Takes ownership of {@code model}: closing the encoder closes it (if this constructor throws, the caller still owns it). */
    public ClipImageEncoder(OnnxModel model) {
        ModelSpec spec = model.spec();
        if (spec.task() != ModelTask.CLIP_IMAGE) {
            throw new IllegalArgumentException("model [" + spec.name() + "] is a " + spec.task().label() + " model, not " + ModelTask.CLIP_IMAGE.label());
        }
        this.model = model;
        this.width = spec.inputWidth();
        this.height = spec.inputHeight();
        long batch = ImageInput.check(model, "CLIP image encoder");
        this.imagesPerRun = batch == 1 ? 1 : OnnxModel.inputsPerRun(3 * height * width, MAX_IMAGES_PER_RUN);
        this.output = EmbeddingOutput.of(model);
        this.dimension = output.dimension(this::runOnBlankImage);
    }

    /** One image of zeros: shows the width of a model that leaves its embedding dimension dynamic. */
    private float[] runOnBlankImage() {
        int floats = 3 * height * width;
        FloatBuffer input = OnnxModel.inputBuffer(floats);
        input.put(new float[floats]).rewind();
        return model.run(input, new long[] { 1, 3, height, width }, output.index());
    }

    public int dimension() {
        return dimension;
    }

    /** How many images {@link #embed} should be given at a time. */
    public int imagesPerRun() {
        return imagesPerRun;
    }

    public ModelSpec spec() {
        return model.spec();
    }

    /**
     * One unit vector per image, in order.
     *
     * @param pixels {@code batch} images, NCHW, {@code 3 * height * width} floats each
     */
    public float[][] embed(float[] pixels, int batch) {
        int perImage = 3 * height * width;
        if (batch < 0 || pixels.length != (long) batch * perImage) {
            throw new IllegalArgumentException(
                "model [" + spec().name() + "]: " + pixels.length + " floats is not " + batch + " images of 3x" + height + "x" + width
            );
        }
        if (batch == 0) {
            return new float[0][];
        }
        FloatBuffer input = OnnxModel.inputBuffer(pixels.length);
        input.put(pixels).rewind();
        float[] flat = model.run(input, new long[] { batch, 3, height, width }, output.index());
        return output.unitRows(flat, batch, dimension);
    }

    @Override
    public void close() {
        model.close();
    }
}
