package io.facesearch.qa.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code face_match} or {@code identify} answer reduced to what must not depend on the node asked, the number of
 * nodes or which copy of a shard answered: document ids with their scores (4 decimals), and for identify the
 * identity, whether it is known and its votes. Hits of equal rounded score are put in id order, so that a tie
 * broken differently by another shard copy is not a difference; index names are left out, so that the answers of
 * two indices holding the same photos compare.
 */
final class ProbeAnswer {
    private ProbeAnswer() {}

    private record Scored(String id, String score) {}

    /** The hits of a {@code _search} answer; an error answer becomes its status and error type. */
    static String faceMatch(int status, Map<String, Object> body) {
        if (status != 200 || body == null) {
            return error(status, body);
        }
        List<Scored> hits = new ArrayList<>();
        for (Map<String, Object> hit : BenchJson.objects(NodeHttpClient.at(body, "hits.hits"))) {
            hits.add(new Scored(String.valueOf(hit.get("_id")), rounded(hit.get("_score"))));
        }
        return "hits=" + joined(hits);
    }

    /** The vote and candidates of an {@code identify} answer; an error answer becomes its status and error type. */
    static String identify(int status, Map<String, Object> body) {
        if (status != 200 || body == null) {
            return error(status, body);
        }
        List<Scored> candidates = new ArrayList<>();
        for (Map<String, Object> c : BenchJson.objects(body.get("candidates"))) {
            candidates.add(new Scored(c.get("_id") + "#" + c.get("face"), rounded(c.get("similarity"))));
        }
        return "identity=" + body.get("identity") + " known=" + body.get("known") + " votes=" + body.get("votes") + " candidates="
            + joined(candidates);
    }

    private static String error(int status, Map<String, Object> body) {
        Object error = body == null ? null : body.get("error");
        Object type = error instanceof Map<?, ?> m ? m.get("type") : null;
        return "status=" + status + (type == null ? "" : " error=" + type);
    }

    private static String rounded(Object score) {
        return score instanceof Number n ? String.format(Locale.ROOT, "%.4f", n.doubleValue()) : String.valueOf(score);
    }

    private static String joined(List<Scored> scored) {
        // best first; equal scores by id
        scored.sort(Comparator.comparing(Scored::score, Comparator.comparingDouble(ProbeAnswer::parsed)).reversed().thenComparing(Scored::id));
        StringBuilder out = new StringBuilder("[");
        for (Scored s : scored) {
            out.append(out.length() > 1 ? "," : "").append(s.id()).append('@').append(s.score());
        }
        return out.append(']').toString();
    }

    private static double parsed(String score) {
        try {
            return Double.parseDouble(score);
        } catch (NumberFormatException e) {
            return Double.NEGATIVE_INFINITY;
        }
    }
}
