package io.facesearch.vision.clip;

/**
 * Pillow's BICUBIC resize written out as plainly as possible, to check the fast resampler against: one
 * output value at a time, every weight computed on the spot from the published recipe (Keys kernel with
 * a = -0.5, support 2 widened by the shrink factor, pixel centres aligned, weights divided by their sum,
 * 22-bit fixed point rounded half away from zero, sum rounded and clamped to 0..255 after each pass,
 * horizontal pass first).
 */
final class PillowBicubicReference {
    private static final double A = -0.5;
    private static final int BITS = 22;

    private PillowBicubicReference() {}

    /** Resizes interleaved 3-channel pixels; returns interleaved 3-channel pixels. */
    static byte[] resize(byte[] pixels, int width, int height, int outWidth, int outHeight) {
        int[][][] wide = new int[height][outWidth][3];
        for (int y = 0; y < height; y++) {
            for (int c = 0; c < 3; c++) {
                int[] line = new int[width];
                for (int x = 0; x < width; x++) {
                    line[x] = pixels[(y * width + x) * 3 + c] & 0xFF;
                }
                for (int x = 0; x < outWidth; x++) {
                    wide[y][x][c] = outWidth == width ? line[x] : sample(line, outWidth, x);
                }
            }
        }
        byte[] out = new byte[outWidth * outHeight * 3];
        for (int x = 0; x < outWidth; x++) {
            for (int c = 0; c < 3; c++) {
                int[] line = new int[height];
                for (int y = 0; y < height; y++) {
                    line[y] = wide[y][x][c];
                }
                for (int y = 0; y < outHeight; y++) {
                    int v = outHeight == height ? line[y] : sample(line, outHeight, y);
                    out[(y * outWidth + x) * 3 + c] = (byte) v;
                }
            }
        }
        return out;
    }

    /** Cuts a window out of interleaved 3-channel pixels. */
    static byte[] window(byte[] pixels, int width, int left, int top, int windowWidth, int windowHeight) {
        byte[] out = new byte[windowWidth * windowHeight * 3];
        for (int y = 0; y < windowHeight; y++) {
            for (int x = 0; x < windowWidth; x++) {
                for (int c = 0; c < 3; c++) {
                    out[(y * windowWidth + x) * 3 + c] = pixels[((top + y) * width + left + x) * 3 + c];
                }
            }
        }
        return out;
    }

    /** Value at output position {@code index} when {@code line} is resized to {@code outSize} samples. */
    static int sample(int[] line, int outSize, int index) {
        double scale = (double) line.length / outSize;
        double filterScale = scale < 1 ? 1 : scale;
        double support = 2 * filterScale;
        double center = (index + 0.5) * scale;
        int lo = (int) (center - support + 0.5);
        if (lo < 0) {
            lo = 0;
        }
        int hi = (int) (center + support + 0.5);
        if (hi > line.length) {
            hi = line.length;
        }
        double total = 0;
        for (int x = lo; x < hi; x++) {
            total += cubic((x + 0.5 - center) / filterScale);
        }
        long sum = 1L << (BITS - 1);
        for (int x = lo; x < hi; x++) {
            double w = cubic((x + 0.5 - center) / filterScale) / total * (1 << BITS);
            long fixed = (long) (Math.signum(w) * Math.floor(Math.abs(w) + 0.5));
            sum += line[x] * fixed;
        }
        long v = Math.floorDiv(sum, 1L << BITS);
        return (int) Math.max(0, Math.min(255, v));
    }

    /** Keys cubic convolution kernel, in its textbook polynomial form. */
    static double cubic(double x) {
        double t = Math.abs(x);
        if (t < 1) {
            return (A + 2) * t * t * t - (A + 3) * t * t + 1;
        }
        if (t < 2) {
            return A * t * t * t - 5 * A * t * t + 8 * A * t - 4 * A;
        }
        return 0;
    }
}
