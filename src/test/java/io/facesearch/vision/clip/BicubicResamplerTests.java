package io.facesearch.vision.clip;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.facesearch.vision.image.TestImages;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

import org.junit.Test;

public class BicubicResamplerTests {

    private static byte[] randomPixels(int width, int height, long seed) {
        return TestImages.random(width, height, seed).bgr();
    }

    /** Grey image whose value depends only on the column. */
    private static byte[] columns(int width, int height, IntUnaryOperator valueOfColumn) {
        byte[] pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                byte v = (byte) valueOfColumn.applyAsInt(x);
                int p = (y * width + x) * 3;
                pixels[p] = v;
                pixels[p + 1] = v;
                pixels[p + 2] = v;
            }
        }
        return pixels;
    }

    private static int value(byte[] pixels, int width, int x, int y, int channel) {
        return pixels[(y * width + x) * 3 + channel] & 0xFF;
    }

    @Test
    public void resizingToTheSameSizeIsTheIdentity() {
        byte[] pixels = randomPixels(37, 23, 1);
        assertArrayEquals(pixels, BicubicResampler.resize(pixels, 37, 23, 37, 23));
    }

    @Test
    public void matchesTheStraightforwardReferenceOnRandomPixels() {
        // noise has the strongest overshoot, so the clamping after each pass is exercised too
        int width = 53;
        int height = 41;
        byte[] pixels = randomPixels(width, height, 2);
        int[][] sizes = {
            { 17, 13 },  // shrink both axes by non-integer factors
            { 7, 5 },    // strong shrink: wide kernels
            { 80, 61 },  // enlarge both
            { 100, 20 }, // enlarge one axis, shrink the other
            { 53, 30 },  // vertical pass only
            { 20, 41 },  // horizontal pass only
            { 1, 1 } };
        for (int[] size : sizes) {
            byte[] expected = PillowBicubicReference.resize(pixels, width, height, size[0], size[1]);
            byte[] actual = BicubicResampler.resize(pixels, width, height, size[0], size[1]);
            assertArrayEquals(size[0] + "x" + size[1], expected, actual);
        }
    }

    @Test
    public void aWindowHoldsExactlyThoseBytesOfTheFullResize() {
        byte[] pixels = randomPixels(61, 47, 3);
        int[][] cases = {
            // outWidth, outHeight, left, top, windowWidth, windowHeight
            { 80, 59, 10, 5, 40, 30 },
            { 29, 22, 0, 3, 29, 16 },
            { 61, 30, 7, 0, 20, 30 }, // columns keep their size: only copied
            { 31, 47, 2, 9, 25, 25 } };
        for (int[] c : cases) {
            byte[] full = PillowBicubicReference.resize(pixels, 61, 47, c[0], c[1]);
            byte[] expected = PillowBicubicReference.window(full, c[0], c[2], c[3], c[4], c[5]);
            byte[] actual = BicubicResampler.resize(pixels, 61, 47, c[0], c[1], c[2], c[3], c[4], c[5]);
            assertArrayEquals(Arrays.toString(c), expected, actual);
        }
    }

    @Test
    public void halvingTwoPixelStripesGivesTheirMean() {
        // Each output pixel's taps pair up symmetrically around its centre, one black and one white column per
        // pair, so exactly half the weight lands on 255: 127.5, stored as 127 or 128 after fixed-point rounding.
        byte[] pixels = columns(64, 6, x -> x % 2 == 0 ? 0 : 255);
        byte[] out = BicubicResampler.resize(pixels, 64, 6, 32, 6);
        for (int y = 0; y < 6; y++) {
            // the first and last two outputs have kernels cut by the image border
            for (int x = 2; x < 30; x++) {
                int v = value(out, 32, x, y, 1);
                assertTrue("x" + x + " y" + y + " = " + v, v == 127 || v == 128);
            }
        }
    }

    @Test
    public void shrinkingStripesByThreeAveragesInsteadOfAliasing() {
        // Shrinking by 3 puts each output centre on one source column: point sampling would give 0, 255, 0, ...
        // The kernel widened to 3 x 2 source pixels passes only 1/81 of the stripes' amplitude (its
        // alternating tap sum is 1/27 against a total of 3), so every interior value is 127.5 +- 1.6.
        byte[] pixels = columns(66, 4, x -> x % 2 == 0 ? 0 : 255);
        byte[] out = BicubicResampler.resize(pixels, 66, 4, 22, 4);
        for (int x = 2; x < 20; x++) {
            int v = value(out, 22, x, 1, 0);
            assertEquals("x" + x, 127.5, v, 127.5 / 81 + 0.5);
        }
    }

    @Test
    public void shrinkingALinearRampKeepsItMonotoneAndOnTheLine() {
        // source column x holds x, i.e. the ramp's value at position u (pixel centre x + 0.5) is u - 0.5
        byte[] pixels = columns(256, 3, x -> x);
        int outWidth = 100;
        byte[] out = BicubicResampler.resize(pixels, 256, 3, outWidth, 3);
        for (int x = 1; x < outWidth; x++) {
            assertTrue("x" + x, value(out, outWidth, x, 1, 2) >= value(out, outWidth, x - 1, 1, 2));
        }
        int centre = outWidth / 2;
        double expected = (centre + 0.5) * 256.0 / outWidth - 0.5;
        assertEquals(expected, value(out, outWidth, centre, 1, 2), 1.0);
    }

    @Test
    public void enlargingALinearRampReproducesTheLine() {
        // the unscaled Keys kernel reproduces straight lines exactly away from the border: only the final
        // rounding to 8 bits remains
        byte[] pixels = columns(64, 3, x -> 4 * x);
        int outWidth = 200;
        double scale = 64.0 / outWidth;
        byte[] out = BicubicResampler.resize(pixels, 64, 3, outWidth, 3);
        for (int x = 1; x < outWidth; x++) {
            assertTrue("x" + x, value(out, outWidth, x, 1, 0) >= value(out, outWidth, x - 1, 1, 0));
        }
        for (int x = 10; x < outWidth - 10; x++) {
            double expected = 4 * ((x + 0.5) * scale - 0.5);
            assertEquals("x" + x, expected, value(out, outWidth, x, 1, 0), 0.5 + 1e-9);
        }
    }

    @Test
    public void weightsOfEachPositionSumToOne() {
        BicubicWeights weights = new BicubicWeights(4000, 298, 37, 224);
        for (int i = 0; i < 224; i++) {
            int sum = 0;
            for (int t = 0; t < weights.count[i]; t++) {
                sum += weights.weights[i * weights.stride + t];
            }
            // each weight is rounded on its own, so the sum may be off by about half a unit per tap
            assertEquals("position " + i, BicubicWeights.ONE, sum, weights.count[i]);
        }
    }

    @Test
    public void kernelMatchesTheTextbookPolynomial() {
        for (double x = -2.5; x <= 2.5; x += 0.01) {
            assertEquals("x=" + x, PillowBicubicReference.cubic(x), BicubicWeights.kernel(x), 1e-12);
        }
        assertEquals(1.0, BicubicWeights.kernel(0), 0);
        assertEquals(0.0, BicubicWeights.kernel(1), 0);
        assertEquals(0.0, BicubicWeights.kernel(2), 0);
    }

    @Test(expected = IllegalArgumentException.class)
    public void rejectsAWindowOutsideTheResizedImage() {
        BicubicResampler.resize(randomPixels(10, 10, 4), 10, 10, 20, 20, 5, 5, 16, 10);
    }

    @Test(expected = IllegalArgumentException.class)
    public void rejectsPixelsThatDoNotMatchTheSize() {
        BicubicResampler.resize(new byte[10 * 10 * 3 - 1], 10, 10, 5, 5);
    }
}
