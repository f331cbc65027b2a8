package io.facesearch.qa.bench;

import io.facesearch.vision.identify.IdentityVote;

import java.util.ArrayList;
import java.util.List;

/**
 * The identification arithmetic of the {@code identify} benchmark, run offline on the candidates the node returned
 * (identity and similarity of the nearest photos, best first) with {@link IdentityVote}, the class the node votes
 * with, so that a grid of k1/k2/threshold settings costs one API call per probe.
 */
final class IdentifyMetrics {
    private IdentifyMetrics() {}

    /**
     * One probe: its true identity, whether that identity is enrolled in the gallery searched, and the candidates the
     * node returned for it (null when the node found no face in the probe: then it is answered Unknown).
     */
    record Probe(String path, String truth, boolean known, List<IdentityVote.Candidate> candidates) {}

    /** The identity the vote gives a probe, {@link IdentityVote#UNKNOWN} when it found no face. */
    static String answer(Probe probe, IdentityVote vote) {
        if (probe.candidates() == null) {
            return IdentityVote.UNKNOWN;
        }
        return vote.decide(probe.candidates()).identity();
    }

    /** The identity of the nearest candidate (Unknown without candidates or label). */
    static String nearest(Probe probe) {
        if (probe.candidates() == null || probe.candidates().isEmpty()) {
            return IdentityVote.UNKNOWN;
        }
        IdentityVote.Candidate best = null;
        for (IdentityVote.Candidate c : probe.candidates()) {
            if (best == null || c.similarity() > best.similarity()) {
                best = c;
            }
        }
        return best.identity() == null ? IdentityVote.UNKNOWN : best.identity();
    }

    /** Share of the probes answered with their own identity (Unknown is wrong). */
    static double rank1(List<Probe> probes, IdentityVote vote) {
        if (probes.isEmpty()) {
            return Double.NaN;
        }
        int right = 0;
        for (Probe p : probes) {
            if (p.truth().equals(answer(p, vote))) {
                right++;
            }
        }
        return (double) right / probes.size();
    }

    /** Share of the probes whose nearest candidate has their identity. */
    static double rank1Nearest(List<Probe> probes) {
        if (probes.isEmpty()) {
            return Double.NaN;
        }
        int right = 0;
        for (Probe p : probes) {
            if (p.truth().equals(nearest(p))) {
                right++;
            }
        }
        return (double) right / probes.size();
    }

    /** A setting of the grid and its closed-set rank-1. */
    record Setting(int k1, int k2, float threshold, double rank1) {
        IdentityVote vote() {
            return new IdentityVote(k1, k2, threshold);
        }
    }

    /**
     * Every setting of the grid (k1 &lt;= k2 only) with its rank-1 on {@code probes}, and the chosen one: the highest
     * rank-1; among equal rank-1 the highest threshold (the most cautious for unknown faces), then the smaller k2,
     * then the smaller k1.
     */
    static List<Setting> grid(List<Probe> probes, int[] k1s, int[] k2s, float[] thresholds) {
        List<Setting> settings = new ArrayList<>();
        for (int k1 : k1s) {
            for (int k2 : k2s) {
                if (k1 > k2) {
                    continue;
                }
                for (float t : thresholds) {
                    settings.add(new Setting(k1, k2, t, rank1(probes, new IdentityVote(k1, k2, t))));
                }
            }
        }
        return settings;
    }

    static Setting choose(List<Setting> settings) {
        Setting best = null;
        for (Setting s : settings) {
            if (best == null || better(s, best)) {
                best = s;
            }
        }
        return best;
    }

    private static boolean better(Setting a, Setting b) {
        if (a.rank1() != b.rank1()) {
            return a.rank1() > b.rank1();
        }
        if (a.threshold() != b.threshold()) {
            return a.threshold() > b.threshold();
        }
        if (a.k2() != b.k2()) {
            return a.k2() < b.k2();
        }
        return a.k1() < b.k1();
    }

    /**
     * Open-set errors at one threshold: FNIR = share of known-identity probes not given their identity, FPIR = share
     * of unknown-identity probes given any identity.
     */
    record OpenSet(float threshold, double fnir, double fpir, int knownProbes, int unknownProbes, int missed, int falseAccepts) {}

    static OpenSet openSet(List<Probe> probes, IdentityVote vote) {
        int known = 0;
        int unknown = 0;
        int missed = 0;
        int falseAccepts = 0;
        for (Probe p : probes) {
            String answer = answer(p, vote);
            if (p.known()) {
                known++;
                if (p.truth().equals(answer) == false) {
                    missed++;
                }
            } else {
                unknown++;
                if (IdentityVote.UNKNOWN.equals(answer) == false) {
                    falseAccepts++;
                }
            }
        }
        return new OpenSet(
            vote.threshold(),
            known == 0 ? Double.NaN : (double) missed / known,
            unknown == 0 ? Double.NaN : (double) falseAccepts / unknown,
            known,
            unknown,
            missed,
            falseAccepts
        );
    }

    /** {@link #openSet} at every threshold of {@code thresholds} (ascending), with k1 and k2 fixed. */
    static List<OpenSet> sweep(List<Probe> probes, int k1, int k2, float[] thresholds) {
        List<OpenSet> points = new ArrayList<>(thresholds.length);
        for (float t : thresholds) {
            points.add(openSet(probes, new IdentityVote(k1, k2, t)));
        }
        return points;
    }

    /** The point of the sweep with the smallest threshold whose FPIR is at most {@code maxFpir}, or null. */
    static OpenSet atFpir(List<OpenSet> sweep, double maxFpir) {
        OpenSet best = null;
        for (OpenSet p : sweep) {
            if (p.fpir() <= maxFpir && (best == null || p.threshold() < best.threshold())) {
                best = p;
            }
        }
        return best;
    }

    /** {@code from, from + step, ..., to} (inclusive, rounded to the step's decimals). */
    static float[] range(double from, double to, double step) {
        int n = (int) Math.floor((to - from) / step + 1e-9) + 1;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (Math.round((from + i * step) * 1e6) / 1e6);
        }
        return values;
    }
}
