package io.facesearch.common;

import java.util.List;

/** Vectors as a document's source holds them: JSON lists of numbers, compared with each other or with a float[]. */
public final class StoredVectors {
    private StoredVectors() {}

    /**
     * Cosine similarity of two vectors, each a {@code float[]} or a stored list of numbers; NaN (below and above every
     * threshold alike) when either is missing, not all numbers, of zero length or norm, or their lengths differ.
     */
    public static double cosine(Object a, Object b) {
        int length = length(a);
        if (length <= 0 || length != length(b)) {
            return Double.NaN;
        }
        double dot = 0;
        double aNorm = 0;
        double bNorm = 0;
        for (int i = 0; i < length; i++) {
            double x = component(a, i);
            double y = component(b, i);
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Double.NaN;
            }
            dot += x * y;
            aNorm += x * x;
            bNorm += y * y;
        }
        return aNorm == 0 || bNorm == 0 ? Double.NaN : dot / Math.sqrt(aNorm * bNorm);
    }

    private static int length(Object vector) {
        if (vector instanceof float[] values) {
            return values.length;
        }
        return vector instanceof List<?> values ? values.size() : -1;
    }

    private static double component(Object vector, int i) {
        if (vector instanceof float[] values) {
            return values[i];
        }
        return ((List<?>) vector).get(i) instanceof Number number ? number.doubleValue() : Double.NaN;
    }
}
