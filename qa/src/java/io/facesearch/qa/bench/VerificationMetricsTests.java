package io.facesearch.qa.bench;

import org.junit.Test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** Hand-computed cases for the verification arithmetic. */
public class VerificationMetricsTests {
    private static final double EPS = 1e-12;
    private static final boolean T = true;
    private static final boolean F = false;

    @Test
    public void accuracyAcceptsStrictlyAboveTheThreshold() {
        double[] scores = { 0.1, 0.5, 0.5, 0.9 };
        boolean[] same = { F, T, F, T };
        assertEquals(0.75, VerificationMetrics.accuracy(scores, same, 0.3), EPS); // 0.5F accepted: wrong
        assertEquals(0.75, VerificationMetrics.accuracy(scores, same, 0.5), EPS); // 0.5T rejected: wrong
        assertEquals(0.5, VerificationMetrics.accuracy(scores, same, 1.0), EPS);
    }

    @Test
    public void bestThresholdSeparatesSeparablePairsAtTheMidpoint() {
        double[] scores = { 0.9, 0.1, 0.7, 0.2 };
        boolean[] same = { T, F, T, F };
        VerificationMetrics.Threshold best = VerificationMetrics.bestThreshold(scores, same);
        assertEquals(0.45, best.threshold(), EPS);
        assertEquals(1.0, best.accuracy(), EPS);
    }

    @Test
    public void bestThresholdTakesTheLowestOfEqualAccuracies() {
        // sorted: 0.1F 0.35T 0.4F 0.8T; thresholds 0.225 and 0.6 both give 3/4
        double[] scores = { 0.1, 0.4, 0.35, 0.8 };
        boolean[] same = { F, F, T, T };
        VerificationMetrics.Threshold best = VerificationMetrics.bestThreshold(scores, same);
        assertEquals(0.225, best.threshold(), EPS);
        assertEquals(0.75, best.accuracy(), EPS);
    }

    @Test
    public void bestThresholdCanAcceptEverythingOrNothing() {
        VerificationMetrics.Threshold all = VerificationMetrics.bestThreshold(new double[] { 0.2, 0.3 }, new boolean[] { T, T });
        assertEquals(1.0, all.accuracy(), EPS);
        assertTrue(all.threshold() < 0.2);
        VerificationMetrics.Threshold none = VerificationMetrics.bestThreshold(new double[] { 0.2, 0.3 }, new boolean[] { F, F });
        assertEquals(1.0, none.accuracy(), EPS);
        assertEquals(0.3, none.threshold(), EPS);
    }

    @Test
    public void bestThresholdTreatsTiedScoresAsOneGroup() {
        // a failed pair scores -1 on both sides; 0.5T and 0.5F tie
        double[] scores = { -1, -1, 0.5, 0.5, 0.8 };
        boolean[] same = { T, F, T, F, T };
        VerificationMetrics.Threshold best = VerificationMetrics.bestThreshold(scores, same);
        // below -1: 3/5; past -1: 3/5; past 0.5 (t = 0.65): 3/5; past 0.8: 2/5 -> lowest of the ties
        assertEquals(0.6, best.accuracy(), EPS);
        assertEquals(Math.nextDown(-1.0), best.threshold(), 0);
    }

    @Test
    public void kFoldChoosesEachThresholdOnTheOtherFolds() {
        double[] scores = { 0.1, 0.6, 0.3, 0.9, 0.2, 0.5, 0.7, 0.8 };
        boolean[] same = { F, T, F, T, F, T, F, T };
        int[] folds = { 0, 0, 0, 0, 1, 1, 1, 1 };
        VerificationMetrics.FoldResult result = VerificationMetrics.kFoldAccuracy(scores, same, folds);
        // fold 0: trained on fold 1 -> t = 0.35 (3/4, lowest tie), fold 0 all right -> 1.0
        // fold 1: trained on fold 0 -> t = 0.45 (4/4), fold 1: 0.7F accepted -> 0.75
        assertEquals(2, result.folds());
        assertArrayEquals(new double[] { 0.35, 0.45 }, result.thresholds(), EPS);
        assertArrayEquals(new double[] { 1.0, 0.75 }, result.accuracies(), EPS);
        assertEquals(0.875, result.accuracy(), EPS);
        assertEquals(0.125, result.stddev(), EPS);
    }

    @Test(expected = IllegalArgumentException.class)
    public void kFoldNeedsTwoFolds() {
        VerificationMetrics.kFoldAccuracy(new double[] { 0.1, 0.9 }, new boolean[] { F, T }, new int[] { 5, 5 });
    }

    @Test
    public void foldsByIndexAreRoundRobin() {
        assertArrayEquals(new int[] { 0, 1, 2, 0, 1, 2, 0 }, VerificationMetrics.foldsByIndex(7, 3));
    }

    @Test
    public void tarAtFarUsesTheHighestNegativeBelowOneThousand() {
        // 3 negatives: k = floor(0.003) = 0 -> threshold = highest negative 0.5; positives above 0.5: 0.6, 0.7
        double[] scores = { 0.2, 0.6, 0.5, 0.5, 0.1, 0.7, 0.4 };
        boolean[] same = { F, T, F, T, F, T, T };
        assertEquals(0.5, VerificationMetrics.thresholdAtFar(scores, same, 1e-3), EPS);
        assertEquals(0.5, VerificationMetrics.tarAtFar(scores, same, 1e-3), EPS);
    }

    @Test
    public void tarAtFarSkipsTheTopKNegatives() {
        // 1000 negatives 0.000 .. 0.999: k = 1 -> threshold = second highest = 0.998
        int n = 1000;
        double[] scores = new double[n + 4];
        boolean[] same = new boolean[n + 4];
        for (int i = 0; i < n; i++) {
            scores[i] = i / 1000.0;
        }
        double[] positives = { 0.9985, 0.999, 0.5, 0.998 };
        for (int i = 0; i < positives.length; i++) {
            scores[n + i] = positives[i];
            same[n + i] = true;
        }
        assertEquals(0.998, VerificationMetrics.thresholdAtFar(scores, same, 1e-3), EPS);
        assertEquals(0.5, VerificationMetrics.tarAtFar(scores, same, 1e-3), EPS);
    }

    @Test
    public void tarAtFarIsNaNWithoutNegativesOrPositives() {
        assertTrue(Double.isNaN(VerificationMetrics.tarAtFar(new double[] { 0.5 }, new boolean[] { T }, 1e-3)));
        assertTrue(Double.isNaN(VerificationMetrics.tarAtFar(new double[] { 0.5 }, new boolean[] { F }, 1e-3)));
    }

    @Test
    public void meanOnlyCountsIncludedPairsOfTheLabel() {
        double[] scores = { 0.8, -1, 0.6, 0.1 };
        boolean[] same = { T, T, T, F };
        boolean[] include = { T, F, T, T };
        assertEquals(0.7, VerificationMetrics.mean(scores, same, true, include), EPS);
        assertEquals(0.1, VerificationMetrics.mean(scores, same, false, include), EPS);
        assertEquals(0.4 / 3, VerificationMetrics.mean(scores, same, true, null), EPS);
    }

    @Test
    public void percentileIsNearestRank() {
        double[] values = { 10, 1, 9, 2, 8, 3, 7, 4, 6, 5 };
        assertEquals(5, VerificationMetrics.percentile(values, 50), EPS);
        assertEquals(10, VerificationMetrics.percentile(values, 99), EPS);
        assertEquals(1, VerificationMetrics.percentile(values, 0), EPS);
        assertEquals(7, VerificationMetrics.percentile(new double[] { 7 }, 99), EPS);
    }
}
