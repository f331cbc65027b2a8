package io.facesearch.vision.align;

/**
 * A 2-D similarity transform (rotation, uniform scale, translation; no reflection):
 * {@code x' = a*x - b*y + tx}, {@code y' = b*x + a*y + ty}.
 */
public record SimilarityTransform(double a, double b, double tx, double ty) {

    /**
     * The least-squares similarity mapping {@code from} onto {@code to} (both x0, y0, x1, y1, ...).
     * Solving for {@code a = s cos t, b = s sin t} is a linear problem whose closed form gives the
     * same transform as Umeyama's method when reflections are excluded.
     */
    public static SimilarityTransform estimate(float[] from, float[] to) {
        if (from.length != to.length || from.length < 4 || from.length % 2 != 0) {
            throw new IllegalArgumentException("need the same number (>= 2) of source and target points");
        }
        int n = from.length / 2;
        double fx = 0, fy = 0, tx = 0, ty = 0;
        for (int i = 0; i < n; i++) {
            fx += from[2 * i];
            fy += from[2 * i + 1];
            tx += to[2 * i];
            ty += to[2 * i + 1];
        }
        fx /= n;
        fy /= n;
        tx /= n;
        ty /= n;
        double norm = 0, dot = 0, cross = 0;
        for (int i = 0; i < n; i++) {
            double x = from[2 * i] - fx;
            double y = from[2 * i + 1] - fy;
            double u = to[2 * i] - tx;
            double v = to[2 * i + 1] - ty;
            norm += x * x + y * y;
            dot += x * u + y * v;
            cross += x * v - y * u;
        }
        if (norm == 0) {
            throw new IllegalArgumentException("source points are all identical");
        }
        double a = dot / norm;
        double b = cross / norm;
        return new SimilarityTransform(a, b, tx - (a * fx - b * fy), ty - (b * fx + a * fy));
    }

    public double scale() {
        return Math.hypot(a, b);
    }

    /** The transform that undoes this one. */
    public SimilarityTransform inverse() {
        double det = a * a + b * b;
        double ia = a / det;
        double ib = -b / det;
        return new SimilarityTransform(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
    }

    public double applyX(double x, double y) {
        return a * x - b * y + tx;
    }

    public double applyY(double x, double y) {
        return b * x + a * y + ty;
    }
}
