package io.facesearch.qa.bench;

import io.facesearch.vision.identify.IdentityVote;

import org.junit.Test;

import java.util.List;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

/** Hand-computed cases for the offline identification arithmetic. */
public class IdentifyMetricsTests {
    private static final double EPS = 1e-9;

    private static IdentityVote.Candidate c(String identity, double similarity, String id) {
        return new IdentityVote.Candidate(identity, (float) similarity, "g/" + id, 0);
    }

    // A: nearest is A with 0.6, then two B around 0.45: k1=1 says A, k1=3 says B.
    private static final IdentifyMetrics.Probe A = new IdentifyMetrics.Probe(
        "a.jpg",
        "A",
        true,
        List.of(c("A", 0.6, "1"), c("B", 0.46, "2"), c("B", 0.45, "3"), c("C", 0.1, "4"))
    );
    // B: B at 0.35 only.
    private static final IdentifyMetrics.Probe B = new IdentifyMetrics.Probe("b.jpg", "B", true, List.of(c("B", 0.35, "2"), c("A", 0.2, "1")));
    // no face
    private static final IdentifyMetrics.Probe NONE = new IdentifyMetrics.Probe("n.jpg", "C", true, null);
    // unknown identity X, nearest A at 0.32
    private static final IdentifyMetrics.Probe X = new IdentifyMetrics.Probe("x.jpg", "X", false, List.of(c("A", 0.32, "1"), c("C", 0.1, "4")));

    @Test
    public void rank1CountsUnknownAndNoFaceAsWrong() {
        List<IdentifyMetrics.Probe> probes = List.of(A, B, NONE);
        assertEquals(2.0 / 3, IdentifyMetrics.rank1(probes, new IdentityVote(1, 5, 0.3f)), EPS);
        assertEquals(1.0 / 3, IdentifyMetrics.rank1(probes, new IdentityVote(3, 5, 0.3f)), EPS); // A -> B
        assertEquals(1.0 / 3, IdentifyMetrics.rank1(probes, new IdentityVote(1, 5, 0.4f)), EPS); // B -> Unknown
        assertEquals(2.0 / 3, IdentifyMetrics.rank1Nearest(probes), EPS);
        assertEquals(IdentityVote.UNKNOWN, IdentifyMetrics.nearest(NONE));
    }

    @Test
    public void gridChoosesBestRank1ThenHighestThreshold() {
        List<IdentifyMetrics.Probe> probes = List.of(A, B);
        List<IdentifyMetrics.Setting> grid = IdentifyMetrics.grid(probes, new int[] { 1, 3 }, new int[] { 2, 5 }, new float[] { 0.2f, 0.3f, 0.4f });
        assertEquals(3 * 3, grid.size()); // (1,2) (1,5) (3,5); k1=3 > k2=2 skipped
        IdentifyMetrics.Setting best = IdentifyMetrics.choose(grid);
        assertEquals(1, best.k1());
        assertEquals(2, best.k2());
        assertEquals(0.3f, best.threshold(), 0);
        assertEquals(1.0, best.rank1(), EPS);
        // k1 > k2 is skipped
        assertEquals(3, IdentifyMetrics.grid(probes, new int[] { 1, 3 }, new int[] { 2 }, new float[] { 0.2f, 0.3f, 0.4f }).size());
    }

    @Test
    public void openSetErrorsAndTheThresholdAtAnFpir() {
        List<IdentifyMetrics.Probe> probes = List.of(A, B, X);
        IdentifyMetrics.OpenSet at03 = IdentifyMetrics.openSet(probes, new IdentityVote(1, 5, 0.3f));
        assertEquals(0.0, at03.fnir(), EPS);
        assertEquals(1.0, at03.fpir(), EPS);
        assertEquals(2, at03.knownProbes());
        assertEquals(1, at03.unknownProbes());
        List<IdentifyMetrics.OpenSet> sweep = IdentifyMetrics.sweep(probes, 1, 5, IdentifyMetrics.range(0.3, 0.4, 0.01));
        IdentifyMetrics.OpenSet point = IdentifyMetrics.atFpir(sweep, 0.0);
        assertEquals(0.33f, point.threshold(), 1e-6); // X (0.32) rejected from 0.33 on, B (0.35) still accepted
        assertEquals(0.0, point.fnir(), EPS);
        assertNull(IdentifyMetrics.atFpir(IdentifyMetrics.sweep(probes, 1, 5, new float[] { 0.1f, 0.2f }), 0.0));
    }

    @Test
    public void rangeIsInclusiveAndRounded() {
        assertArrayEquals(new float[] { 0.2f, 0.25f, 0.3f, 0.35f, 0.4f, 0.45f, 0.5f }, IdentifyMetrics.range(0.2, 0.5, 0.05), 0);
        assertEquals(1001, IdentifyMetrics.range(0, 1, 0.001).length);
    }
}
