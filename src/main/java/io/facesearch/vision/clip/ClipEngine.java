package io.facesearch.vision.clip;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.model.ModelFile;
import io.facesearch.vision.model.ModelManifest;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelTask;
import io.facesearch.vision.model.ModelUnavailableException;
import io.facesearch.vision.model.TokenizerSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * CLIP: photos, face crops and texts to vectors of one shared space, so that a text can find photos.
 *
 * <p>Either model may be absent: without the image model nothing can be indexed, without the text model
 * only image-to-image search works. Both present must agree on the vector dimension. Thread-safe; owns
 * and closes its models.
 */
public final class ClipEngine implements AutoCloseable {
    /**
     * A face crop is this many times the larger side of the face box, centred on the box: CLIP was trained
     * on whole pictures, and a little hair, neck and background around the face makes a crop it reads well.
     */
    static final float FACE_CROP_SCALE = 1.5f;

    private final ClipImageEncoder imageEncoder;
    private final ClipImagePreprocessor preprocessor;
    private final ClipTextEncoder textEncoder;
    private final ClipTokenizer tokenizer;

    private ClipEngine(ClipImageEncoder imageEncoder, ClipTextEncoder textEncoder, ClipTokenizer tokenizer) {
        this.imageEncoder = imageEncoder;
        this.textEncoder = textEncoder;
        this.tokenizer = tokenizer;
        if (imageEncoder != null) {
            ModelSpec spec = imageEncoder.spec();
            this.preprocessor = new ClipImagePreprocessor(spec.inputWidth(), spec.bgr(), spec.mean(), spec.std());
        } else {
            this.preprocessor = null;
        }
    }

    /**
     * Opens the named models (either name may be null for none); every failure is a
     * {@link ModelUnavailableException} naming the model and the reason.
     */
    public static ClipEngine open(Path modelsDir, ModelManifest manifest, String imageModel, String textModel) {
        if (imageModel == null && textModel == null) {
            throw new IllegalArgumentException("no CLIP model named");
        }
        ClipImageEncoder image = null;
        ClipTextEncoder text = null;
        try {
            if (imageModel != null) {
                image = ClipImageEncoder.open(manifest.get(imageModel, ModelTask.CLIP_IMAGE), modelsDir);
            }
            ClipTokenizer tokenizer = null;
            if (textModel != null) {
                ModelSpec spec = manifest.get(textModel, ModelTask.CLIP_TEXT);
                text = ClipTextEncoder.open(spec, modelsDir);
                TokenizerSpec files = spec.tokenizer();
                tokenizer = ClipTokenizer.load(
                    ModelFile.verified(spec.name(), modelsDir, files.vocab(), files.vocabSha256(), TokenizerFiles.MAX_BYTES),
                    ModelFile.verified(spec.name(), modelsDir, files.merges(), files.mergesSha256(), TokenizerFiles.MAX_BYTES)
                );
            }
            if (image != null && text != null && image.dimension() != text.dimension()) {
                throw new ModelUnavailableException(
                    "CLIP models [" + imageModel + "] and [" + textModel + "] do not share a vector space: " + image.dimension()
                        + " and " + text.dimension() + " dimensions"
                );
            }
            return new ClipEngine(image, text, tokenizer);
        } catch (RuntimeException e) {
            closeAll(image, text);
            if (e instanceof ModelUnavailableException) {
                throw e;
            }
            throw new ModelUnavailableException("CLIP models cannot be loaded: " + e.getMessage(), e);
        }
    }

    public boolean canEmbedImages() {
        return imageEncoder != null;
    }

    public boolean canEmbedTexts() {
        return textEncoder != null;
    }

    /** Vector dimension of the shared space. */
    public int dimension() {
        return imageEncoder != null ? imageEncoder.dimension() : textEncoder.dimension();
    }

    /** Null when no image model is configured. */
    public ModelSpec imageModel() {
        return imageEncoder == null ? null : imageEncoder.spec();
    }

    /** Null when no text model is configured. */
    public ModelSpec textModel() {
        return textEncoder == null ? null : textEncoder.spec();
    }

    /** The whole photo's vector. */
    public float[] embedImage(DecodedImage image) {
        return embedImages(image, List.of())[0];
    }

    /**
     * The whole photo's vector first, then one per face box, in runs of {@link ClipImageEncoder#imagesPerRun()} images:
     * a photo with many faces is embedded in several runs, so that its input fits the thread's kept buffer.
     * Boxes are {x, y, width, height} in the decoded image's pixels.
     */
    public float[][] embedImages(DecodedImage image, List<float[]> faceBoxes) {
        if (imageEncoder == null) {
            throw new IllegalStateException("no CLIP image model is configured");
        }
        int total = 1 + faceBoxes.size();
        int length = preprocessor.tensorLength();
        float[][] vectors = new float[total][];
        int perRun = imageEncoder.imagesPerRun();
        float[] pixels = new float[Math.min(total, perRun) * length];
        for (int first = 0; first < total; first += perRun) {
            int batch = Math.min(perRun, total - first);
            for (int i = 0; i < batch; i++) {
                int n = first + i;
                preprocessor.preprocess(n == 0 ? image : faceCrop(image, faceBoxes.get(n - 1)), pixels, i * length);
            }
            float[] input = batch * length == pixels.length ? pixels : java.util.Arrays.copyOf(pixels, batch * length);
            float[][] embedded = imageEncoder.embed(input, batch);
            System.arraycopy(embedded, 0, vectors, first, batch);
        }
        return vectors;
    }

    /** The text's vector; texts longer than the model's context are cut, as CLIP itself does. */
    public float[] embedText(String text) {
        if (textEncoder == null) {
            throw new IllegalStateException("no CLIP text model is configured");
        }
        return textEncoder.embed(new long[][] { tokenizer.encodeToContext(text, textEncoder.contextLength()) })[0];
    }

    /** A square around the face box, {@link #FACE_CROP_SCALE} times its larger side, clipped to the photo. */
    static DecodedImage faceCrop(DecodedImage image, float[] box) {
        float side = FACE_CROP_SCALE * Math.max(box[2], box[3]);
        float centreX = box[0] + box[2] / 2;
        float centreY = box[1] + box[3] / 2;
        int left = clamp(Math.round(centreX - side / 2), 0, image.width() - 1);
        int top = clamp(Math.round(centreY - side / 2), 0, image.height() - 1);
        int right = clamp(Math.round(centreX + side / 2), left + 1, image.width());
        int bottom = clamp(Math.round(centreY + side / 2), top + 1, image.height());
        int width = right - left;
        int height = bottom - top;
        byte[] source = image.bgr();
        byte[] crop = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(source, ((top + y) * image.width() + left) * 3, crop, y * width * 3, width * 3);
        }
        return new DecodedImage(width, height, crop, image.format());
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }

    @Override
    public void close() {
        closeAll(imageEncoder, textEncoder);
    }

    private static void closeAll(ClipImageEncoder image, ClipTextEncoder text) {
        try {
            if (image != null) {
                image.close();
            }
        } finally {
            if (text != null) {
                text.close();
            }
        }
    }
}
