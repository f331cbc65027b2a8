package io.facesearch.vision.clip;

/**
 * Fixed-point bicubic filter weights along one axis of a resize, for a run of output positions.
 *
 * <p>The weights reproduce Pillow's {@code BICUBIC} resampling: the Keys cubic kernel with a = -0.5,
 * its support of 2 widened by the shrink factor when shrinking (so every source pixel contributes and
 * fine detail averages out instead of aliasing), source and output pixel centres aligned, the weights of
 * each output position divided by their sum, then scaled to integers of {@link #PRECISION_BITS} bits and
 * rounded half away from zero. Matching those steps exactly is what makes the 8-bit results identical to
 * the ones the CLIP models were trained on.
 */
final class BicubicWeights {
    /**
     * Fraction bits of a weight. An 8-bit value times a weight sum that can exceed 1 (the kernel has negative
     * lobes) must still fit in an int with its sign.
     */
    static final int PRECISION_BITS = 32 - 8 - 2;
    static final int ONE = 1 << PRECISION_BITS;
    static final int HALF = 1 << (PRECISION_BITS - 1);

    private static final double SUPPORT = 2.0;
    private static final double A = -0.5;

    /** Source index of the first tap of each output position. */
    final int[] first;
    /** Number of taps of each output position. */
    final int[] count;
    /** Weights, {@link #stride} slots per output position, only the first {@code count} of them used. */
    final int[] weights;
    final int stride;

    /**
     * @param inSize   length of the source axis
     * @param outSize  length of the resized axis
     * @param outStart first output position wanted
     * @param outCount number of output positions wanted
     */
    BicubicWeights(int inSize, int outSize, int outStart, int outCount) {
        if (inSize <= 0 || outSize <= 0) {
            throw new IllegalArgumentException("sizes must be positive, got " + inSize + " -> " + outSize);
        }
        if (outStart < 0 || outCount < 0 || outStart + outCount > outSize) {
            throw new IllegalArgumentException(
                "output positions " + outStart + ".." + (outStart + outCount) + " are outside 0.." + outSize
            );
        }
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(1.0, scale);
        double support = SUPPORT * filterScale;
        double inverseFilterScale = 1.0 / filterScale;
        this.stride = (int) Math.ceil(support) * 2 + 1;
        this.first = new int[outCount];
        this.count = new int[outCount];
        this.weights = new int[outCount * stride];
        double[] raw = new double[stride];
        for (int i = 0; i < outCount; i++) {
            double center = (outStart + i + 0.5) * scale;
            // (int) truncates toward zero like the C cast Pillow uses; negative starts are clamped right after
            int start = Math.max(0, (int) (center - support + 0.5));
            int end = Math.min(inSize, (int) (center + support + 0.5));
            int taps = end - start;
            double sum = 0;
            for (int t = 0; t < taps; t++) {
                double w = kernel((start + t - center + 0.5) * inverseFilterScale);
                raw[t] = w;
                sum += w;
            }
            int base = i * stride;
            for (int t = 0; t < taps; t++) {
                double normalised = sum != 0.0 ? raw[t] / sum : raw[t];
                weights[base + t] = toFixedPoint(normalised);
            }
            first[i] = start;
            count[i] = taps;
        }
    }

    /** Keys cubic convolution kernel with a = -0.5 (Catmull-Rom). */
    static double kernel(double x) {
        x = Math.abs(x);
        if (x < 1.0) {
            return ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0;
        }
        if (x < 2.0) {
            return (((x - 5.0) * x + 8.0) * x - 4.0) * A;
        }
        return 0.0;
    }

    /** Rounds half away from zero: negative lobes must round symmetrically to positive ones. */
    private static int toFixedPoint(double weight) {
        double scaled = weight * ONE;
        return (int) (scaled < 0 ? scaled - 0.5 : scaled + 0.5);
    }

    /** Converts an accumulated sum (started at {@link #HALF}) back to an 8-bit value. */
    static int toByte(int accumulator) {
        int v = accumulator >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
