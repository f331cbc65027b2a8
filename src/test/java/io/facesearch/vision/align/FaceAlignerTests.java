package io.facesearch.vision.align;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.image.TestImages;
import io.facesearch.vision.opencv.OpenCvNatives;

import org.junit.Test;


import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

public class FaceAlignerTests {

    private static final float[] TEMPLATE = {
        38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f };

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

    /** The warps to test: Java always, OpenCV where its natives load (they do on the platforms the build supports). */
    private static boolean[] warps() {
        return OpenCvNatives.available() ? new boolean[] { false, true } : new boolean[] { false };
    }

    /**
     * The Java warp equals the reference exactly; OpenCV's interpolates in fixed point (sample positions to 1/32 of a
     * pixel), which on random pixels, where neighbours differ by up to 255, moves values by a few levels.
     */
    private static void assertMatchesReference(String what, byte[] expected, byte[] actual, boolean openCv) {
        if (openCv == false) {
            assertArrayEquals(what, expected, actual);
            return;
        }
        assertClose(what, expected, actual, 6, 1.5);
    }

    private static void assertClose(String what, byte[] expected, byte[] actual, int maxDifference, double maxMeanDifference) {
        assertEquals(what, expected.length, actual.length);
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            int difference = Math.abs((expected[i] & 0xFF) - (actual[i] & 0xFF));
            assertTrue(what + ": value " + i + " differs by " + difference, difference <= maxDifference);
            sum += difference;
        }
        assertTrue(what + ": mean difference " + sum / expected.length, sum / expected.length < maxMeanDifference);
    }

    @Test
    public void landmarksOnTheTemplateCopyThePhotoUnchanged() {
        DecodedImage image = TestImages.random(150, 130, 1);
        for (boolean openCv : warps()) {
            byte[] crop = new FaceAligner(112).align(image, TEMPLATE.clone(), openCv);
            for (int y = 0; y < 112; y++) {
                for (int x = 0; x < 112; x++) {
                    for (int c = 0; c < 3; c++) {
                        int expected = image.bgr()[(y * 150 + x) * 3 + c] & 0xFF;
                        int actual = crop[(y * 112 + x) * 3 + c] & 0xFF;
                        assertEquals("openCv " + openCv + " pixel " + x + "," + y + " channel " + c, expected, actual, 1);
                    }
                }
            }
        }
    }

    @Test
    public void rotatedScaledFaceInsideThePhotoMatchesPlainBilinearSampling() {
        DecodedImage image = TestImages.random(400, 300, 2);
        FaceAligner aligner = new FaceAligner(112);
        float[] landmarks = moved(120.3f, 60.7f, 1.7f, 0.35);
        byte[] expected = reference(image, aligner.transformFor(landmarks).inverse(), 112);
        for (boolean openCv : warps()) {
            assertMatchesReference("openCv " + openCv, expected, aligner.align(image, landmarks, openCv), openCv);
        }
    }

    @Test
    public void faceAcrossThePhotoBordersIsBlackOutsideAndExactInside() {
        FaceAligner aligner = new FaceAligner(112);
        DecodedImage image = TestImages.random(90, 80, 3);
        for (boolean openCv : warps()) {
            // partly off every edge: scaled up around the photo and shifted left and up
            for (float[] landmarks : new float[][] { moved(-40f, -35f, 1.4f, -0.2), moved(30f, 20f, 1.2f, 0.5), moved(-5f, 0f, 0.9f, 0.0) }) {
                byte[] expected = reference(image, aligner.transformFor(landmarks).inverse(), 112);
                assertMatchesReference("openCv " + openCv, expected, aligner.align(image, landmarks, openCv), openCv);
            }
            // a 1-pixel-wide photo never has a full 2x2 neighbourhood
            DecodedImage thin = TestImages.random(1, 200, 4);
            float[] landmarks = moved(-50f, 10f, 1f, 0.1);
            byte[] expected = reference(thin, aligner.transformFor(landmarks).inverse(), 112);
            assertMatchesReference("openCv " + openCv + " thin", expected, aligner.align(thin, landmarks, openCv), openCv);
            // wholly outside the photo: all black
            byte[] outside = aligner.align(image, moved(500f, 400f, 1f, 0.0), openCv);
            assertArrayEquals("openCv " + openCv, new byte[112 * 112 * 3], outside);
        }
    }

    @Test
    public void cropOfAnotherSizeUsesTheScaledTemplate() {
        DecodedImage image = TestImages.random(300, 300, 5);
        FaceAligner aligner = new FaceAligner(160);
        float[] landmarks = moved(70f, 40f, 1.3f, -0.3);
        byte[] expected = reference(image, aligner.transformFor(landmarks).inverse(), 160);
        for (boolean openCv : warps()) {
            byte[] crop = aligner.align(image, landmarks, openCv);
            assertEquals(160 * 160 * 3, crop.length);
            assertMatchesReference("openCv " + openCv, expected, crop, openCv);
        }
    }

    @Test
    public void onASmoothPhotoBothWarpsAgreeWithinTwoLevels() {
        DecodedImage image = TestImages.generated(
            320,
            240,
            (x, y, c) -> (int) Math.round(127.5 + 120 * Math.sin(x / (9.0 + c) + y / 13.0) * Math.cos(y / (11.0 + c)))
        );
        FaceAligner aligner = new FaceAligner(112);
        // both faces wholly inside: at the border the photo meets black and is no longer smooth
        for (float[] landmarks : new float[][] { moved(60f, 20f, 1.3f, 0.25), moved(120f, 60f, 1.0f, -0.2) }) {
            assertClose("smooth", aligner.align(image, landmarks, false), aligner.align(image, landmarks, true), 2, 0.2);
        }
    }

    @Test
    public void openCvIsTheDefaultWarp() {
        assertTrue("the OpenCV natives load on this platform: " + OpenCvNatives.unavailableReason(), OpenCvNatives.available());
        DecodedImage image = TestImages.random(200, 180, 6);
        FaceAligner aligner = new FaceAligner(112);
        float[] landmarks = moved(40f, 30f, 1.1f, 0.2);
        assertArrayEquals(aligner.align(image, landmarks, true), aligner.align(image, landmarks));
    }
}
