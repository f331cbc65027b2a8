package io.facesearch.vision.clip;

import java.util.Arrays;

/**
 * Resizes 8-bit, 3-channel interleaved images with Pillow's {@code BICUBIC} filter, bit for bit.
 *
 * <p>The resize is separable and done in Pillow's order: a horizontal pass whose results are rounded to
 * 8 bits, then a vertical pass over those rounded rows. Doing the passes the other way round, or keeping
 * the intermediate rows at higher precision, would be as good an image but not the same bytes. See
 * {@link BicubicWeights} for the filter itself.
 *
 * <p>Callers that keep only part of the resized image (a centre crop) ask for that window: each output
 * pixel depends on its own position only, so the window's pixels are exactly those of the full resize, and
 * only the source rows and output columns the window needs are computed.
 */
final class BicubicResampler {
    private static final int CHANNELS = 3;

    private BicubicResampler() {}

    /** Resizes the whole image to {@code outWidth} x {@code outHeight}. */
    static byte[] resize(byte[] pixels, int width, int height, int outWidth, int outHeight) {
        return resize(pixels, width, height, outWidth, outHeight, 0, 0, outWidth, outHeight);
    }

    /**
     * Resizes the image to {@code outWidth} x {@code outHeight} and returns only the window of that result
     * starting at ({@code windowX}, {@code windowY}), {@code windowWidth * windowHeight * 3} bytes in the
     * same channel layout as the input.
     */
    static byte[] resize(
        byte[] pixels,
        int width,
        int height,
        int outWidth,
        int outHeight,
        int windowX,
        int windowY,
        int windowWidth,
        int windowHeight
    ) {
        if (width <= 0 || height <= 0 || outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("sizes must be positive, got " + width + "x" + height + " -> " + outWidth + "x" + outHeight);
        }
        if ((long) width * height * CHANNELS != pixels.length) {
            throw new IllegalArgumentException("expected " + (long) width * height * CHANNELS + " bytes, got " + pixels.length);
        }
        if (windowX < 0 || windowY < 0 || windowWidth <= 0 || windowHeight <= 0
            || windowX + windowWidth > outWidth || windowY + windowHeight > outHeight) {
            throw new IllegalArgumentException(
                "window " + windowWidth + "x" + windowHeight + " at " + windowX + "," + windowY + " is outside " + outWidth + "x" + outHeight
            );
        }

        // An axis that keeps its size is left alone, as Pillow does (its filter would be the identity there anyway).
        BicubicWeights vertical = outHeight != height ? new BicubicWeights(height, outHeight, windowY, windowHeight) : null;
        int firstRow;
        int endRow;
        if (vertical != null) {
            firstRow = Integer.MAX_VALUE;
            endRow = 0;
            for (int y = 0; y < windowHeight; y++) {
                firstRow = Math.min(firstRow, vertical.first[y]);
                endRow = Math.max(endRow, vertical.first[y] + vertical.count[y]);
            }
        } else {
            firstRow = windowY;
            endRow = windowY + windowHeight;
        }

        byte[] rows = outWidth != width
            ? resizeRows(pixels, width, firstRow, endRow, new BicubicWeights(width, outWidth, windowX, windowWidth))
            : copyColumns(pixels, width, firstRow, endRow, windowX, windowWidth);

        return vertical != null ? resizeColumns(rows, windowWidth, firstRow, vertical) : rows;
    }

    /** Horizontal pass over source rows {@code firstRow..endRow}, rounded to 8 bits. */
    private static byte[] resizeRows(byte[] pixels, int width, int firstRow, int endRow, BicubicWeights weights) {
        int outWidth = weights.first.length;
        byte[] out = new byte[(endRow - firstRow) * outWidth * CHANNELS];
        int[] first = weights.first;
        int[] count = weights.count;
        int[] k = weights.weights;
        int stride = weights.stride;
        int o = 0;
        for (int y = firstRow; y < endRow; y++) {
            int rowStart = y * width * CHANNELS;
            for (int x = 0; x < outWidth; x++) {
                int p = rowStart + first[x] * CHANNELS;
                int base = x * stride;
                int taps = count[x];
                int c0 = BicubicWeights.HALF;
                int c1 = BicubicWeights.HALF;
                int c2 = BicubicWeights.HALF;
                for (int t = 0; t < taps; t++, p += CHANNELS) {
                    int w = k[base + t];
                    c0 += (pixels[p] & 0xFF) * w;
                    c1 += (pixels[p + 1] & 0xFF) * w;
                    c2 += (pixels[p + 2] & 0xFF) * w;
                }
                out[o] = (byte) BicubicWeights.toByte(c0);
                out[o + 1] = (byte) BicubicWeights.toByte(c1);
                out[o + 2] = (byte) BicubicWeights.toByte(c2);
                o += CHANNELS;
            }
        }
        return out;
    }

    private static byte[] copyColumns(byte[] pixels, int width, int firstRow, int endRow, int windowX, int windowWidth) {
        int rowBytes = windowWidth * CHANNELS;
        byte[] out = new byte[(endRow - firstRow) * rowBytes];
        for (int y = firstRow; y < endRow; y++) {
            System.arraycopy(pixels, (y * width + windowX) * CHANNELS, out, (y - firstRow) * rowBytes, rowBytes);
        }
        return out;
    }

    /**
     * Vertical pass. Each output row is accumulated a whole source row at a time, so the inner loop runs
     * over contiguous memory.
     */
    private static byte[] resizeColumns(byte[] rows, int width, int firstRow, BicubicWeights weights) {
        int rowBytes = width * CHANNELS;
        int outHeight = weights.first.length;
        byte[] out = new byte[outHeight * rowBytes];
        int[] sums = new int[rowBytes];
        int[] k = weights.weights;
        for (int y = 0; y < outHeight; y++) {
            Arrays.fill(sums, BicubicWeights.HALF);
            int base = y * weights.stride;
            int sourceRow = weights.first[y] - firstRow;
            for (int t = 0; t < weights.count[y]; t++) {
                int w = k[base + t];
                int p = (sourceRow + t) * rowBytes;
                for (int i = 0; i < rowBytes; i++) {
                    sums[i] += (rows[p + i] & 0xFF) * w;
                }
            }
            int o = y * rowBytes;
            for (int i = 0; i < rowBytes; i++) {
                out[o + i] = (byte) BicubicWeights.toByte(sums[i]);
            }
        }
        return out;
    }
}
