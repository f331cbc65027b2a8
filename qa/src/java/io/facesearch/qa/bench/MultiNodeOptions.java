package io.facesearch.qa.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The options of the {@code multinode} benchmark, read strictly from the command line (see {@link MultiNodeBenchmark#USAGE}). */
record MultiNodeOptions(
    Path images,
    int limit,
    List<String> clusterUrls,
    String singleUrl,
    Path clusterDir,
    String clusterScript,
    int bulkSize,
    int concurrency,
    int warmup,
    int probes,
    int shards,
    int replicas,
    int killNode,
    double killAfter,
    int downSeconds,
    String index
) {
    /** {@code --kill-node manager}: the node elected cluster manager when the kill is due. */
    static final int KILL_MANAGER = -1;

    static MultiNodeOptions read(BenchOptions options) {
        Path images = options.path("images", "folder of photos in one folder per identity, e.g. ../shared/faces/people");
        int limit = options.intValue("limit", 0, 1);
        List<String> urls = urls(options.required("urls", "the cluster's nodes, comma-separated, e.g. http://127.0.0.1:9480,http://127.0.0.1:9481"));
        String single = options.required("url", "a single node to compare with, e.g. http://127.0.0.1:9483");
        String dir = options.value("cluster-dir");
        String script = options.value("cluster-script", "qa/cluster");
        int bulkSize = options.intValue("bulk-size", 25, 1);
        int concurrency = options.intValue("concurrency", 3, 1);
        int warmup = options.intValue("warmup", 150, 0);
        int probes = options.intValue("probes", 40, 1);
        int shards = options.intValue("shards", 3, 1);
        int replicas = options.intValue("replicas", 1, 0);
        int killNode = "manager".equals(options.value("kill-node")) ? KILL_MANAGER : options.intValue("kill-node", 1, 0);
        if (killNode >= urls.size()) {
            throw new BenchException("--kill-node must name one of the " + urls.size() + " nodes (0 to " + (urls.size() - 1) + "), got " + killNode);
        }
        double killAfter = fraction(options.value("kill-after", "0.5"));
        int downSeconds = options.intValue("down-seconds", 5, 0);
        String index = options.value("index", "bench_multinode");
        if (index.matches("[a-z0-9][a-z0-9_.-]*") == false) {
            throw new BenchException("--index must be a lower-case index name, got [" + index + "]");
        }
        options.value("models"); // passed by qa/bench to every mode; the nodes have their own
        options.checkAllUsed();
        if (dir == null) {
            throw new BenchException("missing --cluster-dir (the folder of qa/cluster start, to kill and restart a node in)");
        }
        return new MultiNodeOptions(images, limit, urls, single, Path.of(dir).toAbsolutePath().normalize(), script, bulkSize, concurrency, warmup,
            probes, shards, replicas, killNode, killAfter, downSeconds, index);
    }

    /** A comma-separated list of at least two distinct http URLs, without trailing slashes. */
    static List<String> urls(String value) {
        List<String> urls = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String url = part.trim();
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            if (url.startsWith("http://") == false && url.startsWith("https://") == false) {
                throw new BenchException("--urls must be http URLs separated by commas, got [" + part + "]");
            }
            if (urls.contains(url)) {
                throw new BenchException("--urls names " + url + " twice");
            }
            urls.add(url);
        }
        if (urls.size() < 2) {
            throw new BenchException("--urls needs at least two nodes, got " + urls.size());
        }
        return List.copyOf(urls);
    }

    /** A share between 0 (exclusive) and 1 (inclusive). */
    static double fraction(String value) {
        double parsed;
        try {
            parsed = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new BenchException("--kill-after must be a number between 0 and 1, got [" + value + "]");
        }
        if ((parsed > 0 && parsed <= 1) == false) {
            throw new BenchException(String.format(Locale.ROOT, "--kill-after must be above 0 and at most 1, got %s", value));
        }
        return parsed;
    }
}
