package io.facesearch.vision.identify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * k1/k2 identity voting over the nearest faces of a query face.
 *
 * <p>The candidates are the k2 nearest faces, most similar first. The identities of the first k1 vote: the
 * identity with the most votes wins (ties: the higher sum of similarities, then the smaller label, so every
 * node and shard layout gives the same answer). The winner is accepted when the mean similarity of its votes
 * reaches the threshold. Otherwise the vote is held again over all k2 candidates, where an identity with several
 * enrolled faces can gather the support one close face did not give; if that winner fails too, the answer
 * is {@link #UNKNOWN}. Candidates without an identity label take part in the ranking but do not vote.
 */
public final class IdentityVote {
    public static final String UNKNOWN = "Unknown";
    /** The window whose majority decides first, unless a caller chooses another. */
    public static final int DEFAULT_K1 = 3;
    /** The wider window voted in when the first winner's support is too weak, unless a caller chooses another. */
    public static final int DEFAULT_K2 = 10;

    private final int k1;
    private final int k2;
    private final float threshold;

    public IdentityVote(int k1, int k2, float threshold) {
        if (k1 < 1 || k2 < k1) {
            throw new IllegalArgumentException("need 1 <= k1 <= k2, got k1=" + k1 + ", k2=" + k2);
        }
        if (threshold < -1 || threshold > 1) {
            throw new IllegalArgumentException("[threshold] must be a cosine similarity between -1 and 1, got " + threshold);
        }
        this.k1 = k1;
        this.k2 = k2;
        this.threshold = threshold;
    }

    public int k1() {
        return k1;
    }

    public int k2() {
        return k2;
    }

    public float threshold() {
        return threshold;
    }

    /** A candidate face: its identity label (or null), cosine similarity to the query, and where it is. */
    public record Candidate(String identity, float similarity, String photoId, int face) {}

    /**
     * @param identity   the accepted identity, or {@link #UNKNOWN}
     * @param votes      votes of the winner in the deciding window (0 when unknown and no one voted)
     * @param window     size of the deciding window: k1, k2, or k2 when unknown
     * @param best       best similarity among the winner's votes (or of all candidates when unknown)
     * @param mean       mean similarity of the winner's votes (0 when no one voted)
     * @param runnerUp   the best-supported identity of the last window even when not accepted, or null
     * @param candidates the candidates considered, most similar first
     */
    public record Decision(String identity, int votes, int window, float best, float mean, String runnerUp, List<Candidate> candidates) {
        public boolean known() {
            return UNKNOWN.equals(identity) == false;
        }
    }

    /** Decides from candidates in any order; only the k2 most similar are considered. */
    public Decision decide(List<Candidate> candidates) {
        List<Candidate> ranked = new ArrayList<>(candidates);
        ranked.sort(
            Comparator.comparingDouble((Candidate c) -> -c.similarity())
                .thenComparing(Candidate::photoId, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparingInt(Candidate::face)
        );
        List<Candidate> considered = List.copyOf(ranked.subList(0, Math.min(k2, ranked.size())));
        Tally first = tally(considered.subList(0, Math.min(k1, considered.size())));
        if (first != null && first.mean() >= threshold) {
            return new Decision(first.identity, first.votes, k1, first.best, first.mean(), first.identity, considered);
        }
        Tally widened = tally(considered);
        if (widened != null && widened.mean() >= threshold) {
            return new Decision(widened.identity, widened.votes, k2, widened.best, widened.mean(), widened.identity, considered);
        }
        float best = considered.isEmpty() ? 0 : considered.get(0).similarity();
        return new Decision(
            UNKNOWN,
            widened == null ? 0 : widened.votes,
            k2,
            best,
            widened == null ? 0 : widened.mean(),
            widened == null ? null : widened.identity,
            considered
        );
    }

    /** The winning identity of a window, or null when no candidate has a label. */
    private static Tally tally(List<Candidate> window) {
        Map<String, Tally> byIdentity = new LinkedHashMap<>();
        for (Candidate candidate : window) {
            if (candidate.identity() == null) {
                continue;
            }
            Tally tally = byIdentity.computeIfAbsent(candidate.identity(), Tally::new);
            tally.votes++;
            tally.sum += candidate.similarity();
            tally.best = Math.max(tally.best, candidate.similarity());
        }
        return byIdentity.values()
            .stream()
            .max(
                Comparator.comparingInt((Tally t) -> t.votes)
                    .thenComparingDouble(t -> t.sum)
                    .thenComparing((Tally t) -> t.identity, Comparator.reverseOrder())
            )
            .orElse(null);
    }

    private static final class Tally {
        final String identity;
        int votes;
        double sum;
        float best = -1;

        Tally(String identity) {
            this.identity = identity;
        }

        float mean() {
            return (float) (sum / votes);
        }
    }
}
