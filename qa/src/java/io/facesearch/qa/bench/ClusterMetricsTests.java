package io.facesearch.qa.bench;

import org.junit.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** Pairwise and BCubed figures of small clusterings, each computed by hand in the comments. */
public class ClusterMetricsTests {
    private static final double EPS = 1e-12;

    private static ClusterMetrics.Scores score(String truth, String... clusters) {
        return ClusterMetrics.score(Arrays.asList(truth.split(" ")), Arrays.asList(clusters));
    }

    private static void assertPairwise(ClusterMetrics.Scores s, double p, double r, double f) {
        assertEquals("pairwise precision", p, s.pairwisePrecision(), EPS);
        assertEquals("pairwise recall", r, s.pairwiseRecall(), EPS);
        assertEquals("pairwise F", f, s.pairwiseF(), EPS);
    }

    private static void assertBcubed(ClusterMetrics.Scores s, double p, double r, double f) {
        assertEquals("BCubed precision", p, s.bcubedPrecision(), EPS);
        assertEquals("BCubed recall", r, s.bcubedRecall(), EPS);
        assertEquals("BCubed F", f, s.bcubedF(), EPS);
    }

    @Test
    public void mixedClustering() {
        // classes a a a b b c, clusters 1 1 2 2 2 3: cluster 1 = {a, a}, cluster 2 = {a, b, b}, cluster 3 = {c}
        ClusterMetrics.Scores s = score("a a a b b c", "1", "1", "2", "2", "2", "3");
        // pairs put together: C(2,2) + C(3,2) = 1 + 3 = 4; same-class pairs: C(3,2) + C(2,2) = 3 + 1 = 4;
        // right pairs: the a-a pair of cluster 1 and the b-b pair of cluster 2 = 2. P = 2/4, R = 2/4, F = 1/2
        assertPairwise(s, 0.5, 0.5, 0.5);
        // BCubed precision per item: a a of cluster 1: 2/2 each; cluster 2: a 1/3, b 2/3, b 2/3; c 1/1.
        //   sum = 2 + 5/3 + 1 = 14/3, over 6 items = 7/9
        // recall per item: a a of cluster 1: 2/3 each; a of cluster 2: 1/3; b b: 2/2 each; c 1.
        //   sum = 4/3 + 1/3 + 2 + 1 = 14/3, over 6 items = 7/9; F = 7/9
        assertBcubed(s, 7.0 / 9, 7.0 / 9, 7.0 / 9);
        assertEquals(6, s.items());
        assertEquals(3, s.classes());
        assertEquals(3, s.clusters());
        assertEquals(0, s.unassigned());
    }

    @Test
    public void everythingInOneCluster() {
        // classes a a b b in one cluster
        ClusterMetrics.Scores s = score("a a b b", "x", "x", "x", "x");
        // together: C(4,2) = 6 pairs, of which 2 (a-a, b-b) right; same-class pairs 2, both found.
        // P = 1/3, R = 1, F = 2 (1/3) / (4/3) = 1/2
        assertPairwise(s, 1.0 / 3, 1, 0.5);
        // each item: 2 of the 4 in its cluster share its class (P 1/2), its whole class is with it (R 1); F = 2/3
        assertBcubed(s, 0.5, 1, 2.0 / 3);
        assertEquals(1, s.clusters());
    }

    @Test
    public void unassignedItemsAreSingletonsNotOneCluster() {
        // classes a a b b, nothing assigned: four clusters of one, not one cluster of the unassigned
        ClusterMetrics.Scores s = score("a a b b", null, null, null, null);
        // no pair put together: P = 1 (no claim), R = 0/2 = 0, F = 0
        assertPairwise(s, 1, 0, 0);
        // each item alone: P 1; it holds 1 of the 2 of its class: R 1/2; F = 2 (1/2) / (3/2) = 2/3
        assertBcubed(s, 1, 0.5, 2.0 / 3);
        assertEquals(0, s.clusters());
        assertEquals(4, s.unassigned());
    }

    @Test
    public void someItemsUnassigned() {
        // classes a a a b; clusters X X (unassigned) Y
        ClusterMetrics.Scores s = score("a a a b", "X", "X", null, "Y");
        // together: 1 pair (a-a, right); same-class pairs C(3,2) = 3. P = 1, R = 1/3, F = 2 (1/3) / (4/3) = 1/2
        assertPairwise(s, 1, 1.0 / 3, 0.5);
        // precision: every cluster pure, 1. recall: a a in X 2/3 each, the unassigned a 1/3, b 1 → (4/3 + 1/3 + 1) / 4 = 2/3;
        // F = 2 (2/3) / (5/3) = 4/5
        assertBcubed(s, 1, 2.0 / 3, 0.8);
        assertEquals(2, s.clusters());
        assertEquals(1, s.unassigned());
    }

    @Test
    public void perfectAndEmpty() {
        ClusterMetrics.Scores s = score("a a b c", "p", "p", "q", "r");
        assertPairwise(s, 1, 1, 1);
        assertBcubed(s, 1, 1, 1);
        ClusterMetrics.Scores none = ClusterMetrics.score(List.of(), List.of());
        assertEquals(0, none.items());
        assertTrue(Double.isNaN(none.bcubedF()));
        assertTrue(Double.isNaN(none.pairwiseF()));
    }

    // The four formal constraints of Amigó, Gonzalo, Artiles and Verdejo (2009), "A comparison of extrinsic clustering
    // evaluation metrics based on formal constraints": in each, the second clustering must score higher. BCubed F meets
    // all four; pairwise F cannot tell the two clusterings of the last two apart.

    @Test
    public void clusterHomogeneity() {
        // classes a a a b b c c. Q1 = {a a a b b} {c c}; Q2 splits the mixed cluster by class: {a a a} {b b} {c c}
        String truth = "a a a b b c c";
        ClusterMetrics.Scores q1 = score(truth, "1", "1", "1", "1", "1", "2", "2");
        ClusterMetrics.Scores q2 = score(truth, "1", "1", "1", "3", "3", "2", "2");
        // Q1 precision: a 3/5 x 3 = 9/5, b 2/5 x 2 = 4/5, c 1 x 2 = 2 → 23/5 over 7 = 23/35; recall 1;
        // F = 2 (23/35) / (58/35) = 23/29
        assertBcubed(q1, 23.0 / 35, 1, 23.0 / 29);
        assertBcubed(q2, 1, 1, 1);
        assertTrue(q2.bcubedF() > q1.bcubedF());
        assertTrue(q2.pairwiseF() > q1.pairwiseF());
    }

    @Test
    public void clusterCompleteness() {
        // classes a a a b b. Q1 = {a a} {a} {b b}; Q2 joins the two clusters of a: {a a a} {b b}
        String truth = "a a a b b";
        ClusterMetrics.Scores q1 = score(truth, "1", "1", "2", "3", "3");
        ClusterMetrics.Scores q2 = score(truth, "1", "1", "1", "3", "3");
        // Q1 recall: a 2/3 + 2/3 + 1/3 = 5/3, b 1 + 1 → 11/3 over 5 = 11/15; precision 1; F = 2 (11/15) / (26/15) = 11/13
        assertBcubed(q1, 1, 11.0 / 15, 11.0 / 13);
        assertBcubed(q2, 1, 1, 1);
        assertTrue(q2.bcubedF() > q1.bcubedF());
    }

    @Test
    public void ragBag() {
        // a a a a and five items of classes of their own (v w x y z). Disorder added to a clean cluster costs more than
        // disorder added to the rag bag: Q1 = {a a a a v} {w x y z}; Q2 = {a a a a} {v w x y z}
        String truth = "a a a a v w x y z";
        ClusterMetrics.Scores q1 = score(truth, "1", "1", "1", "1", "1", "2", "2", "2", "2");
        ClusterMetrics.Scores q2 = score(truth, "1", "1", "1", "1", "2", "2", "2", "2", "2");
        // Q1 precision: a 4/5 x 4 = 16/5, v 1/5, w x y z 1/4 x 4 = 1 → 22/5 over 9 = 22/45; recall 1 (every class whole);
        // F = 2 (22/45) / (67/45) = 44/67
        assertBcubed(q1, 22.0 / 45, 1, 44.0 / 67);
        // Q2 precision: a 1 x 4 = 4, v w x y z 1/5 x 5 = 1 → 5/9; F = 2 (5/9) / (14/9) = 5/7
        assertBcubed(q2, 5.0 / 9, 1, 5.0 / 7);
        assertTrue(q2.bcubedF() > q1.bcubedF());
        // pairwise: both put 16 pairs together (C(5,2) + C(4,2)) with the same 6 a-a pairs right: 6/16 each
        assertPairwise(q1, 6.0 / 16, 1, f(6.0 / 16, 1));
        assertPairwise(q2, 6.0 / 16, 1, f(6.0 / 16, 1));
    }

    @Test
    public void clusterSizeVersusQuantity() {
        // a a a a, b b, c c, d d. One face split off a big cluster is a smaller error than every small class split:
        // Q1 = {a} {a a a} {b b} {c c} {d d}; Q2 = {a a a a} and b b c c d d each alone
        String truth = "a a a a b b c c d d";
        ClusterMetrics.Scores q1 = score(truth, "1", "2", "2", "2", "b", "b", "c", "c", "d", "d");
        ClusterMetrics.Scores q2 = score(truth, "1", "1", "1", "1", null, null, null, null, null, null);
        // Q1 recall: a 1/4 + 3/4 x 3 = 5/2, b c d 1 x 6 = 6 → 17/2 over 10 = 0.85; F = 1.7 / 1.85 = 34/37
        assertBcubed(q1, 1, 0.85, 34.0 / 37);
        // Q2 recall: a 1 x 4, b c d 1/2 x 6 = 3 → 7/10; F = 1.4 / 1.7 = 14/17
        assertBcubed(q2, 1, 0.7, 14.0 / 17);
        assertTrue(q1.bcubedF() > q2.bcubedF());
        // pairwise: 9 same-class pairs; Q1 finds C(3,2) + 3 = 6, Q2 finds C(4,2) = 6
        assertPairwise(q1, 1, 6.0 / 9, f(1, 6.0 / 9));
        assertPairwise(q2, 1, 6.0 / 9, f(1, 6.0 / 9));
    }

    @Test
    public void refusesMismatchedLists() {
        assertThrows(IllegalArgumentException.class, () -> ClusterMetrics.score(List.of("a"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> ClusterMetrics.score(Arrays.asList("a", null), Arrays.asList("1", "1")));
    }

    private static double f(double p, double r) {
        return 2 * p * r / (p + r);
    }
}
