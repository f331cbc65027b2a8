package io.facesearch.qa.bench;

import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceAnalyzer;

import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code ingest} mode: how fast a node indexes photos through the photo index's {@code face} ingest pipeline,
 * against the time the same models need for the same photos.
 *
 * <ol>
 *   <li>Every photo under {@code --images} is read and its {@code _bulk} bodies built before any timing.</li>
 *   <li>Warm-up: {@code --warmup-passes} untimed passes over every photo into a scratch photo index, done exactly
 *       like the timed run (or, with 0 passes, a few photos in one bulk), so that the timed run measures a node whose
 *       JIT has compiled the per-document bulk, mapping and Lucene code; then a wait until the node's CPU is idle, so
 *       that the compilations and merges the warm-up started are not timed either. Each pass's overhead is printed.</li>
 *   <li>Timed: {@code --timed-passes} passes, each after a wait for an idle node; the last one into the index
 *       NAME, deleted and created again with {@code PUT _plugins/_face/index/NAME}, with every detail below. Each
 *       sends every bulk, {@code --concurrency} at a time; the clock stops when the last bulk answers. The refresh
 *       after the last pass is timed on its own.</li>
 *   <li>Raw inference, right after each timed pass and again after a wait for an idle node: the node's models
 *       opened in this JVM, every photo analysed by T threads at once, T being the size of the node's
 *       {@code face_search_ingest} pool. {@code raw_inference_s} = the summed time inside the models / T, the model
 *       time per worker when T workers share the machine as they do on the node. Each pass's overhead is its time
 *       divided by the raw inference measured after it, so that a machine that runs faster or slower for a while
 *       (a shared virtual machine does) moves both; the figures are those of the pass with the median overhead.</li>
 *   <li>Unless {@code --compare-plain false}: the indexed documents (photo, faces and vectors included) bulk-indexed
 *       again, same bulk size and concurrency, into an index with the same mapping and no pipeline, and then
 *       {@code _reindex}ed into another such index: what indexing costs without the face processor.</li>
 * </ol>
 */
final class IngestBenchmark {
    static final String USAGE = """
        ingest --images DIR --url URL --models DIR [--bulk-size N] [--concurrency C] [--limit N] [--index NAME] [--warmup-passes P]
               [--timed-passes T] [--warmup N]
               [--compare-plain true|false] [--index-body JSON] [--embed-run-sizes LIST]
          --images DIR           every file under DIR, recursively, sorted (not .tsv .txt .md .json .csv, not hidden)
          --bulk-size N          documents per _bulk request (default 50)
          --concurrency C        bulk requests in flight at once (default 2: while the node answers one bulk, the next is
                                 already queued for its ingest threads, as with any bulk loader that keeps a node busy;
                                 with 1 the threads wait for this client between bulks)
          --limit N              only the first N photos
          --index NAME           photo index to (re)create with PUT _plugins/_face/index/NAME (default bench_ingest)
          --warmup-passes P      untimed passes over every photo into a scratch index before the timed one (default 2): the
                                 node's JIT compiles the bulk, mapping and Lucene code it runs per document during the
                                 first passes, which is not what a node that has been indexing for a while spends
          --timed-passes T       timed passes over every photo (default 5), each followed by an in-process pass; ingest_s,
                                 raw_inference_s and overhead are those of the pass with the median overhead: the node's
                                 JIT still recompiles now and then, which one pass alone would charge in full
          --warmup N             warm-up photos per ingest thread in-process, and on the node when --warmup-passes is 0 (default 25)
          --compare-plain B      also time the same documents into indices without the pipeline (default true)
          --embed-run-sizes LIST in-process at the end: the faces of every photo embedded in runs of each of these sizes
                                 (comma-separated), milliseconds inside the embedder per face for each; what batching the
                                 faces of many documents would gain (default 1,2,4,8,16,32; none to skip)
          --index-body JSON      body of PUT _plugins/_face/index/NAME, e.g. '{"processor":{"remove_image":true}}'""";

    private static final String INGEST_POOL = "face_search_ingest";
    /** Largest embedder run the run-size figures try: 64 crops of 112x112 are 9.6 MB of floats. */
    private static final int MAX_EMBED_RUN_SIZE = 64;
    private static final int MAX_429_RETRIES = 50;
    private static final int MAX_FAILURES_SHOWN = 50;
    private static final double IDLE_CPU_MILLIS_PER_SECOND = 50;
    private static final double MAX_SETTLE_SECONDS = 60;

    private final Path images;
    private final int bulkSize;
    private final int concurrency;
    private final int limit;
    private final String index;
    private final int warmup;
    private final int warmupPasses;
    private final int[] embedRunSizes;
    private final int timedPasses;
    private final boolean comparePlain;
    private final String indexBody;
    private final Path modelsDir;
    private final NodeHttpClient client;
    private final AtomicLong rejectedBulks = new AtomicLong();

    IngestBenchmark(BenchOptions options) {
        this.images = options.path("images", "folder of photos to index");
        this.bulkSize = options.intValue("bulk-size", 50, 1);
        this.concurrency = options.intValue("concurrency", 2, 1);
        this.limit = options.intValue("limit", 0, 1);
        this.index = options.value("index", "bench_ingest");
        if (index.isEmpty() || index.equals(index.toLowerCase(Locale.ROOT)) == false || index.matches("[a-z0-9][a-z0-9_.-]*") == false) {
            throw new BenchException("--index must be a lower-case index name, got [" + index + "]");
        }
        this.warmup = options.intValue("warmup", 25, 0);
        this.warmupPasses = options.intValue("warmup-passes", 2, 0);
        String runSizes = options.value("embed-run-sizes", "1,2,4,8,16,32");
        try {
            this.embedRunSizes = runSizes.equals("none")
                ? new int[0]
                : Stream.of(runSizes.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new BenchException("--embed-run-sizes must be none or a comma-separated list of whole numbers, got [" + runSizes + "]");
        }
        if (Arrays.stream(embedRunSizes).anyMatch(size -> size < 1 || size > MAX_EMBED_RUN_SIZE)) {
            throw new BenchException("--embed-run-sizes must be between 1 and " + MAX_EMBED_RUN_SIZE + ", got [" + runSizes + "]");
        }
        this.timedPasses = options.intValue("timed-passes", 5, 1);
        String plain = options.value("compare-plain", "true");
        if (plain.equals("true") == false && plain.equals("false") == false) {
            throw new BenchException("--compare-plain must be true or false, got [" + plain + "]");
        }
        this.comparePlain = Boolean.parseBoolean(plain);
        this.indexBody = options.value("index-body");
        this.modelsDir = options.path("models", "the models folder the node uses");
        this.client = new NodeHttpClient(options.required("url", "the node, e.g. http://127.0.0.1:9200"));
        options.checkAllUsed();
    }

    /** What the node said about one document of a bulk. */
    private record ItemResult(int status, String failure) {
        boolean failed() {
            return failure != null;
        }
    }

    /** One photo analysed in this JVM. */
    private record RawResult(long inferenceNanos, long decodeNanos, long totalNanos, long cpuNanos, int faces, String failure) {}

    void run() throws IOException {
        // --- photos and bulk bodies, before any timing -------------------------------------------------
        List<IngestCorpus.PhotoFile> files = IngestCorpus.list(images, limit);
        if (files.isEmpty()) {
            throw new BenchException("no photo under " + images);
        }
        int n = files.size();
        List<String> paths = new ArrayList<>(n);
        List<byte[]> photos = new ArrayList<>(n);
        long photoBytes = 0;
        for (IngestCorpus.PhotoFile file : files) {
            byte[] bytes = Files.readAllBytes(file.file());
            paths.add(file.path());
            photos.add(bytes);
            photoBytes += bytes.length;
        }
        List<IngestCorpus.Bulk> bulks = IngestCorpus.bulks(paths, photos, bulkSize);
        long bodyBytes = 0;
        for (IngestCorpus.Bulk bulk : bulks) {
            bodyBytes += bulk.body().length;
        }
        say(
            "bench ingest: %d photos (%.1f MB) under %s%s -> %d bulk request(s) of up to %d docs (%.1f MB of NDJSON), concurrency %d",
            n,
            photoBytes / 1e6,
            images,
            limit > 0 ? " (--limit " + limit + ")" : "",
            bulks.size(),
            bulkSize,
            bodyBytes / 1e6,
            concurrency
        );

        // --- the node --------------------------------------------------------------------------------------
        NodeModels models = NodeModels.read(client);
        int threads = ingestThreads();
        say("node: %s; %s", client.base(), models.describe());
        say("node: %s thread pool of %d thread(s), %s allocated processor(s); this machine: %s", INGEST_POOL, threads, allocatedProcessors(), Bench.loadAverage());

        // --- warm-up on a scratch index ------------------------------------------------------------------
        int warmPhotos = Math.min(n, warmup * threads);
        String scratch = scratch();
        double[] passSeconds = new double[warmupPasses];
        if (warmupPasses == 0 && warmPhotos > 0) {
            deleteIndex(scratch);
            client.ok("PUT", "/_plugins/_face/index/" + scratch, indexBody);
            long start = System.nanoTime();
            List<IngestCorpus.Bulk> warm = IngestCorpus.bulks(paths.subList(0, warmPhotos), photos.subList(0, warmPhotos), warmPhotos);
            sendBulk(scratch, warm.get(0).body(), warmPhotos);
            say("warm-up: %d photo(s) into scratch index %s in %.1f s", warmPhotos, scratch, BenchThreads.seconds(System.nanoTime() - start));
        }
        for (int pass = 0; pass < warmupPasses; pass++) {
            passSeconds[pass] = ingestPass(scratch, bulks);
            say("warm-up pass %d of %d: %d photos into scratch index %s in %.2f s = %.2f photos/s", pass + 1, warmupPasses, n, scratch,
                passSeconds[pass], n / passSeconds[pass]);
        }
        if (warmupPasses > 0 || warmPhotos > 0) {
            dropScratch(scratch);
        }
        // --- in-process analysis, measured after every timed pass -------------------------------------------
        DetectionOptions detection = models.detectionOptions();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (FaceAnalyzer analyzer = models.openAnalyzer(modelsDir)) {
            long warmStart = System.nanoTime();
            BenchThreads.parallel(warmPhotos, threads, i -> analyze(analyzer, photos.get(i), detection, mx));
            if (warmPhotos > 0) {
                say("in-process warm-up: %d photo(s) on %d thread(s) in %.1f s", warmPhotos, threads, BenchThreads.seconds(System.nanoTime() - warmStart));
            }
            measure(analyzer, detection, mx, models, n, threads, paths, photos, bulks, bodyBytes, passSeconds);
        }
    }

    /** The in-process figures of one pass over every photo. */
    private record RawPass(RawResult[] results, long wallNanos, double foreignCpuS, String loadAverage, double inferenceS) {}

    /** Every photo analysed in this JVM by {@code threads} threads at once, after a wait for an idle node. */
    private RawPass rawPass(FaceAnalyzer analyzer, DetectionOptions detection, ThreadMXBean mx, List<byte[]> photos, int threads) {
        settle();
        RawResult[] raw = new RawResult[photos.size()];
        String load = Bench.loadAverage();
        long ownBefore = ownCpuNanos();
        long[] before = machineCpu();
        long wallNanos = BenchThreads.parallel(photos.size(), threads, i -> raw[i] = analyze(analyzer, photos.get(i), detection, mx));
        double foreignCpuS = busySeconds(before, machineCpu()) - (ownCpuNanos() - ownBefore) / 1e9;
        long inferenceSum = 0;
        for (RawResult r : raw) {
            inferenceSum += r.inferenceNanos();
        }
        return new RawPass(raw, wallNanos, foreignCpuS, load, inferenceSum / 1e9 / threads);
    }

    /** The timed passes, each followed by an in-process pass, and every figure. */
    private void measure(
        FaceAnalyzer analyzer,
        DetectionOptions detection,
        ThreadMXBean mx,
        NodeModels models,
        int n,
        int threads,
        List<String> paths,
        List<byte[]> photos,
        List<IngestCorpus.Bulk> bulks,
        long bodyBytes,
        double[] passSeconds
    ) throws IOException {
        // the timed passes but the last, which is timed with every detail below; each followed by its in-process pass
        double[] timedSeconds = new double[timedPasses];
        double[] rawSeconds = new double[timedPasses];
        for (int pass = 0; pass < timedPasses - 1; pass++) {
            settle();
            timedSeconds[pass] = ingestPass(scratch(), bulks);
            dropScratch(scratch());
            rawSeconds[pass] = rawPass(analyzer, detection, mx, photos, threads).inferenceS();
            say("timed pass %d of %d: %d photos in %.2f s = %.2f photos/s; then in-process %.2f s inside the models per worker: overhead %.3f",
                pass + 1, timedPasses, n, timedSeconds[pass], n / timedSeconds[pass], rawSeconds[pass], timedSeconds[pass] / rawSeconds[pass]);
        }

        // --- timed ingest ----------------------------------------------------------------------------------
        deleteIndex(index);
        settle();
        Map<String, Object> created = client.ok("PUT", "/_plugins/_face/index/" + index, indexBody).body();
        String pipeline = String.valueOf(created.get("pipeline"));
        say(
            "created photo index %s with pipeline %s (%s-d vectors)%s",
            index,
            pipeline,
            created.get("dimension"),
            indexBody == null ? "" : " from " + indexBody
        );

        ItemResult[] items = new ItemResult[n];
        double[] bulkMillis = new double[bulks.size()];
        Map<String, Object> poolBefore = poolStats();
        Map<String, Object> pipelineBefore = pipelineStats(pipeline);
        long cpuBefore = nodeCpuMillis();
        long clientCpuBefore = ownCpuNanos();
        long[] machineBefore = machineCpu();
        String loadBefore = Bench.loadAverage();
        long ingestNanos = BenchThreads.parallel(bulks.size(), concurrency, b -> {
            IngestCorpus.Bulk bulk = bulks.get(b);
            long start = System.nanoTime();
            ItemResult[] results = sendBulk(index, bulk.body(), bulk.count());
            bulkMillis[b] = (System.nanoTime() - start) / 1e6;
            System.arraycopy(results, 0, items, bulk.first(), bulk.count());
        });
        long clientCpuNanos = ownCpuNanos() - clientCpuBefore;
        long[] machineAfter = machineCpu();
        String loadAfter = Bench.loadAverage();
        long refreshStart = System.nanoTime();
        client.ok("POST", "/" + index + "/_refresh", null);
        double refreshMs = (System.nanoTime() - refreshStart) / 1e6;
        long cpuAfter = nodeCpuMillis(); // includes the refresh
        Map<String, Object> poolAfter = poolStats();

        int failed = 0;
        int rejectedItems = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (items[i].failed()) {
                failed++;
                if (items[i].status() == 429) {
                    rejectedItems++;
                }
                failures.add(paths.get(i) + ": " + items[i].failure());
            }
        }
        double lastS = BenchThreads.seconds(ingestNanos);
        timedSeconds[timedPasses - 1] = lastS;

        // --- what the index holds ----------------------------------------------------------------------
        Map<String, Object> counts = client.ok(
            "POST",
            "/" + index + "/_search",
            "{\"size\":0,\"track_total_hits\":true,\"aggs\":{\"faces\":{\"sum\":{\"field\":\"photo.face_count\"}},"
                + "\"no_face\":{\"filter\":{\"term\":{\"photo.face_count\":0}}}}}"
        ).body();
        long indexed = number(counts, "hits.total.value");
        long faces = Math.round(number(NodeHttpClient.at(counts, "aggregations.faces.value")));
        long noFace = number(counts, "aggregations.no_face.doc_count");
        IndexStats stats = indexStats(index);
        double nodeCpuMsPerPhoto = cpuBefore < 0 || cpuAfter < 0 ? Double.NaN : (double) (cpuAfter - cpuBefore) / n;
        double cpuBusy = busyFraction(machineBefore, machineAfter);
        // CPU the machine spent on anything but the node and this benchmark while the clock ran: other
        // processes on a shared machine make the timings worthless when this is more than a few percent of it.
        double foreignCpuS = busySeconds(machineBefore, machineAfter) - (cpuAfter - cpuBefore) / 1e3 - clientCpuNanos / 1e9;

        say(
            "ingest, last pass: %d photos sent in %.2f s; %d indexed = %.2f photos/s, %d faces = %.2f faces/s (%d photos without a face); %d failed%s",
            n,
            lastS,
            indexed,
            indexed / lastS,
            faces,
            faces / lastS,
            noFace,
            failed,
            rejectedBulks.get() > 0 ? "; " + rejectedBulks.get() + " bulk request(s) rejected with 429 and retried" : ""
        );
        say(
            "ingest detail: bulk latency p50 %.0f ms, max %.0f ms; refresh %.0f ms; node process CPU %.1f ms per photo; this benchmark's own "
                + "CPU %.1f ms per photo; machine CPU busy %.0f%%, of which %.1f core-s by other processes; load average before %s, after %s",
            VerificationMetrics.percentile(bulkMillis, 50),
            VerificationMetrics.percentile(bulkMillis, 100),
            refreshMs,
            nodeCpuMsPerPhoto,
            clientCpuNanos / 1e6 / n,
            100 * cpuBusy,
            foreignCpuS,
            loadBefore,
            loadAfter
        );
        say(
            "ingest detail: index %s: %d Lucene docs (photos and their nested faces), %.1f MB on disk (%.1f KB per photo); Lucene indexing time %d ms (%.2f ms per photo); "
                + "%s pool: %d task(s) completed, %d rejected, largest %d",
            index,
            stats.docs(),
            stats.storeBytes() / 1e6,
            indexed == 0 ? 0.0 : stats.storeBytes() / 1e3 / indexed,
            stats.indexTimeMs(),
            n == 0 ? 0.0 : (double) stats.indexTimeMs() / n,
            INGEST_POOL,
            number(poolAfter, "completed") - number(poolBefore, "completed"),
            number(poolAfter, "rejected") - number(poolBefore, "rejected"),
            number(poolAfter, "largest")
        );
        Map<String, Object> pipelineAfter = pipelineStats(pipeline);
        if (pipelineAfter != null) {
            // the node keeps a pipeline's stats across its re-creation: count this run only
            Map<String, Object> before = pipelineBefore == null ? Map.of() : pipelineBefore;
            say(
                "ingest detail: pipeline %s: %d doc(s), %d failed, %d ms in the pipeline in all (summed over documents in flight at once)",
                pipeline,
                number(pipelineAfter, "count") - number(before, "count"),
                number(pipelineAfter, "failed") - number(before, "failed"),
                number(pipelineAfter, "time_in_millis") - number(before, "time_in_millis")
            );
        }
        if (failures.isEmpty() == false) {
            say("failed photos: %d", failed);
            for (int i = 0; i < failures.size() && i < MAX_FAILURES_SHOWN; i++) {
                say("  %s", failures.get(i));
            }
            if (failures.size() > MAX_FAILURES_SHOWN) {
                say("  ... and %d more", failures.size() - MAX_FAILURES_SHOWN);
            }
        }
        if (indexed != n - failed) {
            say("WARNING: %d photos sent, %d failed, but the index holds %d documents", n, failed, indexed);
        }

        // --- raw inference in this JVM, after the last pass ------------------------------------------------------
        RawPass lastRaw = rawPass(analyzer, detection, mx, photos, threads);
        rawSeconds[timedPasses - 1] = lastRaw.inferenceS();
        RawResult[] raw = lastRaw.results();
        long rawWallNanos = lastRaw.wallNanos();
        double rawForeignCpuS = lastRaw.foreignCpuS();
        String loadRaw = lastRaw.loadAverage();
        // The headline is the pass whose overhead is the median: each pass is divided by the model time measured
        // right after it, so that a machine that runs faster or slower for a while moves both alike.
        int headline = medianIndex(timedSeconds, rawSeconds);
        double ingestS = timedSeconds[headline];
        double rawInferenceS = rawSeconds[headline];
        if (timedPasses > 1) {
            say("timed pass %d of %d: %d photos in %.2f s = %.2f photos/s; then in-process %.2f s inside the models per worker: overhead %.3f "
                + "(the details above are this pass's; ingest_s, raw_inference_s and overhead are those of pass %d, the median overhead)",
                timedPasses, timedPasses, n, timedSeconds[timedPasses - 1], n / timedSeconds[timedPasses - 1], rawSeconds[timedPasses - 1],
                timedSeconds[timedPasses - 1] / rawSeconds[timedPasses - 1], headline + 1);
        }
        long inferenceSum = 0;
        long decodeSum = 0;
        long totalSum = 0;
        long cpuSum = 0;
        long rawFaces = 0;
        int rawFailed = 0;
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RawResult r = raw[i];
            inferenceSum += r.inferenceNanos();
            decodeSum += r.decodeNanos();
            totalSum += r.totalNanos();
            cpuSum += r.cpuNanos();
            if (r.failure() != null) {
                rawFailed++;
            } else {
                rawFaces += r.faces();
            }
            if ((r.failure() != null) != items[i].failed()) {
                disagreements.add(
                    paths.get(i) + ": node " + (items[i].failed() ? "failed (" + items[i].failure() + ")" : "indexed it")
                        + ", in-process " + (r.failure() != null ? "failed (" + r.failure() + ")" : "found " + r.faces() + " face(s)")
                );
            }
        }
        double rawAnalysisS = totalSum / 1e9 / threads;
        double overhead = ingestS / rawInferenceS;
        double perPhoto = n; // per photo sent, like the node's figures (a rejected photo counts its decode attempt)
        say(
            "in-process (%d thread(s), like the node's pool): %d photos in %.2f s wall; per photo %.2f ms inside the models, %.2f ms decoding, "
                + "%.2f ms whole analysis (%.2f ms CPU); %d faces, %d failed; %.1f core-s of CPU used by other processes; load average %s",
            threads,
            n,
            BenchThreads.seconds(rawWallNanos),
            inferenceSum / 1e6 / perPhoto,
            decodeSum / 1e6 / perPhoto,
            totalSum / 1e6 / perPhoto,
            cpuSum / 1e6 / perPhoto,
            rawFaces,
            rawFailed,
            rawForeignCpuS,
            loadRaw
        );
        say(
            "time: ingest %.2f s vs %.2f s inside the models per worker (%d workers) = overhead %.3f (pass %d); last pass: %.2f s vs whole "
                + "in-process analysis %.2f s per worker = %.3f",
            ingestS,
            rawInferenceS,
            threads,
            overhead,
            headline + 1,
            lastS,
            rawAnalysisS,
            lastS / rawAnalysisS
        );
        if (warmupPasses > 0 || timedPasses > 1) {
            say(
                "overhead of the untimed warm-up passes, in order (against the first in-process pass): %s; of the timed passes: %s (median %.3f)",
                joined(passSeconds, rawSeconds[0], ", "),
                ratios(timedSeconds, rawSeconds, ", "),
                overhead
            );
        }
        if (rawFaces != faces) {
            say("WARNING: the node found %d faces, the in-process engine %d", faces, rawFaces);
        }
        for (int i = 0; i < disagreements.size() && i < 20; i++) {
            say("WARNING: node and in-process disagree: %s", disagreements.get(i));
        }

        // --- the same documents without the pipeline ---------------------------------------------------------
        PlainResult plain = comparePlain && indexed > 0 ? comparePlain(index, stats) : null;

        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("mode", "ingest");
        figures.put("photos", Long.toString(indexed));
        figures.put("faces", Long.toString(faces));
        figures.put("failed", Integer.toString(failed));
        figures.put("photos_per_s", f2(indexed / ingestS));
        figures.put("faces_per_s", f2(faces / ingestS));
        figures.put("ingest_s", f3(ingestS));
        figures.put("raw_inference_s", f3(rawInferenceS));
        figures.put("overhead", f3(overhead));
        figures.put("timed_passes", Integer.toString(timedPasses));
        figures.put("timed_pass_s", joined(timedSeconds, 1, ","));
        figures.put("raw_inference_pass_s", joined(rawSeconds, 1, ","));
        figures.put("pass_overheads", ratios(timedSeconds, rawSeconds, ","));
        figures.put("headline_pass", Integer.toString(headline + 1));
        figures.put("warmup_passes", Integer.toString(warmupPasses));
        for (int pass = 0; pass < warmupPasses; pass++) {
            figures.put("warmup_pass" + (pass + 1) + "_overhead", f3(passSeconds[pass] / rawSeconds[0]));
        }
        figures.put("bulk_size", Integer.toString(bulkSize));
        figures.put("concurrency", Integer.toString(concurrency));
        figures.put("threads", Integer.toString(threads));
        figures.put("refresh_ms", f1(refreshMs));
        figures.put("files", Integer.toString(n));
        figures.put("rejected", Integer.toString(rejectedItems));
        figures.put("no_face_photos", Long.toString(noFace));
        figures.put("raw_analysis_s", f3(rawAnalysisS));
        figures.put("overhead_vs_analysis", f3(lastS / rawAnalysisS));
        figures.put("raw_wall_s", f3(BenchThreads.seconds(rawWallNanos)));
        figures.put("raw_inference_ms_per_photo", f2(inferenceSum / 1e6 / perPhoto));
        figures.put("raw_decode_ms_per_photo", f2(decodeSum / 1e6 / perPhoto));
        figures.put("raw_analysis_ms_per_photo", f2(totalSum / 1e6 / perPhoto));
        figures.put("raw_cpu_ms_per_photo", f2(cpuSum / 1e6 / n));
        figures.put("raw_faces", Long.toString(rawFaces));
        figures.put("raw_failed", Integer.toString(rawFailed));
        figures.put("node_cpu_ms_per_photo", f2(nodeCpuMsPerPhoto));
        figures.put("client_cpu_ms_per_photo", f2(clientCpuNanos / 1e6 / n));
        figures.put("cpu_busy_pct", f1(100 * cpuBusy));
        figures.put("foreign_cpu_s", f2(foreignCpuS));
        figures.put("raw_foreign_cpu_s", f2(rawForeignCpuS));
        figures.put("bulk_p50_ms", f1(VerificationMetrics.percentile(bulkMillis, 50)));
        figures.put("bulk_max_ms", f1(VerificationMetrics.percentile(bulkMillis, 100)));
        figures.put("index_time_ms", Long.toString(stats.indexTimeMs()));
        figures.put("store_mb", f2(stats.storeBytes() / 1e6));
        figures.put("body_mb", f2(bodyBytes / 1e6));
        if (plain != null) {
            figures.put("plain_bulk_s", f3(plain.bulkS()));
            figures.put("plain_node_cpu_ms_per_photo", f2(plain.nodeCpuMsPerPhoto()));
            figures.put("plain_index_time_ms", Long.toString(plain.indexTimeMs()));
            figures.put("plain_reindex_s", f3(plain.reindexS()));
            figures.put("ingest_minus_plain_s", f3(ingestS - plain.bulkS()));
        }
        figures.put("flip_average", Boolean.toString(models.flipAverage()));
        if (embedRunSizes.length > 0) {
            settle();
            EmbedderRunSizes.Result sizes = EmbedderRunSizes.measure(analyzer, detection, photos, threads, embedRunSizes);
            say(
                "embedder alone, %d faces in runs of each size (%d thread(s), median of 3 rounds), ms inside the model per face: %s",
                sizes.faces(),
                threads,
                sizes.describe()
            );
            figures.putAll(sizes.figures());
        }
        Bench.printFigures(figures);
    }

    /** One pass timed as a whole, without details: every bulk into a newly created photo index {@code target}; its seconds. */
    private double ingestPass(String target, List<IngestCorpus.Bulk> bulks) {
        deleteIndex(target);
        client.ok("PUT", "/_plugins/_face/index/" + target, indexBody);
        long nanos = BenchThreads.parallel(bulks.size(), concurrency, b -> sendBulk(target, bulks.get(b).body(), bulks.get(b).count()));
        return BenchThreads.seconds(nanos);
    }

    /** Deletes the scratch index and its pipeline, then waits for the node to be idle. */
    private void dropScratch(String scratch) {
        deleteIndex(scratch);
        client.request("DELETE", "/_ingest/pipeline/face-search-" + scratch, null, null);
        Settle settled = settle();
        say(
            "settle: the node used %.0f ms of CPU per second at the end, %s after %.1f s",
            settled.lastCpuMillisPerSecond(),
            settled.idle() ? "idle" : "still busy (timed anyway)",
            settled.seconds()
        );
    }

    /** Each value divided by {@code divisor}, with three decimals, joined by {@code separator}. */
    private static String joined(double[] values, double divisor, String separator) {
        StringBuilder out = new StringBuilder();
        for (double value : values) {
            out.append(out.isEmpty() ? "" : separator).append(f3(value / divisor));
        }
        return out.toString();
    }

    /** {@code numerators[i] / denominators[i]} with three decimals, joined by {@code separator}. */
    private static String ratios(double[] numerators, double[] denominators, String separator) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < numerators.length; i++) {
            out.append(out.isEmpty() ? "" : separator).append(f3(numerators[i] / denominators[i]));
        }
        return out.toString();
    }

    /** The pass whose {@code seconds[i] / raw[i]} is the median (the lower middle one for an even count). */
    private static int medianIndex(double[] seconds, double[] raw) {
        Integer[] order = new Integer[seconds.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> seconds[i] / raw[i]));
        return order[(order.length - 1) / 2];
    }

    /** The index the warm-up and all timed passes but the last go into. */
    private String scratch() {
        return index + "_warmup";
    }

    private record Settle(double seconds, double lastCpuMillisPerSecond, boolean idle) {}

    /**
     * Waits until the node's process CPU stays under {@link #IDLE_CPU_MILLIS_PER_SECOND} for two readings in a row,
     * at most {@link #MAX_SETTLE_SECONDS}. The warm-up leaves work behind: the JIT compiles what the warm-up made hot
     * on threads that had to share the CPUs with it, and Lucene merges the scratch index's segments. Timing the run
     * while that finishes would charge the warm-up's leftovers to the timed photos.
     */
    private Settle settle() {
        long start = System.nanoTime();
        long before = client.processCpuMillis();
        long beforeAt = System.nanoTime();
        double last = Double.NaN;
        int quiet = 0;
        while (before >= 0 && BenchThreads.seconds(System.nanoTime() - start) < MAX_SETTLE_SECONDS) {
            long now = nodeCpuMillis();
            long nowAt = System.nanoTime();
            if (now < 0) {
                break;
            }
            last = (now - before) / BenchThreads.seconds(nowAt - beforeAt);
            before = now;
            beforeAt = nowAt;
            quiet = last < IDLE_CPU_MILLIS_PER_SECOND ? quiet + 1 : 0;
            if (quiet == 2) {
                return new Settle(BenchThreads.seconds(System.nanoTime() - start), last, true);
            }
        }
        return new Settle(BenchThreads.seconds(System.nanoTime() - start), last, false);
    }

    // --- node requests ---------------------------------------------------------------------------------------

    /** Sends one bulk body of {@code count} documents; retries the whole request on 429; the result of each item. */
    private ItemResult[] sendBulk(String target, byte[] body, int count) {
        for (int attempt = 0;; attempt++) {
            NodeHttpClient.Response response = client.request("POST", "/" + target + "/_bulk", List.of(body), "application/x-ndjson");
            if (response.status() == 429 && attempt < MAX_429_RETRIES) {
                rejectedBulks.incrementAndGet();
                BenchThreads.sleep(Math.min(1000, 20L * (attempt + 1)));
                continue;
            }
            if (response.status() != 200 || response.body() == null || (response.body().get("items") instanceof List<?>) == false) {
                throw new BenchException("POST " + target + "/_bulk answered " + response.describe());
            }
            List<?> list = (List<?>) response.body().get("items");
            if (list.size() != count) {
                throw new BenchException("POST " + target + "/_bulk answered " + list.size() + " items for " + count + " documents");
            }
            ItemResult[] results = new ItemResult[count];
            for (int i = 0; i < count; i++) {
                results[i] = item(list.get(i));
            }
            return results;
        }
    }

    @SuppressWarnings("unchecked")
    private static ItemResult item(Object item) {
        if (item instanceof Map<?, ?> map && map.values().iterator().next() instanceof Map<?, ?> action) {
            Map<String, Object> a = (Map<String, Object>) action;
            int status = a.get("status") instanceof Number s ? s.intValue() : -1;
            if (a.get("error") instanceof Map<?, ?> error) {
                StringBuilder reason = new StringBuilder("HTTP ").append(status).append(' ').append(error.get("type")).append(": ").append(error.get("reason"));
                Object cause = error.get("caused_by");
                while (cause instanceof Map<?, ?> c) {
                    reason.append(" (caused by ").append(c.get("type")).append(": ").append(c.get("reason")).append(')');
                    cause = c.get("caused_by");
                }
                return new ItemResult(status, reason.toString());
            }
            if (status / 100 == 2) {
                return new ItemResult(status, null);
            }
            return new ItemResult(status, "HTTP " + status + " without an error");
        }
        return new ItemResult(-1, "unreadable bulk item: " + item);
    }

    private void deleteIndex(String name) {
        NodeHttpClient.Response response = client.request("DELETE", "/" + name, null, null);
        if (response.status() != 200 && response.status() != 404) {
            throw new BenchException("DELETE " + name + " answered " + response.describe());
        }
    }

    /** Size of the node's {@code face_search_ingest} pool. */
    private int ingestThreads() {
        Map<String, Object> node = NodeHttpClient.localNode(client.getJson("/_nodes/_local/thread_pool"));
        Object size = node == null ? null : NodeHttpClient.at(node, "thread_pool." + INGEST_POOL + ".size");
        if (size == null && node != null) {
            size = NodeHttpClient.at(node, "thread_pool." + INGEST_POOL + ".max");
        }
        if (size == null) {
            throw new BenchException("the node has no " + INGEST_POOL + " thread pool (GET _nodes/_local/thread_pool)");
        }
        return Integer.parseInt(size.toString());
    }

    private String allocatedProcessors() {
        Map<String, Object> node = NodeHttpClient.localNode(client.getJson("/_nodes/_local/os"));
        Object v = node == null ? null : NodeHttpClient.at(node, "os.allocated_processors");
        return v == null ? "?" : v.toString();
    }

    private Map<String, Object> poolStats() {
        Map<String, Object> node = NodeHttpClient.localNode(client.getJson("/_nodes/_local/stats/thread_pool"));
        Object pool = node == null ? null : NodeHttpClient.at(node, "thread_pool." + INGEST_POOL);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = pool instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return map;
    }

    private Map<String, Object> pipelineStats(String pipeline) {
        Map<String, Object> node = NodeHttpClient.localNode(client.getJson("/_nodes/_local/stats/ingest"));
        Object pipelines = node == null ? null : NodeHttpClient.at(node, "ingest.pipelines");
        if (pipelines instanceof Map<?, ?> m && m.get(pipeline) instanceof Map<?, ?> p) {
            @SuppressWarnings("unchecked")
            Map<String, Object> stats = (Map<String, Object>) p;
            return stats;
        }
        return null;
    }

    private record IndexStats(long docs, long storeBytes, long indexTimeMs) {}

    private IndexStats indexStats(String name) {
        Map<String, Object> stats = client.getJson("/" + name + "/_stats/docs,store,indexing");
        return new IndexStats(
            number(stats, "_all.primaries.docs.count"),
            number(stats, "_all.primaries.store.size_in_bytes"),
            number(stats, "_all.primaries.indexing.index_time_in_millis")
        );
    }

    // --- the same documents without the pipeline ---------------------------------------------------------

    private record PlainResult(double bulkS, double nodeCpuMsPerPhoto, long indexTimeMs, double reindexS) {}

    /**
     * Bulk-indexes the documents of {@code source} as the pipeline left them into {@code source_plain} (same mapping,
     * no pipeline, same bulk size and concurrency), then {@code _reindex}es {@code source} into {@code source_plain2}.
     */
    @SuppressWarnings("unchecked")
    private PlainResult comparePlain(String source, IndexStats sourceStats) throws IOException {
        String plainIndex = source + "_plain";
        String reindexIndex = source + "_plain2";
        Map<String, Object> mapping = (Map<String, Object>) NodeHttpClient.at(client.getJson("/" + source + "/_mapping"), source + ".mappings");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("settings", Map.of("index.knn", true, "index.number_of_shards", 1, "index.auto_expand_replicas", "0-1"));
        body.put("mappings", mapping);
        String create = json(body);

        // Fetch the documents (untimed) and build the bulk bodies, in pages of the bulk size.
        List<byte[]> bodies = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        Map<String, Object> page = client.ok("POST", "/" + source + "/_search?scroll=5m", "{\"size\":" + bulkSize + ",\"sort\":[\"_doc\"]}").body();
        String scrollId = String.valueOf(page.get("_scroll_id"));
        int docs = 0;
        while (true) {
            List<Object> hits = (List<Object>) NodeHttpClient.at(page, "hits.hits");
            if (hits == null || hits.isEmpty()) {
                break;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Object hit : hits) {
                Map<String, Object> h = (Map<String, Object>) hit;
                out.writeBytes(("{\"index\":{\"_id\":" + IngestCorpus.jsonString(h.get("_id").toString()) + "}}\n").getBytes(StandardCharsets.UTF_8));
                out.writeBytes(jsonBytes((Map<String, Object>) h.get("_source")));
                out.write('\n');
            }
            bodies.add(out.toByteArray());
            counts.add(hits.size());
            docs += hits.size();
            page = client.ok("POST", "/_search/scroll", "{\"scroll\":\"5m\",\"scroll_id\":" + IngestCorpus.jsonString(scrollId) + "}").body();
            scrollId = String.valueOf(page.get("_scroll_id"));
        }
        client.request("DELETE", "/_search/scroll", List.of(("{\"scroll_id\":" + IngestCorpus.jsonString(scrollId) + "}").getBytes(StandardCharsets.UTF_8)), null);

        deleteIndex(plainIndex);
        client.ok("PUT", "/" + plainIndex, create);
        AtomicInteger failedItems = new AtomicInteger();
        long cpuBefore = nodeCpuMillis();
        long nanos = BenchThreads.parallel(bodies.size(), concurrency, b -> {
            for (ItemResult r : sendBulk(plainIndex, bodies.get(b), counts.get(b))) {
                if (r.failed()) {
                    failedItems.incrementAndGet();
                }
            }
        });
        long cpuAfter = nodeCpuMillis();
        client.ok("POST", "/" + plainIndex + "/_refresh", null);
        IndexStats plainStats = indexStats(plainIndex);
        double cpuPerPhoto = cpuBefore < 0 || cpuAfter < 0 ? Double.NaN : (double) (cpuAfter - cpuBefore) / docs;
        say(
            "without the pipeline: the %d indexed documents (photo, faces, vectors) bulk-indexed into %s (same mapping, bulk size %d, "
                + "concurrency %d) in %.2f s = %.2f docs/s; node process CPU %.1f ms per doc; Lucene indexing time %d ms (with the pipeline: "
                + "%d ms); %.1f MB on disk; %d failed",
            docs,
            plainIndex,
            bulkSize,
            concurrency,
            BenchThreads.seconds(nanos),
            docs / BenchThreads.seconds(nanos),
            cpuPerPhoto,
            plainStats.indexTimeMs(),
            sourceStats.indexTimeMs(),
            plainStats.storeBytes() / 1e6,
            failedItems.get()
        );

        deleteIndex(reindexIndex);
        client.ok("PUT", "/" + reindexIndex, create);
        long start = System.nanoTime();
        Map<String, Object> reindexed = client.ok(
            "POST",
            "/_reindex?wait_for_completion=true",
            "{\"source\":{\"index\":" + IngestCorpus.jsonString(source) + "},\"dest\":{\"index\":" + IngestCorpus.jsonString(reindexIndex) + "}}"
        ).body();
        double reindexS = BenchThreads.seconds(System.nanoTime() - start);
        say(
            "without the pipeline: _reindex %s -> %s: %s docs in %.2f s (took %s ms), %s failure(s)",
            source,
            reindexIndex,
            reindexed.get("created"),
            reindexS,
            reindexed.get("took"),
            reindexed.get("failures") instanceof List<?> l ? l.size() : "?"
        );
        deleteIndex(plainIndex);
        deleteIndex(reindexIndex);
        return new PlainResult(BenchThreads.seconds(nanos), cpuPerPhoto, plainStats.indexTimeMs(), reindexS);
    }

    private static String json(Map<String, Object> map) throws IOException {
        return new String(jsonBytes(map), StandardCharsets.UTF_8);
    }

    private static byte[] jsonBytes(Map<String, Object> map) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XContentBuilder builder = XContentFactory.jsonBuilder(out)) {
            builder.map(map);
        }
        return out.toByteArray();
    }

    // --- in-process analysis ---------------------------------------------------------------------------------

    private static RawResult analyze(FaceAnalyzer analyzer, byte[] photo, DetectionOptions detection, ThreadMXBean mx) {
        long cpuStart = mx.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        try {
            FaceAnalysis analysis = analyzer.analyze(photo, detection, true);
            return new RawResult(
                analysis.inferenceNanos(),
                analysis.decodeNanos(),
                analysis.totalNanos(),
                mx.getCurrentThreadCpuTime() - cpuStart,
                analysis.faces().size(),
                null
            );
        } catch (RuntimeException e) {
            // A photo the node rejects is rejected here too (its decode time still counts as analysis time).
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            return new RawResult(0, 0, System.nanoTime() - start, mx.getCurrentThreadCpuTime() - cpuStart, 0, reason);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------


    /**
     * The node's process CPU time, read after a pause: the node caches its process stats for
     * {@code monitor.process.refresh_interval} (1 s), so a read right after a run could miss its end. The pause is
     * outside every timed section.
     */
    private long nodeCpuMillis() {
        BenchThreads.sleep(1100);
        return client.processCpuMillis();
    }

    /** CPU time of this JVM so far, or -1. */
    private static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Busy and total jiffies of the whole machine ({@code /proc/stat}), or null. */
    private static long[] machineCpu() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            long[] v = Arrays.stream(first.trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
            long total = 0;
            for (long x : v) {
                total += x;
            }
            long idle = v[3] + (v.length > 4 ? v[4] : 0); // idle + iowait
            return new long[] { total - idle, total };
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Core-seconds the whole machine was busy between two {@link #machineCpu()} readings (USER_HZ = 100), or NaN. */
    private static double busySeconds(long[] before, long[] after) {
        if (before == null || after == null) {
            return Double.NaN;
        }
        return (after[0] - before[0]) / 100.0;
    }

    private static double busyFraction(long[] before, long[] after) {
        if (before == null || after == null || after[1] == before[1]) {
            return Double.NaN;
        }
        return (double) (after[0] - before[0]) / (after[1] - before[1]);
    }

    private static long number(Map<String, Object> json, String path) {
        Object v = NodeHttpClient.at(json, path);
        return v instanceof Number num ? num.longValue() : 0;
    }

    private static double number(Object v) {
        return v instanceof Number num ? num.doubleValue() : 0;
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static void say(String format, Object... args) {
        VerifyBenchmark.say(format, args);
    }
}
