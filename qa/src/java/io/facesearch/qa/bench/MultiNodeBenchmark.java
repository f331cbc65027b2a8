package io.facesearch.qa.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code multinode} mode: the plugin on a real cluster of several nodes against one node, on the same machine and
 * photos in the same run, and the loss of a node in the middle of a load.
 *
 * <ol>
 *   <li>Every photo is loaded into a photo index of the single node ({@code --url}; shards as on the cluster, no
 *       replica) and then into one of the cluster ({@code --shards}, {@code --replicas}), bulks sent round robin to its
 *       nodes ({@code --urls}), each after an untimed warm-up of {@code --warmup} photos per node into a scratch index:
 *       photos per second on each.</li>
 *   <li>{@code face_match} and {@code identify} for {@code --probes} photos (spread evenly over the corpus) on every
 *       node of the cluster and on the single node: the answers (ids and scores, identity and votes; see
 *       {@link ProbeAnswer}) must be the same everywhere.</li>
 *   <li>The photos loaded again into a third index of the cluster; once a share {@code --kill-after} of them is
 *       acknowledged, node {@code --kill-node} is killed with SIGKILL ({@code qa/cluster kill}) and started again
 *       {@code --down-seconds} later ({@code qa/cluster restart-node}); the client keeps loading through the other
 *       nodes ({@link ClusterBulkLoader}). Then: the time from the kill to a green index, every acknowledged photo
 *       looked up by id on every node, each node's document count, and the probes' answers against the single
 *       node's.</li>
 * </ol>
 */
final class MultiNodeBenchmark {
    static final String USAGE = """
        multinode --images DIR --urls URL,URL,URL --url URL --cluster-dir D [--cluster-script qa/cluster] [--limit N]
                  [--bulk-size 25] [--concurrency 3] [--warmup 150] [--probes 40] [--shards 3] [--replicas 1]
                  [--kill-node 1] [--kill-after 0.5] [--down-seconds 5] [--index bench_multinode]
          (qa/bench multinode starts a 3-node cluster with qa/cluster on ports 9480-9482 and a single node with qa/node
          on port 9483 unless --urls and --url are given; --node-heap sets the heap of every node, default 768m)
          --images DIR           photos in one folder per identity (the folder's name is the identity label)
          --urls                 the cluster's nodes, in the order of qa/cluster (node i = the i-th URL)
          --url                  the single node the cluster is compared with
          --cluster-dir D        the folder the cluster was started in, to kill and restart a node
          --bulk-size N          photos per bulk request (default 25)
          --concurrency C        bulk requests in flight at once, on the single node and on the cluster (default 3)
          --warmup N             untimed photos per node into a scratch index before each timed load (default 150)
          --probes N             photos asked face_match and identify on every node (default 40)
          --kill-node I|manager  the node killed: its number from 0 in --urls (default 1), or manager: the elected
                                 cluster manager, found when the load starts
          --kill-after F         kill once this share of the photos is acknowledged (default 0.5)
          --down-seconds S       how long the killed node stays down before qa/cluster restart-node (default 5)""";

    private static final Duration BULK_TIMEOUT = Duration.ofSeconds(90);
    private static final int FACE_MATCH_K = 10;
    private static final long GREEN_TIMEOUT_NANOS = Duration.ofMinutes(10).toNanos();

    private final MultiNodeOptions options;
    private final List<NodeHttpClient> cluster = new ArrayList<>();
    private final NodeHttpClient single;
    private final Map<String, byte[]> lines = new HashMap<>();
    private final Map<String, String> base64 = new HashMap<>();

    MultiNodeBenchmark(BenchOptions benchOptions) {
        this.options = MultiNodeOptions.read(benchOptions);
        for (String url : options.clusterUrls()) {
            cluster.add(new NodeHttpClient(url, BULK_TIMEOUT));
        }
        this.single = new NodeHttpClient(options.singleUrl(), BULK_TIMEOUT);
    }

    void run() throws IOException {
        List<ClusterCorpus.LabelledPhoto> photos = ClusterCorpus.list(options.images(), options.limit());
        if (photos.isEmpty()) {
            throw new BenchException("no photo under " + options.images());
        }
        List<String> ids = new ArrayList<>();
        long bytes = 0;
        for (ClusterCorpus.LabelledPhoto p : photos) {
            byte[] photo = Files.readAllBytes(p.file());
            bytes += photo.length;
            String b64 = Base64.getEncoder().encodeToString(photo);
            String id = BenchJson.string(p.path());
            lines.put(p.path(), ("{\"index\":{\"_id\":" + id + "}}\n{\"identity\":" + BenchJson.string(p.identity()) + ",\"path\":" + id
                + ",\"image\":\"" + b64 + "\"}\n").getBytes(StandardCharsets.UTF_8));
            base64.put(p.path(), b64);
            ids.add(p.path());
        }
        List<String> probes = probes(ids, options.probes());
        int nodes = cluster.size();
        say("bench multinode: %d photos (%.1f MB) under %s, bulks of %d, %d in flight; %d probes; this machine: %s", ids.size(), bytes / 1e6,
            options.images(), options.bulkSize(), options.concurrency(), probes.size(), Bench.loadAverage());
        say("cluster: %s (%d nodes: %s), elected cluster manager %s; single node: %s", clusterName(cluster.get(0)), nodeCount(cluster.get(0)),
            options.clusterUrls(), clusterManager(cluster.get(0)), options.singleUrl());
        if (nodeCount(cluster.get(0)) != nodes) {
            throw new BenchException("the cluster at " + options.clusterUrls().get(0) + " has " + nodeCount(cluster.get(0)) + " nodes, --urls names " + nodes);
        }

        // --- ingest: one node, then the cluster --------------------------------------------------------------
        String singleIndex = options.index() + "_single";
        String clusterIndex = options.index();
        String chaosIndex = options.index() + "_kill";
        List<NodeHttpClient> one = List.of(single);
        double singleRate = timedLoad(one, singleIndex, 0, ids);
        double clusterRate = timedLoad(cluster, clusterIndex, options.replicas(), ids);
        say("ingest: %.2f photos/s on 1 node, %.2f photos/s on %d nodes (%d shards, %d replica(s))", singleRate, clusterRate, nodes, options.shards(),
            options.replicas());

        // --- the same answers on every node -------------------------------------------------------------------
        Map<String, String> singleAnswers = answers(single, singleIndex, probes);
        int equalAcrossNodes = 0;
        int clusterEqualSingle = 0;
        List<Map<String, String>> perNode = new ArrayList<>();
        for (NodeHttpClient node : cluster) {
            perNode.add(answers(node, clusterIndex, probes));
        }
        for (String key : singleAnswers.keySet()) {
            boolean same = true;
            for (Map<String, String> answers : perNode) {
                same &= answers.get(key).equals(perNode.get(0).get(key));
            }
            equalAcrossNodes += same ? 1 : 0;
            if (same && perNode.get(0).get(key).equals(singleAnswers.get(key))) {
                clusterEqualSingle++;
            } else {
                say("  differs: %s: single %s; nodes %s", key, singleAnswers.get(key), perNode.stream().map(m -> m.get(key)).toList());
            }
        }
        int answerCount = singleAnswers.size();
        say("answers (face_match and identify of %d probes = %d): the same on all %d nodes %d, the same as the single node's %d", probes.size(),
            answerCount, nodes, equalAcrossNodes, clusterEqualSingle);

        // --- a node killed in the middle of a load ---------------------------------------------------------------
        createIndex(cluster.get(0), chaosIndex, options.replicas());
        waitForGreen(cluster, chaosIndex, new LiveNodes(nodes));
        AckLedger ledger = new AckLedger();
        LiveNodes live = new LiveNodes(nodes);
        int killAt = (int) Math.ceil(ids.size() * options.killAfter());
        String managerBeforeKill = clusterManager(cluster.get(0));
        int victim = options.killNode() == MultiNodeOptions.KILL_MANAGER ? nodeNamed(managerBeforeKill) : options.killNode();
        String killedName = nodeName(cluster.get(victim));
        NodeKiller killer = new NodeKiller(ledger, killAt, live, chaosIndex, victim);
        Thread killerThread = new Thread(killer, "node-killer");
        killerThread.setDaemon(true);
        killerThread.start();
        ClusterBulkLoader.Outcome chaos = new ClusterBulkLoader(cluster, live, ledger, lines::get).load(chaosIndex, ids, options.bulkSize(),
            options.concurrency());
        say("load with a node killed: %d photos acknowledged, %d refused in %.1f s; %d bulk requests, %d failed as a whole, %d items sent again",
            ledger.acknowledgedCount(), ledger.refused().size(), BenchThreads.seconds(chaos.nanos()), chaos.requests(), chaos.failedRequests(),
            chaos.retriedItems());
        ledger.refused().entrySet().stream().limit(10).forEach(e -> say("  refused: %s: %s", e.getKey(), e.getValue()));
        try {
            killerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
        if (killer.failure.get() != null) {
            throw killer.failure.get();
        }
        if (killer.killedAt.get() == 0) {
            throw new BenchException("the node was never killed: " + ledger.acknowledgedCount() + " of " + killAt + " photos acknowledged");
        }
        long greenAt = killer.greenAt.get();
        double recoveryS = BenchThreads.seconds(greenAt - killer.killedAt.get());
        double restartS = BenchThreads.seconds(killer.restartedAt.get() - killer.restartStartedAt.get());
        boolean killedManager = killedName.equals(managerBeforeKill);
        say("node %d (%s%s) killed after %d acknowledged photos; restarted in %.1f s; index green %.1f s after the kill", victim,
            killedName, killedManager ? ", the elected cluster manager" : "", killer.ackedAtKill.get(), restartS, recoveryS);

        // --- every acknowledged photo, on every node ---------------------------------------------------------------
        cluster.get(0).ok("POST", "/" + chaosIndex + "/_refresh", null);
        List<Integer> foundPerNode = new ArrayList<>();
        List<Long> countPerNode = new ArrayList<>();
        int missingTotal = 0;
        for (int n = 0; n < nodes; n++) {
            NodeHttpClient node = cluster.get(n);
            AckLedger.Check check = ledger.check(id -> found(node, chaosIndex, id));
            foundPerNode.add(check.found());
            missingTotal += check.missing().size();
            check.missing().stream().limit(10).forEach(id -> say("  missing on node: %s", id));
            long count = (long) BenchJson.number(node.ok("GET", "/" + chaosIndex + "/_count", null).body().get("count"), -1);
            countPerNode.add(count);
            say("node %d: %d of %d acknowledged photos found by id; the index counts %d documents", n, check.found(), check.acknowledged(), count);
        }
        int chaosEqualSingle = 0;
        for (int n = 0; n < nodes; n++) {
            Map<String, String> answers = answers(cluster.get(n), chaosIndex, probes);
            for (String key : singleAnswers.keySet()) {
                if (answers.get(key).equals(singleAnswers.get(key))) {
                    chaosEqualSingle++;
                } else {
                    say("  differs after the kill: node %d %s: %s against %s", n, key, answers.get(key), singleAnswers.get(key));
                }
            }
        }
        say("after the kill: %d of %d answers (%d per node) the same as the single node's", chaosEqualSingle, answerCount * nodes, answerCount);

        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("mode", "multinode");
        figures.put("nodes", Integer.toString(nodes));
        figures.put("photos", Integer.toString(ids.size()));
        figures.put("shards", Integer.toString(options.shards()));
        figures.put("replicas", Integer.toString(options.replicas()));
        figures.put("ingest_1node_photos_per_s", f2(singleRate));
        figures.put("ingest_cluster_photos_per_s", f2(clusterRate));
        figures.put("answers", Integer.toString(answerCount));
        figures.put("answers_equal_across_nodes", Integer.toString(equalAcrossNodes));
        figures.put("answers_equal_single", Integer.toString(clusterEqualSingle));
        figures.put("kill_node", Integer.toString(victim));
        figures.put("killed_cluster_manager", Boolean.toString(killedManager));
        figures.put("acked_at_kill", Integer.toString(killer.ackedAtKill.get()));
        figures.put("acknowledged", Integer.toString(ledger.acknowledgedCount()));
        figures.put("refused", Integer.toString(ledger.refused().size()));
        figures.put("failed_requests", Integer.toString(chaos.failedRequests()));
        figures.put("retried_items", Integer.toString(chaos.retriedItems()));
        figures.put("found_per_node", joined(foundPerNode));
        figures.put("missing", Integer.toString(missingTotal));
        figures.put("doc_count_per_node", joined(countPerNode));
        figures.put("restart_s", f2(restartS));
        figures.put("recovery_s", f2(recoveryS));
        figures.put("answers_after_kill_equal_single", chaosEqualSingle + "/" + answerCount * nodes);
        Bench.printFigures(figures);
        if (missingTotal > 0) {
            throw new BenchException(missingTotal + " acknowledged photo lookups found nothing");
        }
    }

    /** Kills a node once enough photos are acknowledged, restarts it and waits for the index to be green; records when. */
    private final class NodeKiller implements Runnable {
        private final AckLedger ledger;
        private final int killAt;
        private final LiveNodes live;
        private final String index;
        private final int victim;
        final AtomicLong killedAt = new AtomicLong();
        final AtomicLong greenAt = new AtomicLong();
        final AtomicLong restartStartedAt = new AtomicLong();
        final AtomicLong restartedAt = new AtomicLong();
        final AtomicInteger ackedAtKill = new AtomicInteger();
        final AtomicReference<BenchException> failure = new AtomicReference<>();

        NodeKiller(AckLedger ledger, int killAt, LiveNodes live, String index, int victim) {
            this.victim = victim;
            this.ledger = ledger;
            this.killAt = killAt;
            this.live = live;
            this.index = index;
        }

        @Override
        public void run() {
            try {
                while (ledger.acknowledgedCount() < killAt) {
                    BenchThreads.sleep(20);
                }
                ackedAtKill.set(ledger.acknowledgedCount());
                killedAt.set(System.nanoTime());
                clusterScript("kill", victim);
                say("  killed node %d (kill -9) after %d acknowledged photos", victim, ackedAtKill.get());
                BenchThreads.sleep(options.downSeconds() * 1000L);
                restartStartedAt.set(System.nanoTime());
                clusterScript("restart-node", victim);
                restartedAt.set(System.nanoTime());
                live.up(victim);
                say("  node %d is back (%.1f s after the kill)", victim, BenchThreads.seconds(restartedAt.get() - killedAt.get()));
                // here, not after the load: the load may still run, and the recovery is not to wait for it
                greenAt.set(waitForGreen(cluster, index, live));
            } catch (BenchException e) {
                failure.set(e);
            }
        }
    }

    private void clusterScript(String command, int node) {
        List<String> line = List.of(options.clusterScript(), command, Integer.toString(node), "--dir", options.clusterDir().toString());
        BenchProcess.run(line);
    }

    /** Photos per second of a load of every photo into a new index, after an untimed warm-up of each node. */
    private double timedLoad(List<NodeHttpClient> nodes, String index, int replicas, List<String> ids) {
        String scratch = index + "_warmup";
        int warm = Math.min(ids.size(), options.warmup() * nodes.size());
        if (warm > 0) {
            createIndex(nodes.get(0), scratch, replicas);
            load(nodes, scratch, ids.subList(0, warm));
            dropIndex(nodes.get(0), scratch);
        }
        createIndex(nodes.get(0), index, replicas);
        waitForGreen(nodes, index, new LiveNodes(nodes.size()));
        ClusterBulkLoader.Outcome outcome = load(nodes, index, ids);
        double seconds = BenchThreads.seconds(outcome.nanos());
        nodes.get(0).ok("POST", "/" + index + "/_refresh", null);
        long count = (long) BenchJson.number(nodes.get(0).ok("GET", "/" + index + "/_count", null).body().get("count"), -1);
        say("  %d photos into %s on %d node(s) in %.1f s = %.2f photos/s (%d items sent again); %d documents", ids.size(), index, nodes.size(), seconds,
            ids.size() / seconds, outcome.retriedItems(), count);
        if (count != ids.size()) {
            throw new BenchException(index + " holds " + count + " documents after a load of " + ids.size() + " photos");
        }
        return ids.size() / seconds;
    }

    private ClusterBulkLoader.Outcome load(List<NodeHttpClient> nodes, String index, List<String> ids) {
        AckLedger ledger = new AckLedger();
        ClusterBulkLoader.Outcome outcome = new ClusterBulkLoader(nodes, new LiveNodes(nodes.size()), ledger, lines::get).load(index, ids,
            options.bulkSize(), options.concurrency());
        if (ledger.refused().isEmpty() == false) {
            throw new BenchException(ledger.refused().size() + " photos refused by " + index + ", e.g. " + ledger.refused().entrySet().iterator().next());
        }
        return outcome;
    }

    private void createIndex(NodeHttpClient node, String index, int replicas) {
        dropIndex(node, index);
        node.ok("PUT", "/_plugins/_face/index/" + index, String.format(Locale.ROOT,
            "{\"processor\":{\"remove_image\":true},\"settings\":{\"number_of_shards\":%d,\"number_of_replicas\":%d,\"auto_expand_replicas\":\"false\"}}",
            options.shards(), replicas));
    }

    private static void dropIndex(NodeHttpClient node, String index) {
        node.request("DELETE", "/" + index, null, null);
        node.request("DELETE", "/_ingest/pipeline/face-search-" + index, null, null);
    }

    /** Waits until {@code index} is green, asking the nodes that are up; returns when it was. */
    private static long waitForGreen(List<NodeHttpClient> nodes, String index, LiveNodes live) {
        long deadline = System.nanoTime() + GREEN_TIMEOUT_NANOS;
        while (System.nanoTime() < deadline) {
            int n = live.next();
            try {
                NodeHttpClient.Response r = nodes.get(Math.max(n, 0)).get("/_cluster/health/" + index + "?wait_for_status=green&timeout=1s");
                if (r.status() == 200 && r.body() != null && "green".equals(r.body().get("status"))) {
                    return System.nanoTime();
                }
            } catch (BenchException e) {
                // that node is down: ask another
            }
            BenchThreads.sleep(100);
        }
        throw new BenchException(index + " did not turn green within " + Duration.ofNanos(GREEN_TIMEOUT_NANOS).toMinutes() + " minutes");
    }

    /** face_match and identify of each probe photo against {@code index}, keyed "face_match PATH" and "identify PATH". */
    private Map<String, String> answers(NodeHttpClient node, String index, List<String> probes) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String probe : probes) {
            String image = base64.get(probe);
            NodeHttpClient.Response match = node.request("POST", "/" + index + "/_search", List.of(("{\"size\":" + FACE_MATCH_K
                + ",\"_source\":false,\"query\":{\"face_match\":{\"image\":\"" + image + "\",\"k\":" + FACE_MATCH_K + ",\"inner_hits\":false}}}")
                .getBytes(StandardCharsets.UTF_8)), null);
            answers.put("face_match " + probe, ProbeAnswer.faceMatch(match.status(), match.body()));
            NodeHttpClient.Response identify = node.request("POST", "/_plugins/_face/identify", List.of(("{\"index\":" + BenchJson.string(index)
                + ",\"image\":\"" + image + "\"}").getBytes(StandardCharsets.UTF_8)), null);
            answers.put("identify " + probe, ProbeAnswer.identify(identify.status(), identify.body()));
        }
        return answers;
    }

    private static boolean found(NodeHttpClient node, String index, String id) {
        NodeHttpClient.Response r = node.get("/" + index + "/_doc/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20") + "?_source=false");
        if (r.status() != 200 && r.status() != 404) {
            throw new BenchException("GET " + index + "/_doc/" + id + " answered " + r.describe());
        }
        return r.status() == 200 && Boolean.TRUE.equals(r.body().get("found"));
    }

    /** {@code count} photos spread evenly over {@code ids} (all of them when there are fewer). */
    static List<String> probes(List<String> ids, int count) {
        List<String> probes = new ArrayList<>();
        int n = Math.min(count, ids.size());
        for (int i = 0; i < n; i++) {
            probes.add(ids.get((int) ((long) i * ids.size() / n)));
        }
        return probes;
    }

    /** The name of the elected cluster manager, as {@code _cat/cluster_manager} gives it. */
    private static String clusterManager(NodeHttpClient node) {
        NodeHttpClient.Response r = node.get("/_cat/cluster_manager?h=node");
        if (r.status() != 200) {
            throw new BenchException("GET _cat/cluster_manager answered " + r.describe());
        }
        return r.rawBody().trim();
    }

    private static String nodeName(NodeHttpClient node) {
        Map<String, Object> local = NodeHttpClient.localNode(node.getJson("/_nodes/_local?filter_path=nodes.*.name"));
        if (local == null || local.get("name") == null) {
            throw new BenchException(node.base() + " did not give its node name");
        }
        return local.get("name").toString();
    }

    /** The number in --urls of the node called {@code name}. */
    private int nodeNamed(String name) {
        for (int n = 0; n < cluster.size(); n++) {
            if (nodeName(cluster.get(n)).equals(name)) {
                return n;
            }
        }
        throw new BenchException("no node of --urls is called [" + name + "]");
    }

    private static String clusterName(NodeHttpClient node) {
        return String.valueOf(node.getJson("/_cluster/health").get("cluster_name"));
    }

    private static int nodeCount(NodeHttpClient node) {
        return (int) BenchJson.number(node.getJson("/_cluster/health").get("number_of_nodes"), -1);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String joined(List<? extends Number> values) {
        StringBuilder out = new StringBuilder();
        for (Number v : values) {
            out.append(out.isEmpty() ? "" : ",").append(v);
        }
        return out.toString();
    }

    private static void say(String format, Object... args) {
        VerifyBenchmark.say(format, args);
    }
}
