package io.facesearch.qa.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Benchmarks of the face-search plugin against a running node; started by {@code qa/bench}.
 *
 * <pre>
 * Bench &lt;mode&gt; --url http://127.0.0.1:9200 --models DIR [mode options]
 * </pre>
 *
 * Human-readable lines come first; the last line of a successful run holds every figure as
 * space-separated {@code key=value}. Modes: {@code verify} (see {@link VerifyBenchmark}); {@code ingest},
 * {@code identify} and {@code knn} are reserved for the benchmarks still to come.
 */
public final class Bench {
    private Bench() {}

    static final String USAGE = "usage: qa/bench <mode> [options]   (modes: verify; planned: ingest, identify, knn)\n\n"
        + VerifyBenchmark.USAGE
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
        BenchOptions options = BenchOptions.parse(rest);
        switch (mode) {
            case "verify" -> new VerifyBenchmark(options).run();
            case "ingest", "identify", "knn" -> throw new BenchException("mode [" + mode + "] is not implemented yet");
            default -> throw new BenchException("unknown mode [" + mode + "]\n" + USAGE);
        }
        return 0;
    }
}
