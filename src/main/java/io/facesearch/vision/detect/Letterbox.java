package io.facesearch.vision.detect;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.OnnxModel;
import io.facesearch.vision.opencv.OpenCvNatives;

import java.nio.FloatBuffer;

/**
 * Scales a photo to fit a detector's input, keeping its aspect ratio, pasted at the top-left of a
 * zero canvas, written straight into a normalised NCHW float tensor.
 *
 * <p>Upscaling and mild downscaling use bilinear interpolation with pixel-centre alignment (OpenCV's
 * INTER_LINEAR, which the detectors were evaluated with). Strong downscaling first averages integer blocks of
 * pixels so small faces in large photos are not lost to aliasing. OpenCV does both when its natives are loaded
 * ({@link OpenCvLetterbox}); the Java code here does the same arithmetic in floating point otherwise.
 */
final class Letterbox {
    final float scale;
    final int canvasWidth;
    final int canvasHeight;

    private Letterbox(float scale, int canvasWidth, int canvasHeight) {
        this.scale = scale;
        this.canvasWidth = canvasWidth;
        this.canvasHeight = canvasHeight;
    }

    static Letterbox forModel(ModelSpec spec, int imageWidth, int imageHeight) {
        float scale = Math.min((float) spec.inputWidth() / imageWidth, (float) spec.inputHeight() / imageHeight);
        if (spec.dynamicInput() == false) {
            return new Letterbox(scale, spec.inputWidth(), spec.inputHeight());
        }
        // a model that takes any size gets the photo at its own size when it fits: enlarging a small photo to the
        // model's largest input would only cost time (a 250x250 photo: 6.5 times the pixels)
        scale = Math.min(scale, 1f);
        int stride = spec.inputStride();
        int width = Math.max(stride, (int) Math.ceil(imageWidth * scale / stride) * stride);
        int height = Math.max(stride, (int) Math.ceil(imageHeight * scale / stride) * stride);
        return new Letterbox(scale, width, height);
    }

    long[] shape() {
        return new long[] { 1, 3, canvasHeight, canvasWidth };
    }

    /**
     * The tensor, in this thread's reusable input buffer ({@link OnnxModel#inputBuffer}): by OpenCV when its natives
     * are loaded, else by the Java resize.
     */
    FloatBuffer toTensor(DecodedImage image, ModelSpec spec) {
        return toTensor(image, spec, OpenCvNatives.available());
    }

    /** {@link #toTensor(DecodedImage, ModelSpec)}, choosing the resize; {@code openCv} only when the natives are loaded. */
    FloatBuffer toTensor(DecodedImage image, ModelSpec spec, boolean openCv) {
        int factor = (int) Math.floor(1 / scale);
        int outWidth = Math.min(canvasWidth, Math.round(image.width() * scale));
        int outHeight = Math.min(canvasHeight, Math.round(image.height() * scale));
        // per network channel c: which byte of a BGR pixel feeds it, and value = byte * gain + bias
        int[] byteOffset = new int[3];
        float[] gain = new float[3];
        float[] bias = new float[3];
        for (int c = 0; c < 3; c++) {
            byteOffset[c] = spec.bgr() ? c : 2 - c;
            gain[c] = 1f / spec.std()[c];
            bias[c] = -spec.mean()[c] / spec.std()[c];
        }
        FloatBuffer tensor = OnnxModel.inputBuffer(3 * canvasWidth * canvasHeight);
        if (openCv) {
            OpenCvLetterbox.fill(image, factor, outWidth, outHeight, canvasWidth, canvasHeight, byteOffset, gain, bias, tensor);
        } else {
            DecodedImage source = factor >= 2 ? BlockAverage.shrink(image, factor) : image;
            resize(source, outWidth, outHeight, byteOffset, gain, bias, tensor);
        }
        tensor.rewind();
        return tensor;
    }

    /**
     * The Java resize, separable: each source row needed is interpolated horizontally once, then output rows blend
     * two such rows. Each axis is scaled by its output size over the source size, as OpenCV's resize does.
     */
    private void resize(DecodedImage source, int outWidth, int outHeight, int[] byteOffset, float[] gain, float[] bias, FloatBuffer tensor) {
        int srcWidth = source.width();
        int srcHeight = source.height();
        byte[] pixels = source.bgr();
        float scaleX = (float) outWidth / srcWidth;
        float scaleY = (float) outHeight / srcHeight;

        int[] x0 = new int[outWidth];
        int[] x1 = new int[outWidth];
        float[] fx = new float[outWidth];
        for (int x = 0; x < outWidth; x++) {
            float sx = Math.max(0f, (x + 0.5f) / scaleX - 0.5f);
            int left = Math.min((int) sx, srcWidth - 1);
            x0[x] = left * 3;
            x1[x] = Math.min(left + 1, srcWidth - 1) * 3;
            fx[x] = Math.min(1f, sx - left);
        }

        int plane = canvasWidth * canvasHeight;
        // Horizontally resized source rows, one array per network channel: the vertical blend then reads and
        // writes the same index of separate arrays, a loop the JIT turns into vector instructions.
        float[][] upper = new float[3][outWidth];
        float[][] lower = new float[3][outWidth];
        float[] outRow = new float[canvasWidth];
        int upperRow = -1;
        int lowerRow = -1;
        for (int y = 0; y < outHeight; y++) {
            float sy = Math.max(0f, (y + 0.5f) / scaleY - 0.5f);
            int top = Math.min((int) sy, srcHeight - 1);
            int bottom = Math.min(top + 1, srcHeight - 1);
            float fy = Math.min(1f, sy - top);
            if (top != upperRow) {
                if (top == lowerRow) {
                    float[][] swap = upper;
                    upper = lower;
                    lower = swap;
                } else {
                    resizeRow(pixels, top * srcWidth * 3, x0, x1, fx, byteOffset, upper);
                }
                upperRow = top;
                lowerRow = -1;
            }
            if (bottom != lowerRow) {
                resizeRow(pixels, bottom * srcWidth * 3, x0, x1, fx, byteOffset, lower);
                lowerRow = bottom;
            }
            for (int c = 0; c < 3; c++) {
                blendRows(upper[c], lower[c], fy, gain[c], bias[c], outRow, outWidth);
                if (outWidth < canvasWidth) {
                    java.util.Arrays.fill(outRow, outWidth, canvasWidth, bias[c]);
                }
                tensor.put(c * plane + y * canvasWidth, outRow, 0, canvasWidth);
            }
        }
        for (int c = 0; c < 3; c++) {
            java.util.Arrays.fill(outRow, bias[c]);
            for (int y = outHeight; y < canvasHeight; y++) {
                tensor.put(c * plane + y * canvasWidth, outRow, 0, canvasWidth);
            }
        }
    }

    /** {@code out[x] = (upper[x] + fy * (lower[x] - upper[x])) * gain + bias} for the first {@code width} values. */
    private static void blendRows(float[] upper, float[] lower, float fy, float gain, float bias, float[] out, int width) {
        for (int x = 0; x < width; x++) {
            float a = upper[x];
            out[x] = (a + fy * (lower[x] - a)) * gain + bias;
        }
    }

    /** One source row, interpolated horizontally into {@code out[c][x]} for each network channel c. */
    private static void resizeRow(byte[] pixels, int rowStart, int[] x0, int[] x1, float[] fx, int[] byteOffset, float[][] out) {
        int width = x0.length;
        for (int c = 0; c < 3; c++) {
            int k = rowStart + byteOffset[c];
            float[] row = out[c];
            for (int x = 0; x < width; x++) {
                int left = pixels[k + x0[x]] & 0xFF;
                int right = pixels[k + x1[x]] & 0xFF;
                row[x] = left + fx[x] * (right - left);
            }
        }
    }
}
