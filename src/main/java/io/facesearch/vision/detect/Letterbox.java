package io.facesearch.vision.detect;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.model.ModelSpec;

import java.nio.FloatBuffer;

/**
 * Scales a photo to fit a detector's input, keeping its aspect ratio, pasted at the top-left of a
 * zero canvas, written straight into a normalised NCHW float tensor.
 *
 * <p>Upscaling and mild downscaling use bilinear interpolation with pixel-centre alignment (the same
 * sampling as OpenCV's INTER_LINEAR, which the detectors were evaluated with). Strong downscaling first
 * averages integer blocks of pixels so small faces in large photos are not lost to aliasing.
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
        int stride = spec.inputStride();
        int width = Math.max(stride, (int) Math.ceil(imageWidth * scale / stride) * stride);
        int height = Math.max(stride, (int) Math.ceil(imageHeight * scale / stride) * stride);
        return new Letterbox(scale, width, height);
    }

    long[] shape() {
        return new long[] { 1, 3, canvasHeight, canvasWidth };
    }

    FloatBuffer toTensor(DecodedImage image, ModelSpec spec) {
        int factor = (int) Math.floor(1 / scale);
        DecodedImage source = factor >= 2 ? BlockAverage.shrink(image, factor) : image;
        // scale relative to the (possibly block-averaged) source
        float sourceScale = scale * image.width() / source.width();
        int srcWidth = source.width();
        int srcHeight = source.height();
        byte[] pixels = source.bgr();
        int outWidth = Math.min(canvasWidth, Math.round(image.width() * scale));
        int outHeight = Math.min(canvasHeight, Math.round(image.height() * scale));

        int[] x0 = new int[outWidth];
        int[] x1 = new int[outWidth];
        float[] fx = new float[outWidth];
        for (int x = 0; x < outWidth; x++) {
            float sx = Math.max(0f, (x + 0.5f) / sourceScale - 0.5f);
            int left = Math.min((int) sx, srcWidth - 1);
            x0[x] = left * 3;
            x1[x] = Math.min(left + 1, srcWidth - 1) * 3;
            fx[x] = Math.min(1f, sx - left);
        }

        int plane = canvasWidth * canvasHeight;
        float[] data = new float[3 * plane];
        float[] padValue = new float[3];
        float[] inverseStd = new float[3];
        int[] byteOffset = new int[3];
        for (int c = 0; c < 3; c++) {
            inverseStd[c] = 1f / spec.std()[c];
            padValue[c] = -spec.mean()[c] * inverseStd[c];
            byteOffset[c] = spec.bgr() ? c : 2 - c;
        }
        for (int c = 0; c < 3; c++) {
            if (padValue[c] != 0f) {
                java.util.Arrays.fill(data, c * plane, (c + 1) * plane, padValue[c]);
            }
        }
        for (int y = 0; y < outHeight; y++) {
            float sy = Math.max(0f, (y + 0.5f) / sourceScale - 0.5f);
            int top = Math.min((int) sy, srcHeight - 1);
            int bottom = Math.min(top + 1, srcHeight - 1);
            float fy = Math.min(1f, sy - top);
            int rowTop = top * srcWidth * 3;
            int rowBottom = bottom * srcWidth * 3;
            int outRow = y * canvasWidth;
            for (int x = 0; x < outWidth; x++) {
                float wx = fx[x];
                int a = rowTop + x0[x];
                int b = rowTop + x1[x];
                int d = rowBottom + x0[x];
                int e = rowBottom + x1[x];
                for (int c = 0; c < 3; c++) {
                    int k = byteOffset[c];
                    float upper = (pixels[a + k] & 0xFF) + wx * ((pixels[b + k] & 0xFF) - (pixels[a + k] & 0xFF));
                    float lower = (pixels[d + k] & 0xFF) + wx * ((pixels[e + k] & 0xFF) - (pixels[d + k] & 0xFF));
                    float value = upper + fy * (lower - upper);
                    data[c * plane + outRow + x] = (value - spec.mean()[c]) * inverseStd[c];
                }
            }
        }
        return FloatBuffer.wrap(data);
    }
}
