package io.facesearch.qa.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Benchmarks of the face-search plugin against a running node; started by {@code qa/bench}.
 *
 * <pre>
 * Bench &lt;mode&gt; --url http://127.0.0.1:9200 --models DIR [mode options]
 * </pre>
 *
 * Human-readable lines come first; the last line of a successful run holds every figure as
 * space-separated {@code key=value}. Modes: {@code verify} (see {@link VerifyBenchmark}), {@code ingest} (see
 * {@link IngestBenchmark}), {@code identify} (see {@link IdentifyBenchmark}), {@code knn} (see {@link KnnBenchmark}),
 * {@code cluster} (see {@link ClusterBenchmark}), {@code fuzz} (see {@link FuzzBenchmark}), {@code multinode} (see
 * {@link MultiNodeBenchmark}).
 */
public final class Bench {
    private Bench() {}

    static final String USAGE = "usage: qa/bench <mode> [options]   (modes: verify, ingest, identify, knn, cluster, fuzz, multinode)\n\n"
        + VerifyBenchmark.USAGE
        + "\n\n"
        + IngestBenchmark.USAGE
        + "\n\n"
        + IdentifyBenchmark.USAGE
        + "\n\n"
        + KnnBenchmark.USAGE
        + "\n\n"
        + ClusterBenchmark.USAGE
        + "\n\n"
        + FuzzBenchmark.USAGE
        + "\n\n"
        + MultiNodeBenchmark.USAGE
        + "\n\ncommon: --url URL of the node (qa/bench starts its own node without it), --models DIR (default ../shared/models)";

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (BenchException e) {
            System.out.flush();
            System.err.println("bench: " + e.getMessage());
            status = 1;
        } catch (Exception e) {
            System.out.flush();
            System.err.println("bench: unexpected failure");
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    /** This machine's 1/5/15-minute load averages and its CPU count, for judging how noisy the timings are. */
    static String loadAverage() {
        String cpus = Runtime.getRuntime().availableProcessors() + " CPUs";
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2] + " (" + cpus + ")";
        } catch (IOException | RuntimeException e) {
            return "unknown (" + cpus + ")";
        }
    }

    /** Prints a benchmark's last line: each figure as key=value, separated by spaces, in the map's order. */
    static void printFigures(Map<String, String> figures) {
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, String> figure : figures.entrySet()) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(figure.getKey()).append('=').append(figure.getValue());
        }
        System.out.println(line);
        System.out.flush();
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            System.err.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String mode = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            System.err.println(USAGE);
            return 0;
        }
        if (mode.equals("cluster")) {
            rest = ClusterBenchmark.withSyntheticCount(rest);
        }
        BenchOptions options = BenchOptions.parse(rest);
        switch (mode) {
            case "verify" -> new VerifyBenchmark(options).run();
            case "ingest" -> new IngestBenchmark(options).run();
            case "identify" -> new IdentifyBenchmark(options).run();
            case "knn" -> new KnnBenchmark(options).run();
            case "cluster" -> new ClusterBenchmark(options).run();
            case "fuzz" -> new FuzzBenchmark(options).run();
            case "multinode" -> new MultiNodeBenchmark(options).run();
            default -> throw new BenchException("unknown mode [" + mode + "]\n" + USAGE);
        }
        return 0;
    }
}
