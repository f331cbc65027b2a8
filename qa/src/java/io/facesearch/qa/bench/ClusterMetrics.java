package io.facesearch.qa.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a clustering of items agrees with their true classes: pairwise and BCubed precision, recall and F1.
 *
 * <p>Pairwise: every pair of items put in one cluster is a claim that they are one class; precision is the share of
 * those pairs that are, recall the share of same-class pairs that were put together. Large classes weigh with the square
 * of their size, so one big identity can hide how every small one fared.
 *
 * <p>BCubed (Bagga and Baldwin 1998; Amigó, Gonzalo, Artiles and Verdejo 2009): for each item, precision is the share of
 * its cluster that has its class and recall the share of its class that is in its cluster, each counting the item
 * itself; both are averaged over the items. Every item weighs the same, and it is the one measure of those Amigó et al.
 * compare that satisfies all four of their formal constraints (cluster homogeneity, completeness, rag bag, cluster size
 * versus quantity).
 *
 * <p>An item without a cluster (a face the clustering left unassigned) is a cluster of its own: it claims nothing, so it
 * costs recall and never precision.
 */
final class ClusterMetrics {
    private ClusterMetrics() {}

    /**
     * The figures of one clustering.
     *
     * @param items       items scored
     * @param classes     distinct true classes among them
     * @param clusters    distinct clusters the items were put in (unassigned items not counted)
     * @param unassigned  items without a cluster, each scored as a cluster of its own
     */
    record Scores(
        int items,
        int classes,
        int clusters,
        int unassigned,
        double pairwisePrecision,
        double pairwiseRecall,
        double pairwiseF,
        double bcubedPrecision,
        double bcubedRecall,
        double bcubedF
    ) {}

    /**
     * Scores {@code clusters} against {@code truth}: item i has class {@code truth.get(i)} (not null) and was put in
     * cluster {@code clusters.get(i)}, null when it was left unassigned. With no item every figure is NaN. Pairwise
     * precision is 1 when no two items were put together (no claim, none wrong), pairwise recall 1 when no two items share
     * a class; F1 is 0 when precision and recall are both 0.
     */
    static Scores score(List<String> truth, List<String> clusters) {
        if (truth.size() != clusters.size()) {
            throw new IllegalArgumentException(truth.size() + " classes for " + clusters.size() + " cluster assignments");
        }
        int n = truth.size();
        // Contingency table: for each cluster, how many of its items have each class. An unassigned item gets a key of
        // its own, which no other item shares.
        Map<Object, Map<String, Integer>> cells = new HashMap<>();
        Map<Object, Integer> clusterSize = new HashMap<>();
        Map<String, Integer> classSize = new HashMap<>();
        int unassigned = 0;
        for (int i = 0; i < n; i++) {
            String label = truth.get(i);
            if (label == null) {
                throw new IllegalArgumentException("item " + i + " has no class");
            }
            Object cluster = clusters.get(i);
            if (cluster == null) {
                cluster = new Object();
                unassigned++;
            }
            cells.computeIfAbsent(cluster, k -> new HashMap<>()).merge(label, 1, Integer::sum);
            clusterSize.merge(cluster, 1, Integer::sum);
            classSize.merge(label, 1, Integer::sum);
        }
        if (n == 0) {
            return new Scores(0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }

        long togetherPairs = 0;
        for (int size : clusterSize.values()) {
            togetherPairs += pairs(size);
        }
        long classPairs = 0;
        for (int size : classSize.values()) {
            classPairs += pairs(size);
        }
        long rightPairs = 0;
        double bcubedPrecisionSum = 0;
        double bcubedRecallSum = 0;
        for (Map.Entry<Object, Map<String, Integer>> cluster : cells.entrySet()) {
            int size = clusterSize.get(cluster.getKey());
            for (Map.Entry<String, Integer> cell : cluster.getValue().entrySet()) {
                long together = cell.getValue();
                rightPairs += pairs(together);
                // each of the cell's items sees `together` items of its class in its cluster
                bcubedPrecisionSum += (double) together * together / size;
                bcubedRecallSum += (double) together * together / classSize.get(cell.getKey());
            }
        }
        double pairwisePrecision = togetherPairs == 0 ? 1 : (double) rightPairs / togetherPairs;
        double pairwiseRecall = classPairs == 0 ? 1 : (double) rightPairs / classPairs;
        double bcubedPrecision = bcubedPrecisionSum / n;
        double bcubedRecall = bcubedRecallSum / n;
        return new Scores(
            n,
            classSize.size(),
            clusterSize.size() - unassigned,
            unassigned,
            pairwisePrecision,
            pairwiseRecall,
            f1(pairwisePrecision, pairwiseRecall),
            bcubedPrecision,
            bcubedRecall,
            f1(bcubedPrecision, bcubedRecall)
        );
    }

    static double f1(double precision, double recall) {
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    private static long pairs(long size) {
        return size * (size - 1) / 2;
    }
}
