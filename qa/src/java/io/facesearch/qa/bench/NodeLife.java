package io.facesearch.qa.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Whether the node a benchmark talks to is alive, and bringing it back when it is not: dead is its process gone (from
 * the pid file {@code qa/node} keeps in the node's folder) or no answer to {@code GET /} for {@link #SILENCE_SECONDS}.
 * A node started by {@code qa/node} is restarted with {@code qa/node restart}; one given by URL alone cannot be.
 *
 * <p>Each restart increments {@link #generation()}, so that a request that failed while another thread was restarting
 * the node is not counted as a failure of the node it was sent to.
 */
final class NodeLife {
    static final int SILENCE_SECONDS = 30;

    /** What {@link #check()} found. */
    enum Verdict {
        ALIVE,
        PROCESS_GONE,
        SILENT
    }

    private final NodeHttpClient probe;
    private final Path nodeDir;
    private final String nodeScript;
    private volatile int generation;

    /** {@code nodeDir} and {@code nodeScript} null: a node given by URL, which is watched but cannot be restarted. */
    NodeLife(String url, Path nodeDir, String nodeScript) {
        this.probe = new NodeHttpClient(url, Duration.ofSeconds(5));
        this.nodeDir = nodeDir;
        this.nodeScript = nodeScript;
    }

    int generation() {
        return generation;
    }

    boolean canRestart() {
        return nodeDir != null && nodeScript != null;
    }

    /** Waits up to {@link #SILENCE_SECONDS} for an answer to {@code GET /}; at once when the node's process is gone. */
    Verdict check() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SILENCE_SECONDS);
        while (true) {
            if (processGone()) {
                return Verdict.PROCESS_GONE;
            }
            try {
                if (probe.get("/").status() == 200) {
                    return Verdict.ALIVE;
                }
            } catch (BenchException e) {
                // no answer yet
            }
            if (System.nanoTime() > deadline) {
                return Verdict.SILENT;
            }
            BenchThreads.sleep(1000);
        }
    }

    /** Whether the pid recorded in the node's folder names no live process (false when there is no folder to look in). */
    private boolean processGone() {
        if (nodeDir == null) {
            return false;
        }
        try {
            String pid = Files.readString(nodeDir.resolve("opensearch.pid")).trim();
            Path stat = Path.of("/proc", pid, "stat");
            if (Files.exists(stat) == false) {
                return true;
            }
            // "pid (comm) S ...": a zombie (Z) or dead (X) process is gone
            String line = Files.readString(stat);
            String state = line.substring(line.lastIndexOf(')') + 2, line.lastIndexOf(')') + 3);
            return state.equals("Z") || state.equals("X");
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /**
     * The last fatal error the node logged ({@code OpenSearchUncaughtExceptionHandler}: the line after "fatal error in
     * thread", e.g. {@code java.lang.OutOfMemoryError: Java heap space}), or null when there is none or no log to read.
     */
    String lastFatalError() {
        if (nodeDir == null) {
            return null;
        }
        try (Stream<String> lines = Files.lines(nodeDir.resolve("logs").resolve("face-search.log"), StandardCharsets.UTF_8)) {
            String[] last = { null, null };
            lines.forEach(line -> {
                if (last[1] != null && last[0] == null) {
                    last[0] = line.trim();
                }
                if (line.contains("fatal error in thread")) {
                    last[1] = line;
                    last[0] = null;
                }
            });
            return last[0];
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** Stops whatever is left of the node and starts it again with its data ({@code qa/node restart}). */
    synchronized void restart() {
        if (canRestart() == false) {
            throw new BenchException("the node at " + probe.base() + " died; a node given by --url is not restarted");
        }
        List<String> command = new ArrayList<>(List.of(nodeScript, "restart", "--dir", nodeDir.toString()));
        BenchProcess.run(command);
        generation++;
    }
}
