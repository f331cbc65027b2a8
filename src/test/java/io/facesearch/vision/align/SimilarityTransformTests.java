package io.facesearch.vision.align;

import org.junit.Test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

public class SimilarityTransformTests {

    @Test
    public void recoversAKnownRotationScaleAndTranslation() {
        double angle = Math.toRadians(17);
        double scale = 1.7;
        SimilarityTransform truth = new SimilarityTransform(scale * Math.cos(angle), scale * Math.sin(angle), 12.5, -4.25);
        float[] from = { 10, 20, 55, 18, 33, 47, 14, 70, 52, 71 };
        float[] to = new float[from.length];
        for (int i = 0; i < from.length; i += 2) {
            to[i] = (float) truth.applyX(from[i], from[i + 1]);
            to[i + 1] = (float) truth.applyY(from[i], from[i + 1]);
        }
        SimilarityTransform estimated = SimilarityTransform.estimate(from, to);
        assertEquals(truth.a(), estimated.a(), 1e-5);
        assertEquals(truth.b(), estimated.b(), 1e-5);
        assertEquals(truth.tx(), estimated.tx(), 1e-3);
        assertEquals(truth.ty(), estimated.ty(), 1e-3);
        assertEquals(scale, estimated.scale(), 1e-5);
    }

    @Test
    public void inverseUndoesTheTransform() {
        SimilarityTransform transform = new SimilarityTransform(0.8, -0.3, 5, 7);
        SimilarityTransform inverse = transform.inverse();
        double x = transform.applyX(31, -12);
        double y = transform.applyY(31, -12);
        assertEquals(31, inverse.applyX(x, y), 1e-9);
        assertEquals(-12, inverse.applyY(x, y), 1e-9);
    }

    @Test
    public void leastSquaresFitOfNoisyPointsIsTheMeanTransform() {
        // two points moved symmetrically off a pure translation: the fit keeps the translation
        float[] from = { 0, 0, 10, 0 };
        float[] to = { 5, 1, 15, -1 };
        SimilarityTransform fit = SimilarityTransform.estimate(from, to);
        assertEquals(10, fit.applyX(5, 0), 1e-6);
        assertEquals(0, fit.applyY(5, 0), 1e-6);
    }

    @Test
    public void rejectsDegeneratePoints() {
        assertThrows(IllegalArgumentException.class, () -> SimilarityTransform.estimate(new float[] { 1, 1, 1, 1 }, new float[] { 0, 0, 1, 1 }));
        assertThrows(IllegalArgumentException.class, () -> SimilarityTransform.estimate(new float[] { 1, 1 }, new float[] { 0, 0 }));
    }
}
