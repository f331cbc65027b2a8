package io.facesearch.vision.clip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.facesearch.vision.TestModels;
import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.image.TestImages;
import io.facesearch.vision.image.ImageDecoder;
import io.facesearch.vision.image.ImageFormat;

import java.util.Arrays;

import org.junit.Test;

public class ClipImagePreprocessorTests {
    private static final double[] MEAN = { 0.48145466, 0.4578275, 0.40821073 };
    private static final double[] STD = { 0.26862954, 0.26130258, 0.27577711 };
    private static final int SIZE = 224;
    private static final int PLANE = SIZE * SIZE;

    /** OpenAI CLIP's normalised value of 8-bit level v in RGB channel c. */
    private static double normalised(int v, int c) {
        return (v / 255.0 - MEAN[c]) / STD[c];
    }

    private static void fill(byte[] pixels, int width, int x0, int y0, int x1, int y1, int b, int g, int r) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int p = (y * width + x) * 3;
                pixels[p] = (byte) b;
                pixels[p + 1] = (byte) g;
                pixels[p + 2] = (byte) r;
            }
        }
    }

    /** RGB value of output pixel (x, y) turned back into 8-bit levels, for an OpenAI CLIP tensor. */
    private static int[] rgbAt(float[] tensor, int x, int y) {
        int[] rgb = new int[3];
        for (int c = 0; c < 3; c++) {
            rgb[c] = (int) Math.round((tensor[c * PLANE + y * SIZE + x] * STD[c] + MEAN[c]) * 255);
        }
        return rgb;
    }

    @Test
    public void uniformColourGivesTheNormalisedValueEverywhereInRgbOrder() {
        // B=10, G=100, R=200: the R plane comes first. Normalised filter weights keep a flat image flat.
        DecodedImage image = TestImages.uniform(300, 260, 10, 100, 200);
        float[] out = ClipImagePreprocessor.openAiClip().preprocess(image);
        assertEquals(3 * 224 * 224, out.length);
        int[] rgb = { 200, 100, 10 };
        for (int c = 0; c < 3; c++) {
            double expected = normalised(rgb[c], c);
            for (int i = 0; i < PLANE; i++) {
                assertEquals("channel " + c + " index " + i, expected, out[c * PLANE + i], 1e-6);
            }
        }
    }

    @Test
    public void bgrNetworkGetsBluePlaneFirstWithItsOwnMeanAndStd() {
        float[] mean255 = { 100, 110, 120 };
        float[] std255 = { 50, 60, 70 };
        ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(32, true, mean255, std255);
        assertEquals(32, preprocessor.size());
        float[] out = preprocessor.preprocess(TestImages.uniform(40, 90, 10, 100, 200));
        assertEquals(3 * 32 * 32, out.length);
        int[] bgr = { 10, 100, 200 };
        for (int c = 0; c < 3; c++) {
            double expected = (bgr[c] - mean255[c]) / (double) std255[c];
            for (int i = 0; i < 32 * 32; i++) {
                assertEquals("channel " + c + " index " + i, expected, out[c * 32 * 32 + i], 1e-6);
            }
        }
    }

    @Test
    public void openAiFactoryUsesSize224AndThePublishedMeanAndStdOnThe255Scale() {
        ClipImagePreprocessor factory = ClipImagePreprocessor.openAiClip();
        assertEquals(224, factory.size());
        float[] mean255 = new float[3];
        float[] std255 = new float[3];
        for (int c = 0; c < 3; c++) {
            mean255[c] = (float) (255 * MEAN[c]);
            std255[c] = (float) (255 * STD[c]);
        }
        ClipImagePreprocessor manual = new ClipImagePreprocessor(224, false, mean255, std255);
        DecodedImage image = TestImages.random(230, 240, 5);
        assertTrue(Arrays.equals(manual.preprocess(image), factory.preprocess(image)));
    }

    @Test
    public void writesOnlyItsOwnSliceOfTheArray() {
        ClipImagePreprocessor preprocessor = ClipImagePreprocessor.openAiClip();
        int length = 3 * PLANE;
        float[] out = new float[2 * length + 7];
        Arrays.fill(out, Float.NaN);
        int offset = length + 3;
        preprocessor.preprocess(TestImages.uniform(250, 250, 0, 0, 0), out, offset);
        for (int i = 0; i < out.length; i++) {
            boolean inside = i >= offset && i < offset + length;
            assertEquals("index " + i, inside, Float.isNaN(out[i]) == false);
        }
        assertEquals(normalised(0, 0), out[offset], 1e-6);
        assertEquals(normalised(0, 2), out[offset + length - 1], 1e-6);
    }

    @Test
    public void rejectsAnArrayTooShortForTheOffset() {
        ClipImagePreprocessor preprocessor = ClipImagePreprocessor.openAiClip();
        try {
            preprocessor.preprocess(TestImages.uniform(10, 10, 0, 0, 0), new float[3 * PLANE + 4], 5);
            fail("an array one image long cannot take the image at offset 5");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("offset 5"));
        }
    }

    @Test
    public void rejectsBadNormalisation() {
        float[] ok = { 1, 1, 1 };
        expectRejected(() -> new ClipImagePreprocessor(0, false, ok, ok));
        expectRejected(() -> new ClipImagePreprocessor(224, false, new float[] { 1, 1 }, ok));
        expectRejected(() -> new ClipImagePreprocessor(224, false, ok, new float[] { 1, 0, 1 }));
        expectRejected(() -> new ClipImagePreprocessor(224, false, ok, new float[] { 1, -2, 1 }));
        expectRejected(() -> new ClipImagePreprocessor(224, false, new float[] { 1, Float.NaN, 1 }, ok));
    }

    private static void expectRejected(Runnable construction) {
        try {
            construction.run();
            fail("expected IllegalArgumentException");
        } catch (IllegalArgumentException expected) {
            // the message names the bad value
        }
    }

    @Test
    public void resizeGeometryFollowsTorchvision() {
        // 448x300: short side 300 -> 224, long side int(224 * 448 / 300) = int(334.51) = 334, left = round(55.0)
        assertEquals(new ResizeCropGeometry(334, 224, 55, 0), ResizeCropGeometry.of(448, 300, 224));
        // the long side is truncated, not rounded: 224 * 640 / 480 = 298.67 -> 298; left = round(37.0)
        assertEquals(new ResizeCropGeometry(298, 224, 37, 0), ResizeCropGeometry.of(640, 480, 224));
        assertEquals(new ResizeCropGeometry(224, 298, 0, 37), ResizeCropGeometry.of(480, 640, 224));
        // 4000x3000 -> 298.67 -> 298 as well
        assertEquals(new ResizeCropGeometry(298, 224, 37, 0), ResizeCropGeometry.of(4000, 3000, 224));
        // half-way offsets round to even, as Python's round() does: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2
        assertEquals(0, ResizeCropGeometry.of(224, 225, 224).top());
        assertEquals(2, ResizeCropGeometry.of(224, 227, 224).top());
        assertEquals(2, ResizeCropGeometry.of(224, 229, 224).top());
        assertEquals(2, ResizeCropGeometry.of(229, 224, 224).left());
        // square photos are only scaled
        assertEquals(new ResizeCropGeometry(224, 224, 0, 0), ResizeCropGeometry.of(1000, 1000, 224));
    }

    @Test
    public void cropOffsetRoundsHalfToEvenOnRealPixels() {
        // 224 wide: no resize, so output row r is source row top + r; each source row holds its own index
        for (int[] heightAndTop : new int[][] { { 225, 0 }, { 227, 2 }, { 229, 2 } }) {
            int height = heightAndTop[0];
            byte[] pixels = new byte[224 * height * 3];
            for (int y = 0; y < height; y++) {
                fill(pixels, 224, 0, y, 224, y + 1, y, y, y);
            }
            float[] out = ClipImagePreprocessor.openAiClip().preprocess(new DecodedImage(224, height, pixels, ImageFormat.PNG));
            for (int r = 0; r < SIZE; r += 37) {
                assertEquals("height " + height + " row " + r, heightAndTop[1] + r, rgbAt(out, 100, r)[1]);
            }
        }
    }

    @Test
    public void centreCropOfAWidePhotoKeepsTheCentreAndDropsTheEdges() {
        // 448x300 -> 334x224, columns 55..278 kept: the source columns ~74..374. Red bands at the far left
        // (x < 50) and right (x >= 398) lie beyond the kernel's reach (2 * 300/224 = 2.7 px) of any kept column.
        int width = 448;
        int height = 300;
        DecodedImage image = TestImages.uniform(width, height, 0, 200, 0);
        byte[] pixels = image.bgr();
        fill(pixels, width, 0, 0, 50, height, 0, 0, 255);
        fill(pixels, width, 398, 0, width, height, 0, 0, 255);
        // blue block around the centre: source 174..274 x 100..200 -> output ~75..149 both ways
        fill(pixels, width, 174, 100, 274, 200, 255, 0, 0);
        float[] out = ClipImagePreprocessor.openAiClip().preprocess(image);
        assertCropKeepsCentre(out);
    }

    @Test
    public void centreCropOfATallPhotoKeepsTheCentreAndDropsTheEdges() {
        int width = 300;
        int height = 448;
        DecodedImage image = TestImages.uniform(width, height, 0, 200, 0);
        byte[] pixels = image.bgr();
        fill(pixels, width, 0, 0, width, 50, 0, 0, 255);
        fill(pixels, width, 0, 398, width, height, 0, 0, 255);
        fill(pixels, width, 100, 174, 200, 274, 255, 0, 0);
        float[] out = ClipImagePreprocessor.openAiClip().preprocess(image);
        assertCropKeepsCentre(out);
    }

    private static void assertCropKeepsCentre(float[] out) {
        int[] green = { 0, 200, 0 };
        int[] blue = { 0, 0, 255 };
        // no trace of red anywhere
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                assertEquals("red at " + x + "," + y, 0, rgbAt(out, x, y)[0]);
            }
        }
        assertTrue(Arrays.equals(blue, rgbAt(out, 112, 112)));
        assertTrue(Arrays.equals(blue, rgbAt(out, 85, 140)));
        for (int[] corner : new int[][] { { 0, 0 }, { 223, 0 }, { 0, 223 }, { 223, 223 }, { 0, 112 }, { 223, 112 }, { 112, 0 } }) {
            assertTrue(Arrays.toString(corner), Arrays.equals(green, rgbAt(out, corner[0], corner[1])));
        }
        // the block is centred: as many blue pixels left of the centre line as right of it
        int left = 0;
        int right = 0;
        for (int x = 0; x < SIZE; x++) {
            if (rgbAt(out, x, 112)[2] > 128) {
                if (x < SIZE / 2) {
                    left++;
                } else {
                    right++;
                }
            }
        }
        assertTrue(left + " vs " + right, left >= 30 && Math.abs(left - right) <= 1);
    }

    @Test
    public void horizontalRampStaysMonotoneAndMatchesTheLineAtTheCentre() {
        // 256x200: column x holds x. Upscaled to 286x224 (the Keys kernel keeps straight lines straight),
        // cropped from column 31. Output column 112 is resized column 143, whose centre lies at source
        // position 143.5 * 256 / 286, where the ramp's value is that position minus half a pixel.
        int width = 256;
        int height = 200;
        byte[] pixels = new byte[width * height * 3];
        for (int x = 0; x < width; x++) {
            fill(pixels, width, x, 0, x + 1, height, x, x, x);
        }
        float[] out = ClipImagePreprocessor.openAiClip().preprocess(new DecodedImage(width, height, pixels, ImageFormat.PNG));
        for (int c = 0; c < 3; c++) {
            for (int x = 1; x < SIZE; x++) {
                assertTrue("channel " + c + " x" + x, out[c * PLANE + 100 * SIZE + x] >= out[c * PLANE + 100 * SIZE + x - 1]);
            }
            double level = 143.5 * 256.0 / 286 - 0.5;
            double expected = (level / 255 - MEAN[c]) / STD[c];
            assertEquals("channel " + c, expected, out[c * PLANE + 100 * SIZE + 112], 1 / 255.0 / STD[c]);
        }
    }

    @Test
    public void matchesReferenceResizeThenCropThenNormalise() {
        DecodedImage image = TestImages.random(97, 61, 6);
        int size = 40;
        // 97x61 -> int(40 * 97 / 61) = 63 x 40, left = round(11.5) = 12
        byte[] resized = PillowBicubicReference.resize(image.bgr(), 97, 61, 63, 40);
        byte[] crop = PillowBicubicReference.window(resized, 63, 12, 0, size, size);
        float[] mean255 = { 120, 115, 105 };
        float[] std255 = { 68, 66, 70 };
        float[] out = new ClipImagePreprocessor(size, false, mean255, std255).preprocess(image);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < size * size; i++) {
                int v = crop[i * 3 + (2 - c)] & 0xFF;
                assertEquals("channel " + c + " index " + i, (v - mean255[c]) / std255[c], out[c * size * size + i], 1e-6);
            }
        }
    }

    @Test
    public void realPhotoGivesValuesInTheNormalisedRange() {
        DecodedImage image = new ImageDecoder().decode(TestModels.photo("people/Guido_van_Rossum/fr_guido_van_rossum3.jpg"));
        float[] out = ClipImagePreprocessor.openAiClip().preprocess(image);
        assertEquals(3 * PLANE, out.length);
        for (int c = 0; c < 3; c++) {
            float low = (float) normalised(0, c);
            float high = (float) normalised(255, c);
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < PLANE; i++) {
                float v = out[c * PLANE + i];
                assertTrue("channel " + c + " index " + i + " = " + v, v >= low - 1e-6f && v <= high + 1e-6f);
                sum += v;
                squares += v * v;
            }
            double mean = sum / PLANE;
            double spread = Math.sqrt(squares / PLANE - mean * mean);
            // a photo, not a flat fill: values spread over a good part of the range
            assertTrue("channel " + c + " spread " + spread, spread > 0.2);
        }
    }

}
