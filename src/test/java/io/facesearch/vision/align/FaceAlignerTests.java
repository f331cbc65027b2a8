package io.facesearch.vision.align;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.image.ImageFormat;

import org.junit.Test;

import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

public class FaceAlignerTests {

    private static final float[] TEMPLATE = {
        38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f };

    private static DecodedImage randomImage(int width, int height, long seed) {
        byte[] pixels = new byte[width * height * 3];
        new Random(seed).nextBytes(pixels);
        return new DecodedImage(width, height, pixels, ImageFormat.PNG);
    }

    /** Bilinear sampling one value at a time, every neighbour bounds-checked, black outside the photo. */
    private static byte[] reference(DecodedImage image, SimilarityTransform toPhoto, int size) {
        byte[] crop = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sx = toPhoto.applyX(x, y);
                double sy = toPhoto.applyY(x, y);
                int left = (int) Math.floor(sx);
                int top = (int) Math.floor(sy);
                float fx = (float) (sx - left);
                float fy = (float) (sy - top);
                for (int c = 0; c < 3; c++) {
                    float p00 = pixel(image, left, top, c);
                    float p10 = pixel(image, left + 1, top, c);
                    float p01 = pixel(image, left, top + 1, c);
                    float p11 = pixel(image, left + 1, top + 1, c);
                    float upper = p00 + fx * (p10 - p00);
                    float lower = p01 + fx * (p11 - p01);
                    crop[(y * size + x) * 3 + c] = (byte) Math.round(upper + fy * (lower - upper));
                }
            }
        }
        return crop;
    }

    private static float pixel(DecodedImage image, int x, int y, int c) {
        if (x < 0 || y < 0 || x >= image.width() || y >= image.height()) {
            return 0f;
        }
        return image.bgr()[(y * image.width() + x) * 3 + c] & 0xFF;
    }

    private static float[] moved(float dx, float dy, float scale, double angle) {
        float[] out = new float[TEMPLATE.length];
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        for (int i = 0; i < TEMPLATE.length; i += 2) {
            double x = TEMPLATE[i] * scale;
            double y = TEMPLATE[i + 1] * scale;
            out[i] = (float) (x * cos - y * sin + dx);
            out[i + 1] = (float) (x * sin + y * cos + dy);
        }
        return out;
    }

    @Test
    public void landmarksOnTheTemplateCopyThePhotoUnchanged() {
        DecodedImage image = randomImage(150, 130, 1);
        byte[] crop = new FaceAligner(112).align(image, TEMPLATE.clone());
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 112; x++) {
                for (int c = 0; c < 3; c++) {
                    int expected = image.bgr()[(y * 150 + x) * 3 + c] & 0xFF;
                    int actual = crop[(y * 112 + x) * 3 + c] & 0xFF;
                    assertEquals("pixel " + x + "," + y + " channel " + c, expected, actual, 1);
                }
            }
        }
    }

    @Test
    public void rotatedScaledFaceInsideThePhotoMatchesPlainBilinearSampling() {
        DecodedImage image = randomImage(400, 300, 2);
        FaceAligner aligner = new FaceAligner(112);
        float[] landmarks = moved(120.3f, 60.7f, 1.7f, 0.35);
        byte[] crop = aligner.align(image, landmarks);
        assertArrayEquals(reference(image, aligner.transformFor(landmarks).inverse(), 112), crop);
    }

    @Test
    public void faceAcrossThePhotoBordersIsBlackOutsideAndExactInside() {
        FaceAligner aligner = new FaceAligner(112);
        DecodedImage image = randomImage(90, 80, 3);
        // partly off every edge: scaled up around the photo and shifted left and up
        for (float[] landmarks : new float[][] { moved(-40f, -35f, 1.4f, -0.2), moved(30f, 20f, 1.2f, 0.5), moved(-5f, 0f, 0.9f, 0.0) }) {
            byte[] crop = aligner.align(image, landmarks);
            assertArrayEquals(reference(image, aligner.transformFor(landmarks).inverse(), 112), crop);
        }
        // a 1-pixel-wide photo never has a full 2x2 neighbourhood
        DecodedImage thin = randomImage(1, 200, 4);
        float[] landmarks = moved(-50f, 10f, 1f, 0.1);
        assertArrayEquals(reference(thin, aligner.transformFor(landmarks).inverse(), 112), aligner.align(thin, landmarks));
    }

    @Test
    public void cropOfAnotherSizeUsesTheScaledTemplate() {
        DecodedImage image = randomImage(300, 300, 5);
        FaceAligner aligner = new FaceAligner(160);
        float[] landmarks = moved(70f, 40f, 1.3f, -0.3);
        byte[] crop = aligner.align(image, landmarks);
        assertEquals(160 * 160 * 3, crop.length);
        assertArrayEquals(reference(image, aligner.transformFor(landmarks).inverse(), 160), crop);
    }
}
