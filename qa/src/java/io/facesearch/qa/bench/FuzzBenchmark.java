package io.facesearch.qa.bench;

import io.facesearch.vision.image.fuzz.DecodeBombs;
import io.facesearch.vision.image.fuzz.FuzzCase;
import io.facesearch.vision.image.fuzz.ImageFamily;
import io.facesearch.vision.image.fuzz.ImageMutator;
import io.facesearch.vision.image.fuzz.SeedImages;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code fuzz} mode: hostile photos against a real node. The mutated files of the in-process decode fuzzing (same
 * seeds, same mutator, case {@code i} is family {@code i % 9}, index {@code i / 9}) go from {@code --concurrency}
 * clients to {@code POST _plugins/_face/detect} (most), through {@code _bulk} into a photo index beside good photos
 * (whose items must still be indexed), and as the image of a {@code face_match} query; then every file of
 * {@link DecodeBombs}, one at a time.
 *
 * <p>Counted: {@code http5xx} (a status of 500 or more, or a connection failure while the node is up), {@code slow}
 * (over {@link #SLOW_MILLIS}), {@code deaths} (the node's process gone or silent for {@link NodeLife#SILENCE_SECONDS};
 * each is recorded with the cases in flight, and the node is restarted) and {@code heap_max_mb} (the highest heap in
 * use, read every {@link NodeHeapWatch#INTERVAL_MILLIS} ms).
 */
final class FuzzBenchmark {
    static final String USAGE = """
        fuzz --mutations N --url URL [--concurrency 2] [--seed S] [--faces DIR] [--index NAME]
          --mutations N      mutated photos to send, all image families in turn (default 1000)
          --concurrency N    parallel clients (default 2)
          --seed S           run seed of the mutations (default that of the in-process suite, 20260101)
          --faces DIR        face set whose odd/ files are seeds too, as in the in-process suite (default ../shared/faces)
          --index NAME       photo index for the _bulk share, (re)created with PUT _plugins/_face/index/NAME (default bench_fuzz)
          Started by qa/bench, which runs its own node on port 9290 in target/fuzz-node (--node-port, --node-dir) and
          restarts it with qa/node restart when it dies.""";

    static final long SLOW_MILLIS = 10_000;
    /** A request gets this long before it counts as a connection failure (and the node's life is checked). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final String DETECT = "/_plugins/_face/detect";
    /** Of every ten cases: seven to detect, two through a bulk, one as a face_match query image. */
    private static final int BULK_FROM = 7;
    private static final int SEARCH_FROM = 9;
    private static final int GOOD_PER_BULK = 3;
    private static final int WORST = 10;

    /** Where a case went. */
    private enum Route {
        DETECT,
        BULK,
        SEARCH
    }

    private static final String NO_ANSWER_NODE_UP = "no_answer_node_up";
    private static final String NO_ANSWER_NODE_DIED = "no_answer_node_died";
    private static final String NO_ANSWER_RESTARTING = "no_answer_node_restarting";

    /** One request's outcome: status -1 for a connection failure or timeout, its error type then saying which. */
    private record Sent(String what, Route route, int status, String errorType, String reason, long millis) {}

    private record Bomb(DecodeBombs.Bomb bomb, Sent sent, long heapMb) {}

    private final int mutations;
    private final int concurrency;
    private final long seed;
    private final Path faces;
    private final String index;
    private final NodeHttpClient client;
    private final NodeLife life;
    private final String url;

    private final List<Sent> sent = new ArrayList<>();
    private final Map<Thread, String> inFlight = new ConcurrentHashMap<>();
    private final List<String> deaths = Collections.synchronizedList(new ArrayList<>());
    private final List<String> goodLost = new ArrayList<>();

    FuzzBenchmark(BenchOptions options) {
        this.mutations = options.intValue("mutations", 1000, 1);
        this.concurrency = options.intValue("concurrency", 2, 1);
        this.seed = Long.parseLong(options.value("seed", Long.toString(ImageMutator.DEFAULT_SEED)));
        this.faces = Path.of(options.value("faces", "../shared/faces")).toAbsolutePath().normalize();
        this.index = options.value("index", "bench_fuzz");
        this.url = options.required("url", "the node, e.g. http://127.0.0.1:9290");
        String nodeDir = options.value("node-dir");
        this.life = new NodeLife(url, nodeDir == null ? null : Path.of(nodeDir), options.value("node-script"));
        options.value("models"); // qa/bench passes it to every mode; the node has its own
        options.checkAllUsed();
        this.client = new NodeHttpClient(url, REQUEST_TIMEOUT);
    }

    void run() {
        SeedImages seeds = SeedImages.generate(faces.resolve("odd"));
        ImageMutator mutator = new ImageMutator(seeds, seed);
        List<DecodeBombs.Bomb> bombs = DecodeBombs.all();
        say("bench fuzz: %d mutated photo(s) from %d client(s), seed %d, seeds from %s and generated; then %d bomb(s); node %s%s",
            mutations, concurrency, seed, faces.resolve("odd"), bombs.size(), url, life.canRestart() ? "" : " (not restarted if it dies)");
        createIndex();
        List<byte[]> good = goodPhotos(seeds);

        List<Bomb> bombResults = new ArrayList<>();
        long start = System.nanoTime();
        try (NodeHeapWatch heap = new NodeHeapWatch(url)) {
            AtomicInteger done = new AtomicInteger();
            BenchThreads.parallel(mutations, concurrency, i -> {
                ImageFamily family = ImageFamily.values()[i % ImageFamily.values().length];
                FuzzCase c = mutator.mutate(family, i / ImageFamily.values().length);
                send(i, c, good);
                int n = done.incrementAndGet();
                if (n % Math.max(1, mutations / 10) == 0) {
                    say("  %d of %d sent in %.0f s; %d death(s); node heap at most %d MB", n, mutations,
                        BenchThreads.seconds(System.nanoTime() - start), deaths.size(), heap.maxMb());
                }
            });
            say("mutations: %d request(s) in %.1f s; node heap at most %d MB so far", sent.size(), BenchThreads.seconds(System.nanoTime() - start), heap.maxMb());
            for (DecodeBombs.Bomb bomb : bombs) {
                heap.startWindow();
                heap.read();
                Sent result = request("bomb=" + bomb.name(), Route.DETECT, detectBody(bomb.bytes()), null);
                heap.read();
                bombResults.add(new Bomb(bomb, result, heap.windowMaxMb()));
            }
            report(bombResults, heap.maxMb(), BenchThreads.seconds(System.nanoTime() - start));
        }
    }

    // --- requests --------------------------------------------------------------------------------------------------

    private void send(int i, FuzzCase c, List<byte[]> good) {
        Route route = i % 10 >= SEARCH_FROM ? Route.SEARCH : i % 10 >= BULK_FROM ? Route.BULK : Route.DETECT;
        switch (route) {
            case DETECT -> request(c.describe(), route, detectBody(c.bytes()), null);
            case BULK -> bulk(i, c, good);
            case SEARCH -> request(c.describe(), route, searchBody(c.bytes()), null);
        }
    }

    /** The mutated photo among {@link #GOOD_PER_BULK} good ones; the good items must be indexed whatever the bad one does. */
    private void bulk(int i, FuzzCase c, List<byte[]> good) {
        StringBuilder body = new StringBuilder();
        int bad = i % (GOOD_PER_BULK + 1);
        for (int item = 0; item <= GOOD_PER_BULK; item++) {
            byte[] photo = item == bad ? c.bytes() : good.get((i + item) % good.size());
            body.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"case").append(i).append('-').append(item).append("\"}}\n");
            body.append("{\"image\":\"").append(Base64.getEncoder().encodeToString(photo)).append("\"}\n");
        }
        request(c.describe(), Route.BULK, body.toString(), items -> {
            int badStatus = -1;
            for (int item = 0; item < items.size(); item++) {
                int code = NodeHttpClient.at(items.get(item), "index.status") instanceof Number n ? n.intValue() : -1;
                if (item == bad) {
                    badStatus = code;
                } else if (code / 100 != 2) {
                    synchronized (goodLost) {
                        goodLost.add("good photo " + item + " of the bulk with " + c.describe() + ": " + items.get(item));
                    }
                }
            }
            return badStatus;
        });
    }

    /** Reads a bulk answer's items (checking the good ones) and gives the bad item's status, which stands for the request's. */
    private interface BulkItems {
        int badStatus(List<Map<String, Object>> items);
    }

    private String detectBody(byte[] photo) {
        return "{\"image\":\"" + Base64.getEncoder().encodeToString(photo) + "\"}";
    }

    private String searchBody(byte[] photo) {
        return "{\"query\":{\"face_match\":{\"image\":\"" + Base64.getEncoder().encodeToString(photo) + "\",\"k\":5}}}";
    }

    /** Sends one request, records it, and deals with a node that died on it. */
    private Sent request(String what, Route route, String body, BulkItems bulkItems) {
        String path = switch (route) {
            case DETECT -> DETECT;
            case BULK -> "/_bulk";
            case SEARCH -> "/" + index + "/_search";
        };
        String contentType = route == Route.BULK ? "application/x-ndjson" : null;
        int generation = life.generation();
        inFlight.put(Thread.currentThread(), what);
        long start = System.nanoTime();
        Sent result;
        try {
            NodeHttpClient.Response response = client.request("POST", path, List.of(body.getBytes(StandardCharsets.UTF_8)), contentType);
            long millis = (System.nanoTime() - start) / 1_000_000;
            int status = response.status();
            String type = response.errorType();
            String reason = status / 100 == 2 ? null : response.errorReason();
            if (bulkItems != null && status == 200 && response.body() != null) {
                status = bulkItems.badStatus(BenchJson.objects(response.body().get("items")));
            }
            result = new Sent(what, route, status, type, reason, millis);
        } catch (BenchException e) {
            if (e.getCause() instanceof IOException == false) {
                throw e;
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            String failure = e.getCause() instanceof HttpTimeoutException ? "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s" : e.getMessage();
            result = new Sent(what, route, -1, afterConnectionFailure(what, generation), failure, millis);
        } finally {
            inFlight.remove(Thread.currentThread());
        }
        synchronized (sent) {
            sent.add(result);
        }
        return result;
    }

    /**
     * After a connection failure, what it was: {@link #NO_ANSWER_RESTARTING} for a request sent before another thread's
     * restart (no fault of the node now running), {@link #NO_ANSWER_NODE_UP} when the node is alive (that counts as a
     * 5xx), {@link #NO_ANSWER_NODE_DIED} when it is not (counted as a death, and the node restarted).
     */
    private String afterConnectionFailure(String what, int generation) {
        synchronized (life) {
            if (life.generation() != generation) {
                return NO_ANSWER_RESTARTING;
            }
            NodeLife.Verdict verdict = life.check();
            if (verdict == NodeLife.Verdict.ALIVE) {
                return NO_ANSWER_NODE_UP;
            }
            String others = inFlight.values().stream().filter(w -> w.equals(what) == false).toList().toString();
            String fatal = life.lastFatalError();
            String death = (verdict == NodeLife.Verdict.PROCESS_GONE ? "process gone" : "silent for " + NodeLife.SILENCE_SECONDS + " s")
                + (fatal == null ? "" : " (" + fatal + ")") + " during " + what + " (also in flight: " + others + ")";
            deaths.add(death);
            say("DEATH %d: %s; restarting the node", deaths.size(), death);
            life.restart();
            client.request("GET", "/_cluster/health/" + index + "?wait_for_status=yellow&timeout=60s", null, null);
            return NO_ANSWER_NODE_DIED;
        }
    }

    // --- the photo index and its good photos -------------------------------------------------------------------------

    private void createIndex() {
        NodeHttpClient.Response deleted = client.request("DELETE", "/" + index, null, null);
        if (deleted.status() != 200 && deleted.status() != 404) {
            throw new BenchException("DELETE " + index + " answered " + deleted.describe());
        }
        client.ok("PUT", "/_plugins/_face/index/" + index, null);
    }

    /** The unmutated generated seeds: well-formed photos every decoder reads. */
    private static List<byte[]> goodPhotos(SeedImages seeds) {
        List<byte[]> good = new ArrayList<>();
        for (ImageFamily family : ImageFamily.values()) {
            seeds.of(family).stream().filter(SeedImages.Seed::generated).findFirst().ifPresent(s -> good.add(s.bytes()));
        }
        return good;
    }

    // --- report ------------------------------------------------------------------------------------------------------

    private void report(List<Bomb> bombs, long heapMaxMb, double seconds) {
        List<Sent> all;
        synchronized (sent) {
            all = new ArrayList<>(sent);
        }
        List<Sent> cases = all.stream().filter(s -> s.what().startsWith("bomb=") == false).toList();

        say("%n%-36s %9s %7s  %-28s %8s %8s", "bomb", "bytes", "status", "error", "ms", "heap_mb");
        for (Bomb b : bombs) {
            say("%-36s %9d %7d  %-28s %8d %8d", b.bomb().name(), b.bomb().bytes().length, b.sent().status(),
                b.sent().errorType() == null ? "-" : b.sent().errorType(), b.sent().millis(), b.heapMb());
        }

        say("%nslowest requests:");
        cases.stream().sorted(Comparator.comparingLong(Sent::millis).reversed()).limit(WORST)
            .forEach(s -> say("  %7d ms  %-6s %4d %s  %s", s.millis(), s.route().name().toLowerCase(Locale.ROOT), s.status(),
                s.errorType() == null ? "" : s.errorType(), s.what()));
        List<Sent> failed = all.stream().filter(s -> s.status() >= 500 || s.status() < 0).toList();
        if (failed.isEmpty() == false) {
            say("%nstatus >= 500 or no answer (%d):", failed.size());
            failed.stream().limit(WORST).forEach(s -> say("  %4d %s: %s  <- %s", s.status(), s.errorType(), shorten(s.reason()), s.what()));
        }
        if (goodLost.isEmpty() == false) {
            say("%ngood bulk items not indexed (%d):", goodLost.size());
            goodLost.stream().limit(WORST).forEach(g -> say("  %s", shorten(g)));
        }
        for (int d = 0; d < deaths.size(); d++) {
            say("death %d: %s", d + 1, deaths.get(d));
        }

        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("mode", "fuzz");
        figures.put("mutations", Integer.toString(mutations));
        figures.put("deaths", Integer.toString(deaths.size()));
        figures.put("http5xx", Long.toString(all.stream().filter(s -> s.status() >= 500 || NO_ANSWER_NODE_UP.equals(s.errorType())).count()));
        figures.put("slow", Long.toString(all.stream().filter(s -> s.millis() > SLOW_MILLIS).count()));
        figures.put("heap_max_mb", Long.toString(heapMaxMb));
        figures.put("requests", Integer.toString(all.size()));
        Map<Integer, Integer> statuses = new TreeMap<>();
        cases.forEach(s -> statuses.merge(s.status(), 1, Integer::sum));
        statuses.forEach((status, n) -> figures.put("status_" + (status < 0 ? "none" : status), Integer.toString(n)));
        double[] latencies = cases.stream().mapToDouble(Sent::millis).toArray();
        figures.put("p50_ms", Long.toString((long) VerificationMetrics.percentile(latencies, 50)));
        figures.put("p99_ms", Long.toString((long) VerificationMetrics.percentile(latencies, 99)));
        figures.put("max_ms", Long.toString((long) VerificationMetrics.percentile(latencies, 100)));
        figures.put("bulk_good_failed", Integer.toString(goodLost.size()));
        figures.put("lost_to_restart", Long.toString(all.stream().filter(s -> NO_ANSWER_RESTARTING.equals(s.errorType())).count()));
        figures.put("bombs", Integer.toString(bombs.size()));
        figures.put("bomb_refused", Long.toString(bombs.stream().filter(b -> b.sent().status() == 400 || b.sent().status() == 429).count()));
        figures.put("bomb_decoded", Long.toString(bombs.stream().filter(b -> b.sent().status() / 100 == 2).count()));
        figures.put("bomb_failed", Long.toString(bombs.stream().filter(b -> b.sent().status() >= 500 || b.sent().status() < 0).count()));
        figures.put("bomb_worst_ms", Long.toString(bombs.stream().mapToLong(b -> b.sent().millis()).max().orElse(0)));
        figures.put("bomb_worst_heap_mb", Long.toString(bombs.stream().mapToLong(Bomb::heapMb).max().orElse(0)));
        figures.put("seed", Long.toString(seed));
        figures.put("seconds", String.format(Locale.ROOT, "%.1f", seconds));
        Bench.printFigures(figures);
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static void say(String format, Object... args) {
        VerifyBenchmark.say(format, args);
    }
}
