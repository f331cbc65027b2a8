package io.facesearch.vision.clip;

import io.facesearch.vision.image.DecodedImage;

/**
 * Turns a photo into the input tensor of a CLIP image encoder, the way OpenAI CLIP's {@code preprocess}
 * does: bicubic resize of the short side to {@code size} (Pillow's filter, antialiased when shrinking),
 * centre crop to {@code size x size}, values divided by 255 and normalised per channel. The result is
 * one image in NCHW order: three planes of {@code size * size} floats, in the network's channel order.
 *
 * <p>Mean and std are taken on the 0..255 scale, as the model manifest gives them; (v - mean255) / std255
 * is the same value as (v / 255 - mean) / std. Instances are immutable and thread-safe.
 */
public final class ClipImagePreprocessor {
    /** OpenAI CLIP's normalisation, RGB order, on the 0..1 scale as published. */
    private static final double[] OPENAI_MEAN = { 0.48145466, 0.4578275, 0.40821073 };
    private static final double[] OPENAI_STD = { 0.26862954, 0.26130258, 0.27577711 };
    private static final int OPENAI_SIZE = 224;

    private final int size;
    private final boolean bgr;
    /** Per network channel, the normalised value of each 8-bit level: one lookup instead of a divide per value. */
    private final float[][] levels;

    /**
     * @param size    side of the square network input
     * @param bgr     whether the network takes its channels in B, G, R order (else R, G, B)
     * @param mean255 per-channel mean on the 0..255 scale, in the network channel order
     * @param std255  per-channel standard deviation on the 0..255 scale, in the network channel order
     */
    public ClipImagePreprocessor(int size, boolean bgr, float[] mean255, float[] std255) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        if (mean255 == null || mean255.length != 3 || std255 == null || std255.length != 3) {
            throw new IllegalArgumentException("mean and std must have 3 values each");
        }
        this.size = size;
        this.bgr = bgr;
        this.levels = new float[3][256];
        for (int c = 0; c < 3; c++) {
            float mean = mean255[c];
            float std = std255[c];
            if (Float.isFinite(mean) == false) {
                throw new IllegalArgumentException("mean of channel " + c + " must be finite, got " + mean);
            }
            if (Float.isFinite(std) == false || std <= 0) {
                throw new IllegalArgumentException("std of channel " + c + " must be positive, got " + std);
            }
            for (int v = 0; v < 256; v++) {
                levels[c][v] = (float) ((v - (double) mean) / std);
            }
        }
    }

    /** OpenAI CLIP's preprocessing: 224 x 224, RGB, its published mean and std. */
    public static ClipImagePreprocessor openAiClip() {
        float[] mean255 = new float[3];
        float[] std255 = new float[3];
        for (int c = 0; c < 3; c++) {
            mean255[c] = (float) (255 * OPENAI_MEAN[c]);
            std255[c] = (float) (255 * OPENAI_STD[c]);
        }
        return new ClipImagePreprocessor(OPENAI_SIZE, false, mean255, std255);
    }

    public int size() {
        return size;
    }

    /** Number of floats one preprocessed image takes: {@code 3 * size * size}. */
    public int tensorLength() {
        return 3 * size * size;
    }

    /** Writes 3*size*size floats (planar, network channel order) into out starting at offset. */
    public void preprocess(DecodedImage image, float[] out, int offset) {
        int plane = size * size;
        if (offset < 0 || offset > out.length - 3 * plane) {
            throw new IllegalArgumentException(
                "need " + 3 * plane + " floats from offset " + offset + " but the array has " + out.length
            );
        }
        ResizeCropGeometry crop = ResizeCropGeometry.of(image.width(), image.height(), size);
        byte[] window = BicubicResampler.resize(
            image.bgr(),
            image.width(),
            image.height(),
            crop.resizedWidth(),
            crop.resizedHeight(),
            crop.left(),
            crop.top(),
            size,
            size
        );
        for (int c = 0; c < 3; c++) {
            // pixels are stored B, G, R: network channel c reads byte c when the network is BGR, else 2 - c
            int source = bgr ? c : 2 - c;
            float[] level = levels[c];
            int o = offset + c * plane;
            for (int i = 0, p = source; i < plane; i++, p += 3) {
                out[o + i] = level[window[p] & 0xFF];
            }
        }
    }

    public float[] preprocess(DecodedImage image) {
        float[] out = new float[tensorLength()];
        preprocess(image, out, 0);
        return out;
    }
}
