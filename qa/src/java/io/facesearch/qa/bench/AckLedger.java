package io.facesearch.qa.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which photos a cluster acknowledged during a load, and whether each one is found afterwards: the promise a bulk item
 * answered 200 or 201 makes is that the document survives the loss of a node, so every acknowledged id must be found
 * on every node once the cluster is green again. Pure bookkeeping, safe to share between loader threads.
 */
final class AckLedger {
    /** What a client does with one bulk item, by its status. */
    enum ItemOutcome {
        /** 200 or 201: the document is written to its primary and every in-sync replica. */
        ACKNOWLEDGED,
        /** 429 (a full queue or a breaker) or 5xx (a shard without primary while a node fails): send it again. */
        RETRY,
        /** Any other status: the document itself was refused, and sending it again would be refused again. */
        REFUSED
    }

    static ItemOutcome outcome(int status) {
        if (status == 200 || status == 201) {
            return ItemOutcome.ACKNOWLEDGED;
        }
        if (status == 429 || status >= 500) {
            return ItemOutcome.RETRY;
        }
        return ItemOutcome.REFUSED;
    }

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    void acknowledge(String id) {
        acknowledged.add(id);
        refused.remove(id);
    }

    /** A photo given up on (refused, or still failing after every retry); an acknowledgement that came earlier stands. */
    void refuse(String id, String reason) {
        if (acknowledged.contains(id) == false) {
            refused.put(id, reason);
        }
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    boolean isAcknowledged(String id) {
        return acknowledged.contains(id);
    }

    /** The acknowledged ids, sorted. */
    List<String> acknowledgedIds() {
        return List.copyOf(new TreeSet<>(acknowledged));
    }

    /** Refused ids and why, sorted by id. */
    Map<String, String> refused() {
        Map<String, String> sorted = new LinkedHashMap<>();
        new TreeSet<>(refused.keySet()).forEach(id -> sorted.put(id, refused.get(id)));
        return sorted;
    }

    /** How many of the acknowledged photos a node finds, and which it does not (sorted). */
    record Check(int acknowledged, int found, List<String> missing) {
        boolean complete() {
            return missing.isEmpty();
        }
    }

    /** Looks every acknowledged id up with {@code found} (e.g. a GET by id on one node). */
    Check check(Predicate<String> found) {
        List<String> missing = new ArrayList<>();
        List<String> ids = acknowledgedIds();
        for (String id : ids) {
            if (found.test(id) == false) {
                missing.add(id);
            }
        }
        return new Check(ids.size(), ids.size() - missing.size(), missing);
    }

    /** The acknowledged ids that {@code present} lacks, sorted (e.g. against the ids an index holds). */
    List<String> missingFrom(Collection<String> present) {
        Set<String> have = Set.copyOf(present);
        return check(have::contains).missing();
    }
}
