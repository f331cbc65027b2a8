package io.facesearch.query;

import io.facesearch.ingest.VectorCompression;

import org.junit.Test;

import static org.junit.Assert.assertEquals;

/** The k-NN plugin's scores turned into (1 + cosine) / 2. */
public class CosineScoreTests {

    @Test
    public void scoresOfACosineSpaceAreKept() {
        assertEquals(0.8125f, CosineScore.AS_GIVEN.of(0.8125f), 0);
        assertEquals(3f, CosineScore.AS_GIVEN.of(3f), 0);
    }

    @Test
    public void innerProductsOfIntegersOfOneLengthBecomeCosines() {
        double squaredLength = VectorCompression.int8SquaredLength(128);
        CosineScore score = CosineScore.ofInnerProduct(squaredLength);
        // the lucene engine scores an inner product of 0 or more as 1 + it, and a negative one as 1 / (1 - it)
        assertEquals(0.75, score.of((float) (1 + squaredLength / 2)), 1e-6);
        assertEquals(0.5, score.of(1f), 1e-6);
        assertEquals(0.25, score.of((float) (1 / (1 + squaredLength / 2))), 1e-6);
        assertEquals(1, score.of((float) (1 + squaredLength)), 1e-6);
        // a vector longer than the others (one no photo index writes) still scores within [0, 1]
        assertEquals(1, score.of((float) (1 + 2 * squaredLength)), 0);
        assertEquals(0, score.of((float) (1 / (1 + 2 * squaredLength))), 0);
    }

    @Test
    public void innerProductsOfUnitFloatsAreCosines() {
        CosineScore score = CosineScore.ofInnerProduct(1);
        assertEquals(0.9, score.of(1.8f), 1e-6);
        assertEquals(0.3, score.of(1 / 1.4f), 1e-6);
    }
}
