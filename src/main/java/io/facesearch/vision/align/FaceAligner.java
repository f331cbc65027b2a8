package io.facesearch.vision.align;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.opencv.OpenCvNatives;

/**
 * Warps a face to the standard ArcFace crop: the 5 landmarks mapped onto the 112x112 template by a
 * least-squares similarity transform, bilinear sampling, black outside the photo.
 */
public final class FaceAligner {
    /** ArcFace reference landmarks for a 112x112 crop, in the detector's landmark order. */
    private static final float[] ARCFACE_TEMPLATE = {
        38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f };
    private static final int TEMPLATE_SIZE = 112;

    private final int size;
    private final float[] template;

    /** An aligner producing {@code size x size} crops (the template is scaled from 112). */
    public FaceAligner(int size) {
        this.size = size;
        this.template = new float[ARCFACE_TEMPLATE.length];
        float factor = (float) size / TEMPLATE_SIZE;
        for (int i = 0; i < template.length; i++) {
            template[i] = ARCFACE_TEMPLATE[i] * factor;
        }
    }

    public int size() {
        return size;
    }

    /** The transform from photo coordinates to crop coordinates for these landmarks. */
    public SimilarityTransform transformFor(float[] landmarks) {
        return SimilarityTransform.estimate(landmarks, template);
    }

    /** The aligned crop, {@code size x size} interleaved BGR bytes: by OpenCV when its natives are loaded. */
    public byte[] align(DecodedImage image, float[] landmarks) {
        return align(image, landmarks, OpenCvNatives.available());
    }

    /** {@link #align(DecodedImage, float[])}, choosing the warp; {@code openCv} only when the natives are loaded. */
    byte[] align(DecodedImage image, float[] landmarks, boolean openCv) {
        SimilarityTransform toPhoto = transformFor(landmarks).inverse();
        if (openCv) {
            return OpenCvFaceWarp.warp(image, toPhoto, size);
        }
        int width = image.width();
        int height = image.height();
        byte[] pixels = image.bgr();
        byte[] crop = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sx = toPhoto.applyX(x, y);
                double sy = toPhoto.applyY(x, y);
                int left = (int) Math.floor(sx);
                int top = (int) Math.floor(sy);
                float fx = (float) (sx - left);
                float fy = (float) (sy - top);
                int out = (y * size + x) * 3;
                if (left >= 0 && top >= 0 && left < width - 1 && top < height - 1) {
                    // the whole 2x2 neighbourhood is inside the photo: no per-sample bounds checks
                    int p00 = (top * width + left) * 3;
                    int p01 = p00 + width * 3;
                    for (int c = 0; c < 3; c++) {
                        float v00 = pixels[p00 + c] & 0xFF;
                        float v10 = pixels[p00 + 3 + c] & 0xFF;
                        float v01 = pixels[p01 + c] & 0xFF;
                        float v11 = pixels[p01 + 3 + c] & 0xFF;
                        crop[out + c] = blend(v00, v10, v01, v11, fx, fy);
                    }
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    float p00 = sample(pixels, width, height, left, top, c);
                    float p10 = sample(pixels, width, height, left + 1, top, c);
                    float p01 = sample(pixels, width, height, left, top + 1, c);
                    float p11 = sample(pixels, width, height, left + 1, top + 1, c);
                    crop[out + c] = blend(p00, p10, p01, p11, fx, fy);
                }
            }
        }
        return crop;
    }

    private static byte blend(float p00, float p10, float p01, float p11, float fx, float fy) {
        float upper = p00 + fx * (p10 - p00);
        float lower = p01 + fx * (p11 - p01);
        return (byte) Math.round(upper + fy * (lower - upper));
    }

    private static float sample(byte[] pixels, int width, int height, int x, int y, int channel) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return 0f;
        }
        return pixels[(y * width + x) * 3 + channel] & 0xFF;
    }
}
