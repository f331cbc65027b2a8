package io.facesearch.vision.detect;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.image.ImageFormat;
import io.facesearch.vision.image.TestImages;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelTask;
import io.facesearch.vision.opencv.OpenCvNatives;

import org.junit.Test;

import java.nio.FloatBuffer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

public class LetterboxTests {

    private static ModelSpec spec(int size, boolean dynamic, boolean bgr, float mean, float std) {
        return new ModelSpec("test", ModelTask.FACE_DETECTION, "yunet", "f", "0", size, size, dynamic, 32, bgr,
            new float[] { mean, mean, mean }, new float[] { std, std, std }, 0.5f, 0.3f, 0.3f, null, 0, null, null, null);
    }

    /** The resizes to test: Java always, OpenCV where its natives load (they do on the platforms the build supports). */
    private static boolean[] resizes() {
        return OpenCvNatives.available() ? new boolean[] { false, true } : new boolean[] { false };
    }

    /**
     * Straightforward bilinear sampling with pixel-centre alignment, one output value at a time; each axis scaled by
     * output size over source size.
     */
    private static float reference(DecodedImage image, float scaleX, float scaleY, int x, int y, int channelByte) {
        float sx = Math.max(0f, (x + 0.5f) / scaleX - 0.5f);
        float sy = Math.max(0f, (y + 0.5f) / scaleY - 0.5f);
        int left = Math.min((int) sx, image.width() - 1);
        int top = Math.min((int) sy, image.height() - 1);
        int right = Math.min(left + 1, image.width() - 1);
        int bottom = Math.min(top + 1, image.height() - 1);
        float fx = Math.min(1f, sx - left);
        float fy = Math.min(1f, sy - top);
        float a = pixel(image, left, top, channelByte);
        float b = pixel(image, right, top, channelByte);
        float c = pixel(image, left, bottom, channelByte);
        float d = pixel(image, right, bottom, channelByte);
        float upper = a + fx * (b - a);
        float lower = c + fx * (d - c);
        return upper + fy * (lower - upper);
    }

    private static float pixel(DecodedImage image, int x, int y, int channelByte) {
        return image.bgr()[(y * image.width() + x) * 3 + channelByte] & 0xFF;
    }

    @Test
    public void upscalingMatchesPlainBilinearSamplingAndPadsTheRest() {
        DecodedImage image = TestImages.random(50, 30, 1);
        ModelSpec spec = spec(128, false, false, 127.5f, 128f);
        Letterbox letterbox = Letterbox.forModel(spec, image.width(), image.height());
        assertEquals(128f / 50, letterbox.scale, 1e-6);
        int plane = 128 * 128;
        int outHeight = Math.round(30 * letterbox.scale);
        for (boolean openCv : resizes()) {
            FloatBuffer tensor = letterbox.toTensor(image, spec, openCv);
            for (int c = 0; c < 3; c++) {
                int channelByte = 2 - c; // RGB network from BGR pixels
                for (int y = 0; y < 128; y++) {
                    for (int x = 0; x < 128; x++) {
                        float expected = y < outHeight
                            ? (reference(image, 128f / 50, (float) outHeight / 30, x, y, channelByte) - 127.5f) / 128f
                            : -127.5f / 128f;
                        assertEquals("openCv " + openCv + " c" + c + " x" + x + " y" + y, expected, tensor.get(c * plane + y * 128 + x), 1e-4);
                    }
                }
            }
        }
    }

    @Test
    public void tallPhotoPadsTheRightColumnsAndOverwritesTheReusedBuffer() {
        ModelSpec spec = spec(96, false, true, 10f, 2f);
        DecodedImage wide = TestImages.random(60, 20, 2);
        DecodedImage tall = TestImages.random(25, 70, 3);
        Letterbox letterbox = Letterbox.forModel(spec, tall.width(), tall.height());
        int plane = 96 * 96;
        int outWidth = Math.round(25 * letterbox.scale);
        assertEquals(34, outWidth);
        for (boolean openCv : resizes()) {
            Letterbox.forModel(spec, wide.width(), wide.height()).toTensor(wide, spec, openCv); // fills this thread's buffer first
            FloatBuffer tensor = letterbox.toTensor(tall, spec, openCv);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 96; y++) {
                    for (int x = 0; x < 96; x++) {
                        float expected = x < outWidth ? (reference(tall, (float) outWidth / 25, 96f / 70, x, y, c) - 10f) / 2f : -10f / 2f;
                        assertEquals("openCv " + openCv + " c" + c + " x" + x + " y" + y, expected, tensor.get(c * plane + y * 96 + x), 1e-3);
                    }
                }
            }
        }
    }

    @Test
    public void openCvIsTheDefaultResizeAndAgreesWithTheJavaOne() {
        assertTrue("the OpenCV natives load on this platform: " + OpenCvNatives.unavailableReason(), OpenCvNatives.available());
        ModelSpec rgb = spec(160, false, false, 127.5f, 128f);
        ModelSpec dynamic = spec(160, true, true, 0f, 1f);
        // upscaling, mild downscaling, block factors 2 and 3 with remainders, a one-pixel-wide strip, a dynamic canvas
        int[][] sizes = { { 37, 23 }, { 200, 130 }, { 341, 333 }, { 517, 260 }, { 1, 900 }, { 300, 111 } };
        for (int i = 0; i < sizes.length; i++) {
            DecodedImage image = TestImages.random(sizes[i][0], sizes[i][1], 10 + i);
            for (ModelSpec spec : new ModelSpec[] { rgb, dynamic }) {
                Letterbox letterbox = Letterbox.forModel(spec, image.width(), image.height());
                float[] java = floats(letterbox.toTensor(image, spec, false));
                float[] byDefault = floats(letterbox.toTensor(image, spec));
                assertEquals(java.length, byDefault.length);
                double sum = 0;
                for (int k = 0; k < java.length; k++) {
                    double difference = Math.abs(java[k] - byDefault[k]) * spec.std()[0];
                    // the two block averages may round a half differently: one level at most
                    assertTrue(image.width() + "x" + image.height() + " value " + k + " differs by " + difference, difference <= 1.0 + 1e-3);
                    sum += difference;
                }
                assertTrue(image.width() + "x" + image.height() + " mean difference " + sum / java.length, sum / java.length < 0.05);
            }
        }
    }

    private static float[] floats(FloatBuffer tensor) {
        float[] values = new float[tensor.remaining()];
        tensor.get(values);
        return values;
    }

    @Test
    public void dynamicCanvasIsTheScaledPhotoRoundedUpToTheStride() {
        ModelSpec spec = spec(640, true, true, 0, 1);
        Letterbox letterbox = Letterbox.forModel(spec, 1000, 500);
        assertEquals(640, letterbox.canvasWidth);
        assertEquals(320, letterbox.canvasHeight);
        Letterbox narrow = Letterbox.forModel(spec, 300, 1000);
        assertEquals(640, narrow.canvasHeight);
        assertEquals(192, narrow.canvasWidth);
        Letterbox odd = Letterbox.forModel(spec, 333, 1000);
        assertEquals(224, odd.canvasWidth); // 333 * 0.64 = 213.1, rounded up to a multiple of 32
    }

    @Test
    public void aDynamicModelTakesASmallPhotoAtItsOwnSize() {
        ModelSpec spec = spec(640, true, true, 0, 1);
        Letterbox small = Letterbox.forModel(spec, 250, 250);
        assertEquals(1f, small.scale, 0);
        assertEquals(256, small.canvasWidth);
        assertEquals(256, small.canvasHeight);
        Letterbox fixed = Letterbox.forModel(spec(640, false, true, 0, 1), 250, 250);
        assertEquals("a fixed input is filled", 640f / 250, fixed.scale, 1e-6);
        assertEquals(640, fixed.canvasWidth);
    }

    @Test
    public void strongDownscalingAveragesBlocksFirst() {
        // a fine checkerboard: bilinear sampling alone would alias to black or white, block averaging gives grey
        int size = 1280;
        byte[] pixels = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                byte value = (byte) (((x + y) % 2 == 0) ? 255 : 0);
                int p = (y * size + x) * 3;
                pixels[p] = value;
                pixels[p + 1] = value;
                pixels[p + 2] = value;
            }
        }
        DecodedImage image = new DecodedImage(size, size, pixels, ImageFormat.PNG);
        ModelSpec spec = spec(320, false, true, 0, 1);
        for (boolean openCv : resizes()) {
            FloatBuffer tensor = Letterbox.forModel(spec, size, size).toTensor(image, spec, openCv);
            for (int i = 0; i < 320 * 320; i += 997) {
                assertEquals("openCv " + openCv, 127.5f, tensor.get(i), 1f);
            }
        }
    }
}
