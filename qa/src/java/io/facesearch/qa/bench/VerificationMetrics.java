package io.facesearch.qa.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arithmetic of a verification benchmark, free of I/O so it can be unit-tested on its own.
 *
 * <p>A pair is accepted ("same person") when its score is strictly greater than the threshold. Candidate
 * thresholds are the midpoints between consecutive distinct scores, plus one just below the lowest score
 * (accept everything) and the highest score itself (accept nothing); among thresholds with the same
 * accuracy the lowest one wins, so results are deterministic.
 */
public final class VerificationMetrics {
    private VerificationMetrics() {}

    /** A threshold and the accuracy it gives on the pairs it was chosen on. */
    public record Threshold(double threshold, double accuracy) {}

    /** Fraction of pairs classified correctly when pairs scoring above {@code threshold} are accepted. */
    public static double accuracy(double[] scores, boolean[] same, double threshold) {
        checkSizes(scores, same);
        if (scores.length == 0) {
            return Double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < scores.length; i++) {
            if ((scores[i] > threshold) == same[i]) {
                correct++;
            }
        }
        return (double) correct / scores.length;
    }

    /** The threshold with the highest accuracy over all pairs (lowest threshold on ties). */
    public static Threshold bestThreshold(double[] scores, boolean[] same) {
        checkSizes(scores, same);
        if (scores.length == 0) {
            throw new IllegalArgumentException("no pairs to choose a threshold on");
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(scores[x], scores[y]));
        int positives = 0;
        for (boolean s : same) {
            if (s) {
                positives++;
            }
        }
        // Threshold below every score: everything accepted, the positives are right.
        int correct = positives;
        int bestCorrect = correct;
        double bestThreshold = Math.nextDown(scores[order[0]]);
        int i = 0;
        while (i < order.length) {
            // Move the threshold past the group of equal scores starting at i: those pairs become rejected.
            double value = scores[order[i]];
            int j = i;
            while (j < order.length && scores[order[j]] == value) {
                correct += same[order[j]] ? -1 : 1;
                j++;
            }
            double threshold = j < order.length ? (value + scores[order[j]]) / 2 : value;
            if (correct > bestCorrect) {
                bestCorrect = correct;
                bestThreshold = threshold;
            }
            i = j;
        }
        return new Threshold(bestThreshold, (double) bestCorrect / scores.length);
    }

    /**
     * K-fold accuracy: for each fold, the best threshold is chosen on the pairs of all other folds and the
     * accuracy measured on the fold's own pairs; the result is the mean over folds.
     *
     * @param folds fold of each pair, any integers; at least two distinct values
     */
    public static FoldResult kFoldAccuracy(double[] scores, boolean[] same, int[] folds) {
        checkSizes(scores, same);
        if (folds.length != scores.length) {
            throw new IllegalArgumentException("folds and scores differ in length: " + folds.length + " and " + scores.length);
        }
        Map<Integer, Integer> sizes = new LinkedHashMap<>();
        for (int f : folds) {
            sizes.merge(f, 1, Integer::sum);
        }
        if (sizes.size() < 2) {
            throw new IllegalArgumentException("k-fold accuracy needs at least 2 folds, got " + sizes.size());
        }
        double sum = 0;
        double[] thresholds = new double[sizes.size()];
        double[] accuracies = new double[sizes.size()];
        int k = 0;
        for (Map.Entry<Integer, Integer> fold : sizes.entrySet()) {
            int f = fold.getKey();
            int testSize = fold.getValue();
            double[] trainScores = new double[scores.length - testSize];
            boolean[] trainSame = new boolean[scores.length - testSize];
            double[] testScores = new double[testSize];
            boolean[] testSame = new boolean[testSize];
            int tr = 0;
            int te = 0;
            for (int i = 0; i < scores.length; i++) {
                if (folds[i] == f) {
                    testScores[te] = scores[i];
                    testSame[te++] = same[i];
                } else {
                    trainScores[tr] = scores[i];
                    trainSame[tr++] = same[i];
                }
            }
            Threshold chosen = bestThreshold(trainScores, trainSame);
            thresholds[k] = chosen.threshold();
            accuracies[k] = accuracy(testScores, testSame, chosen.threshold());
            sum += accuracies[k];
            k++;
        }
        return new FoldResult(sum / sizes.size(), thresholds, accuracies);
    }

    /** Mean k-fold accuracy, and per fold (in order of first appearance) the threshold chosen and its accuracy. */
    public record FoldResult(double accuracy, double[] thresholds, double[] accuracies) {
        public int folds() {
            return accuracies.length;
        }

        public double stddev() {
            double sq = 0;
            for (double a : accuracies) {
                sq += (a - accuracy) * (a - accuracy);
            }
            return Math.sqrt(sq / accuracies.length);
        }
    }

    /** Fold i % k for pair i. */
    public static int[] foldsByIndex(int pairs, int k) {
        int[] folds = new int[pairs];
        for (int i = 0; i < pairs; i++) {
            folds[i] = i % k;
        }
        return folds;
    }

    /**
     * The threshold at a false-accept rate: the (k+1)-th highest negative score with
     * {@code k = floor(far * negatives)}, so that at most k negatives score above it. NaN without negatives.
     */
    public static double thresholdAtFar(double[] scores, boolean[] same, double far) {
        checkSizes(scores, same);
        double[] negatives = Arrays.stream(indices(same, false)).mapToDouble(i -> scores[i]).sorted().toArray();
        if (negatives.length == 0) {
            return Double.NaN;
        }
        int k = (int) Math.floor(far * negatives.length);
        return negatives[negatives.length - 1 - Math.min(k, negatives.length - 1)];
    }

    /** True-accept rate (positives scoring above {@link #thresholdAtFar}) at the false-accept rate {@code far}. */
    public static double tarAtFar(double[] scores, boolean[] same, double far) {
        double threshold = thresholdAtFar(scores, same, far);
        int[] positives = indices(same, true);
        if (Double.isNaN(threshold) || positives.length == 0) {
            return Double.NaN;
        }
        int accepted = 0;
        for (int i : positives) {
            if (scores[i] > threshold) {
                accepted++;
            }
        }
        return (double) accepted / positives.length;
    }

    /** Mean of the scores of pairs with {@code same[i] == label} and {@code include[i]}; NaN when there are none. */
    public static double mean(double[] scores, boolean[] same, boolean label, boolean[] include) {
        checkSizes(scores, same);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            if (same[i] == label && (include == null || include[i])) {
                sum += scores[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Nearest-rank percentile ({@code p} in 0..100): the smallest value with at least p% of the values at or below it. */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be between 0 and 100, got " + p);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static int[] indices(boolean[] same, boolean label) {
        int n = 0;
        for (boolean s : same) {
            if (s == label) {
                n++;
            }
        }
        int[] out = new int[n];
        int j = 0;
        for (int i = 0; i < same.length; i++) {
            if (same[i] == label) {
                out[j++] = i;
            }
        }
        return out;
    }

    private static void checkSizes(double[] scores, boolean[] same) {
        if (scores.length != same.length) {
            throw new IllegalArgumentException("scores and labels differ in length: " + scores.length + " and " + same.length);
        }
    }
}
