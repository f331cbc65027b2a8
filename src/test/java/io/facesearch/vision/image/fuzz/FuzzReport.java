package io.facesearch.vision.image.fuzz;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcomes of a run of decodes: counts by result, the slowest cases, and every case with a problem, grouped by
 * the failure's signature so that two thousand cases of one bug read as one line with its first few cases.
 */
final class FuzzReport {
    private static final int SLOWEST = 5;
    private static final int EXAMPLES_PER_GROUP = 3;

    /** One decoded case: its description, how it ended, and what is wrong with that (null: nothing). */
    record Entry(String description, DecodeOutcome outcome, String problem) {}

    private final String title;
    private final Map<DecodeOutcome.Result, Integer> counts = new EnumMap<>(DecodeOutcome.Result.class);
    private final List<Entry> slowest = new ArrayList<>();
    private final Map<String, List<Entry>> problems = new LinkedHashMap<>();
    private String stopped;
    private long totalNanos;
    private long totalWorkNanos;
    private int cases;

    FuzzReport(String title) {
        this.title = title;
    }

    /** Records one case; {@code problem} says what is wrong with its outcome, null when nothing is. */
    void add(String description, DecodeOutcome outcome, String problem) {
        Entry entry = new Entry(description, outcome, problem);
        cases++;
        totalNanos += outcome.nanos();
        totalWorkNanos += outcome.cpuNanos() + outcome.gcNanos();
        counts.merge(outcome.result(), 1, Integer::sum);
        slowest.add(entry);
        slowest.sort(Comparator.comparingLong((Entry e) -> e.outcome().nanos()).reversed());
        if (slowest.size() > SLOWEST) {
            slowest.remove(SLOWEST);
        }
        if (problem != null) {
            String key = problem.startsWith("threw ") ? outcome.signature() : problem.replaceAll("[0-9]+", "N");
            problems.computeIfAbsent(key, k -> new ArrayList<>()).add(entry);
        }
    }

    /** Ends the run early, for {@code why}: a problem of its own, as the cases not run are not known to pass. */
    void stop(String why) {
        stopped = why;
    }

    /** Wall-clock time of the decodes so far. */
    long nanos() {
        return totalNanos;
    }

    /** Cases with a problem, plus one when the run stopped early. */
    int problemCount() {
        return problems.values().stream().mapToInt(List::size).sum() + (stopped == null ? 0 : 1);
    }

    /** Counts, time and the slowest cases, for the console. */
    String summary() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s: %d case(s) in %.1f s of decoding (%.1f s of CPU and GC);", title, cases, totalNanos / 1e9,
            totalWorkNanos / 1e9));
        counts.forEach((result, n) -> out.append(' ').append(result.name().toLowerCase(Locale.ROOT)).append(' ').append(n));
        out.append("; ").append(problemCount()).append(" with a problem");
        if (stopped != null) {
            out.append("\n  STOPPED: ").append(stopped);
        }
        out.append("\n  slowest:");
        for (Entry e : slowest) {
            out.append(String.format(Locale.ROOT, "%n    %6d ms (work %6d ms)  %s  -> %s", e.outcome().millis(), e.outcome().workMillis(), e.description(),
                shorten(e.outcome().summary())));
        }
        return out.toString();
    }

    /** Every problem group: how many cases, the problem, and the first cases, each with its description. */
    String problems(String rerunHint) {
        StringBuilder out = new StringBuilder();
        out.append(title).append(": ").append(problemCount()).append(" problem(s), in ").append(problems.size()).append(" group(s)");
        if (stopped != null) {
            out.append("\n  STOPPED: ").append(stopped);
        }
        problems.forEach((key, entries) -> {
            out.append(String.format(Locale.ROOT, "%n  %d x %s", entries.size(), entries.get(0).problem()));
            for (Entry e : entries.subList(0, Math.min(EXAMPLES_PER_GROUP, entries.size()))) {
                out.append("\n      ").append(e.description());
                if (e.problem().equals(entries.get(0).problem()) == false) {
                    out.append("\n        -> ").append(e.problem());
                }
            }
        });
        if (rerunHint != null) {
            out.append("\n  ").append(rerunHint);
        }
        return out.toString();
    }

    private static String shorten(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }
}
