package io.facesearch.qa.bench;

import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceVerifier;
import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.embed.FaceEmbedder;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code verify} mode: 1:1 verification accuracy and speed of a node's {@code POST _plugins/_face/verify}.
 *
 * <ol>
 *   <li>Pass 1, latency: every pair once, one request at a time (after a few warm-up requests).</li>
 *   <li>Pass 2, throughput: every pair again from {@code --concurrency} parallel clients; the similarities
 *       must agree with pass 1.</li>
 *   <li>Pass 3, raw inference: the node's models opened in this JVM, every distinct photo analysed once
 *       (after a warm-up), summing the time spent inside the ONNX models. The node's time per photo over
 *       this is the overhead of everything around the models (HTTP, JSON, base64, decode, align...).</li>
 * </ol>
 * Accuracy comes from pass 1's similarities; a pair where the node finds no face in a photo scores -1.
 */
final class VerifyBenchmark {
    static final String USAGE = """
        verify --images DIR --pairs FILE --url URL --models DIR [--concurrency N] [--limit N] [--warmup N] [--pairs-out FILE]
          --images DIR       folder the pair paths are relative to
          --pairs FILE       path1<TAB>path2<TAB>1|0, or fold<TAB>path1<TAB>path2<TAB>1|0 (header lines skipped)
          --concurrency N    parallel clients in the throughput pass (default 2)
          --limit N          only the first N pairs
          --warmup N         warm-up requests before pass 1 and warm-up photos before pass 3 (default 5)
          --pairs-out FILE   write one TSV line per pair (similarities, latency, failure) for analysis""";

    private static final String VERIFY_PATH = "/_plugins/_face/verify";
    private static final String NO_FACE = "no_face_found_exception";
    private static final double FAR = 1e-3;
    private static final double AGREEMENT = 1e-4;
    private static final int MAX_429_RETRIES = 50;

    private final Path images;
    private final Path pairsPath;
    private final int concurrency;
    private final int limit;
    private final int warmup;
    private final Path pairsOut;
    private final Path modelsDir;
    private final NodeHttpClient client;
    private final AtomicLong rejections = new AtomicLong();

    VerifyBenchmark(BenchOptions options) {
        this.images = options.path("images", "folder the pair paths are relative to");
        this.pairsPath = options.path("pairs", "pairs file");
        this.concurrency = options.intValue("concurrency", 2, 1);
        this.limit = options.intValue("limit", 0, 1);
        this.warmup = options.intValue("warmup", 5, 0);
        String out = options.value("pairs-out");
        this.pairsOut = out == null ? null : Path.of(out).toAbsolutePath().normalize();
        this.modelsDir = options.path("models", "the models folder the node uses");
        this.client = new NodeHttpClient(options.required("url", "the node, e.g. http://127.0.0.1:9200"));
        options.checkAllUsed();
    }

    /** The result of one pair through the node. */
    private record PairResult(double similarity, String failure, long nanos, long tookMillis) {
        boolean failed() {
            return failure != null;
        }
    }

    /** One distinct photo: its bytes and their base64 form. */
    private record Photo(String path, byte[] bytes, byte[] base64) {}

    void run() throws IOException {
        if (Files.isDirectory(images) == false) {
            throw new BenchException("--images " + images + " is not a folder");
        }
        PairsFile file;
        try {
            file = PairsFile.read(pairsPath).limit(limit);
        } catch (NoSuchFileException e) {
            throw new BenchException("--pairs " + pairsPath + " does not exist");
        } catch (IllegalArgumentException e) {
            throw new BenchException(e.getMessage());
        }
        List<PairsFile.Pair> pairs = file.pairs();
        int n = pairs.size();

        // Distinct photos, in order of first appearance; every pair refers to two of them.
        Map<String, Integer> photoIndex = new LinkedHashMap<>();
        int[][] pairPhotos = new int[n][2];
        for (int i = 0; i < n; i++) {
            pairPhotos[i][0] = photoIndex.computeIfAbsent(pairs.get(i).pathA(), k -> photoIndex.size());
            pairPhotos[i][1] = photoIndex.computeIfAbsent(pairs.get(i).pathB(), k -> photoIndex.size());
        }
        List<Photo> photos = new ArrayList<>(photoIndex.size());
        long photoBytes = 0;
        for (String path : photoIndex.keySet()) {
            Path resolved = images.resolve(path).normalize();
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(resolved);
            } catch (NoSuchFileException e) {
                throw new BenchException("photo [" + path + "] of " + pairsPath.getFileName() + " not found: " + resolved);
            }
            photoBytes += bytes.length;
            photos.add(new Photo(path, bytes, Base64.getEncoder().encode(bytes)));
        }

        say(
            "bench verify: %d pairs (%d same, %d different) from %s%s; %d distinct photos (%.1f MB) under %s",
            n,
            file.positives(),
            file.negatives(),
            pairsPath,
            limit > 0 ? " (--limit " + limit + ")" : "",
            photos.size(),
            photoBytes / 1e6,
            images
        );
        if (file.skippedLines() > 0) {
            say("skipped %d line(s) whose label column is not 0/1 (header)", file.skippedLines());
        }

        // The node and its models.
        NodeModels models = NodeModels.read(client);
        boolean flipAverage = models.flipAverage();
        double nodeThreshold = models.verifyThreshold();
        say("node: %s; %s", client.base(), models.describe());

        // Warm-up: the node's first requests pay for JIT compilation and first-run allocations.
        int warm = Math.min(warmup, n);
        long warmStart = System.nanoTime();
        for (int i = 0; i < warm; i++) {
            verify(i, pairs, pairPhotos, photos);
        }
        if (warm > 0) {
            say("warm-up: %d request(s) in %.1f s", warm, BenchThreads.seconds(System.nanoTime() - warmStart));
        }

        // Pass 1: sequential latency.
        PairResult[] pass1 = new PairResult[n];
        String loadBefore = Bench.loadAverage();
        long cpuBefore = client.processCpuMillis();
        long pass1Start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            pass1[i] = verify(i, pairs, pairPhotos, photos);
        }
        long pass1Nanos = System.nanoTime() - pass1Start;
        long cpuAfter = client.processCpuMillis();
        double nodeCpuMsPerPhoto = cpuBefore < 0 || cpuAfter < 0 ? Double.NaN : (cpuAfter - cpuBefore) / (2.0 * n);
        long tookSum = 0;
        int tookCount = 0;
        for (PairResult r : pass1) {
            if (r.tookMillis() >= 0) {
                tookSum += r.tookMillis();
                tookCount++;
            }
        }
        double nodeTookMsPerPhoto = tookCount == 0 ? Double.NaN : tookSum / (2.0 * tookCount);
        double[] latenciesMs = new double[n];
        for (int i = 0; i < n; i++) {
            latenciesMs[i] = pass1[i].nanos() / 1e6;
        }
        double p50 = VerificationMetrics.percentile(latenciesMs, 50);
        double p99 = VerificationMetrics.percentile(latenciesMs, 99);
        double nodeMsPerPhoto = pass1Nanos / 1e6 / (2.0 * n);
        say(
            "pass 1 (sequential): %d pairs in %.1f s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; %.2f ms per photo",
            n,
            BenchThreads.seconds(pass1Nanos),
            p50,
            p99,
            VerificationMetrics.percentile(latenciesMs, 100),
            nodeMsPerPhoto
        );
        say(
            "pass 1 detail: the node's own \"took\" %.2f ms per photo; node process CPU %.2f ms per photo; load average before %s, after %s",
            nodeTookMsPerPhoto,
            nodeCpuMsPerPhoto,
            loadBefore,
            Bench.loadAverage()
        );

        // Pass 2: throughput with parallel clients.
        PairResult[] pass2 = new PairResult[n];
        long pass2Nanos = parallel(n, pass2, pairs, pairPhotos, photos);
        double pairsPerSecond = n / BenchThreads.seconds(pass2Nanos);
        int mismatches = 0;
        double pass2MaxDiff = 0;
        for (int i = 0; i < n; i++) {
            boolean agree;
            if (pass1[i].failed() || pass2[i].failed()) {
                agree = pass1[i].failed() && pass2[i].failed();
            } else {
                double diff = Math.abs(pass1[i].similarity() - pass2[i].similarity());
                pass2MaxDiff = Math.max(pass2MaxDiff, diff);
                agree = diff <= AGREEMENT;
            }
            if (agree == false) {
                if (mismatches < 10) {
                    say(
                        "WARNING: pair %d (%s, %s): pass 1 %s, pass 2 %s",
                        pairs.get(i).line(),
                        pairs.get(i).pathA(),
                        pairs.get(i).pathB(),
                        describe(pass1[i]),
                        describe(pass2[i])
                    );
                }
                mismatches++;
            }
        }
        say(
            "pass 2 (concurrency %d): %d pairs in %.1f s = %.2f pairs/s; similarities %s pass 1 (max difference %.2g)%s",
            concurrency,
            n,
            BenchThreads.seconds(pass2Nanos),
            pairsPerSecond,
            mismatches == 0 ? "agree with" : mismatches + " pair(s) DISAGREE with",
            pass2MaxDiff,
            rejections.get() > 0 ? "; " + rejections.get() + " request(s) rejected with 429 and retried" : ""
        );

        // Pass 3: the same models in this JVM, time inside the models only.
        DetectionOptions detection = models.detectionOptions();
        long[] inferenceNanos = new long[photos.size()];
        long[] decodeNanos = new long[photos.size()];
        long[] totalNanos = new long[photos.size()];
        float[][] embeddings = new float[photos.size()][];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuNanos = 0;
        String loadPass3 = Bench.loadAverage();
        try (FaceAnalyzer analyzer = models.openAnalyzer(modelsDir)) {
            for (int i = 0; i < Math.min(warmup, photos.size()); i++) {
                analyzer.analyze(photos.get(i).bytes(), detection, true);
            }
            for (int i = 0; i < photos.size(); i++) {
                FaceAnalysis analysis;
                try {
                    long cpuStart = threads.getCurrentThreadCpuTime();
                    analysis = analyzer.analyze(photos.get(i).bytes(), detection, true);
                    cpuNanos += threads.getCurrentThreadCpuTime() - cpuStart;
                } catch (RuntimeException e) {
                    throw new BenchException("in-process analysis of [" + photos.get(i).path() + "] failed: " + e.getMessage(), e);
                }
                inferenceNanos[i] = analysis.inferenceNanos();
                decodeNanos[i] = analysis.decodeNanos();
                totalNanos[i] = analysis.totalNanos();
                embeddings[i] = analysis.faces().isEmpty() ? null : analysis.faces().get(FaceVerifier.mainFace(analysis)).embedding();
            }
        }
        double rawInferenceMs = sum(inferenceNanos) / 1e6 / photos.size();
        double rawDecodeMs = sum(decodeNanos) / 1e6 / photos.size();
        double rawTotalMs = sum(totalNanos) / 1e6 / photos.size();
        double rawCpuMs = cpuNanos / 1e6 / photos.size();
        // The node's figure counts a photo once per pair it is in; weigh the in-process times the same way.
        double weightedInferenceMs = 0;
        double weightedTotalMs = 0;
        for (int[] pp : pairPhotos) {
            for (int p : pp) {
                weightedInferenceMs += inferenceNanos[p] / 1e6;
                weightedTotalMs += totalNanos[p] / 1e6;
            }
        }
        weightedInferenceMs /= 2.0 * n;
        weightedTotalMs /= 2.0 * n;
        double overhead = nodeMsPerPhoto / rawInferenceMs;
        say(
            "pass 3 (in-process, 1 thread): %d photos; per photo %.2f ms inside the models, %.2f ms decoding, %.2f ms whole analysis "
                + "(%.2f ms CPU); load average %s",
            photos.size(),
            rawInferenceMs,
            rawDecodeMs,
            rawTotalMs,
            rawCpuMs,
            loadPass3
        );
        say(
            "time per photo: node %.2f ms vs %.2f ms inside the models = overhead %.3f (weighted like the pairs: models %.2f ms, "
                + "whole in-process analysis %.2f ms -> node/analysis %.3f)",
            nodeMsPerPhoto,
            rawInferenceMs,
            overhead,
            weightedInferenceMs,
            weightedTotalMs,
            nodeMsPerPhoto / weightedTotalMs
        );

        // Node similarities against the in-process engine.
        double engineMaxDiff = 0;
        int engineDisagreements = 0;
        double[] engineScores = new double[n];
        for (int i = 0; i < n; i++) {
            float[] a = embeddings[pairPhotos[i][0]];
            float[] b = embeddings[pairPhotos[i][1]];
            engineScores[i] = a == null || b == null ? -1 : FaceEmbedder.cosine(a, b);
            if ((a == null || b == null) != pass1[i].failed()) {
                engineDisagreements++;
            } else if (pass1[i].failed() == false) {
                engineMaxDiff = Math.max(engineMaxDiff, Math.abs(engineScores[i] - pass1[i].similarity()));
            }
        }
        say(
            "node vs in-process engine: max similarity difference %.2g%s",
            engineMaxDiff,
            engineDisagreements == 0 ? "" : "; " + engineDisagreements + " pair(s) where only one of them found no face"
        );

        // Accuracy.
        double[] scores = new double[n];
        boolean[] same = new boolean[n];
        boolean[] ok = new boolean[n];
        int failed = 0;
        for (int i = 0; i < n; i++) {
            scores[i] = pass1[i].failed() ? -1 : pass1[i].similarity();
            same[i] = pairs.get(i).same();
            ok[i] = pass1[i].failed() == false;
            if (pass1[i].failed()) {
                failed++;
            }
        }
        if (failed > 0) {
            say("failed pairs (no face found, scored -1): %d", failed);
            int shown = 0;
            for (int i = 0; i < n && shown < 20; i++) {
                if (pass1[i].failed()) {
                    say("  line %d: %s  %s  same=%s: %s", pairs.get(i).line(), pairs.get(i).pathA(), pairs.get(i).pathB(), same[i], pass1[i].failure());
                    shown++;
                }
            }
        }
        VerificationMetrics.Threshold best = VerificationMetrics.bestThreshold(scores, same);
        double accuracy;
        int folds;
        if (file.hasFolds()) {
            Map<String, Integer> foldIds = new LinkedHashMap<>();
            int[] foldOf = new int[n];
            for (int i = 0; i < n; i++) {
                foldOf[i] = foldIds.computeIfAbsent(pairs.get(i).fold(), k -> foldIds.size());
            }
            if (foldIds.size() < 2) {
                foldOf = VerificationMetrics.foldsByIndex(n, 10);
                say(
                    "fold column holds %d distinct fold(s) (%s): splitting the pairs into %d folds by index (pair i -> fold i %% 10)",
                    foldIds.size(),
                    String.join(", ", foldIds.keySet()),
                    Math.min(10, n)
                );
            } else {
                say("k-fold over the %d folds of the fold column (%s)", foldIds.size(), String.join(", ", foldIds.keySet()));
            }
            if (n < 2) {
                accuracy = best.accuracy();
                folds = 1;
                say("fewer than 2 pairs: accuracy is the best single threshold's");
            } else {
                VerificationMetrics.FoldResult result = VerificationMetrics.kFoldAccuracy(scores, same, foldOf);
                accuracy = result.accuracy();
                folds = result.folds();
                say(
                    "k-fold accuracy %.4f +- %.4f over %d folds (each threshold chosen on the other folds; thresholds %s)",
                    accuracy,
                    result.stddev(),
                    folds,
                    formatAll(result.thresholds())
                );
            }
        } else {
            accuracy = best.accuracy();
            folds = 1;
            say("no fold column: accuracy = best single threshold over all pairs (chosen on the pairs it is measured on)");
        }
        int rightAtNodeThreshold = 0;
        for (int i = 0; i < n; i++) {
            if ((scores[i] >= nodeThreshold) == same[i]) {
                rightAtNodeThreshold++;
            }
        }
        double accuracyAtNodeThreshold = (double) rightAtNodeThreshold / n;
        double tar = VerificationMetrics.tarAtFar(scores, same, FAR);
        double meanSame = VerificationMetrics.mean(scores, same, true, ok);
        double meanDifferent = VerificationMetrics.mean(scores, same, false, ok);
        say(
            "best threshold %.4f -> accuracy %.4f; node threshold %.2f -> accuracy %.4f; TAR %.4f at FAR 1e-3 (threshold %.4f); "
                + "mean similarity same %.4f, different %.4f",
            best.threshold(),
            best.accuracy(),
            nodeThreshold,
            accuracyAtNodeThreshold,
            tar,
            VerificationMetrics.thresholdAtFar(scores, same, FAR),
            meanSame,
            meanDifferent
        );
        int shownErrors = 0;
        for (int i = 0; i < n && shownErrors < 15; i++) {
            if ((scores[i] > best.threshold()) != same[i] && pass1[i].failed() == false) {
                say(
                    "  wrong at the best threshold: line %d %s  %s  same=%s similarity %.4f (in-process %.4f)",
                    pairs.get(i).line(),
                    pairs.get(i).pathA(),
                    pairs.get(i).pathB(),
                    same[i],
                    scores[i],
                    engineScores[i]
                );
                shownErrors++;
            }
        }

        if (pairsOut != null) {
            writePairs(pairs, pass1, engineScores);
            say("per-pair results written to %s", pairsOut);
        }

        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("mode", "verify");
        figures.put("pairs", Integer.toString(n));
        figures.put("failed", Integer.toString(failed));
        figures.put("accuracy", f4(accuracy));
        figures.put("accuracy_best_threshold", f4(best.accuracy()));
        figures.put("best_threshold", f4(best.threshold()));
        figures.put("tar_at_far_1e-3", f4(tar));
        figures.put("mean_same", f4(meanSame));
        figures.put("mean_different", f4(meanDifferent));
        figures.put("pairs_per_s", f2(pairsPerSecond));
        figures.put("latency_p50_ms", f2(p50));
        figures.put("latency_p99_ms", f2(p99));
        figures.put("node_ms_per_photo", f2(nodeMsPerPhoto));
        figures.put("raw_inference_ms_per_photo", f2(rawInferenceMs));
        figures.put("overhead", String.format(Locale.ROOT, "%.3f", overhead));
        figures.put("folds", Integer.toString(folds));
        figures.put("accuracy_at_node_threshold", f4(accuracyAtNodeThreshold));
        figures.put("node_threshold", f4(nodeThreshold));
        figures.put("concurrency", Integer.toString(concurrency));
        figures.put("flip_average", Boolean.toString(flipAverage));
        figures.put("raw_analysis_ms_per_photo", f2(rawTotalMs));
        figures.put("raw_analysis_cpu_ms_per_photo", f2(rawCpuMs));
        // Weighted like the node's figure (a photo counts once per pair it is in): the fair comparison when
        // photos of very different sizes appear in different numbers of pairs.
        figures.put("raw_inference_ms_per_photo_weighted", f2(weightedInferenceMs));
        figures.put("raw_analysis_ms_per_photo_weighted", f2(weightedTotalMs));
        figures.put("overhead_weighted", String.format(Locale.ROOT, "%.3f", nodeMsPerPhoto / weightedInferenceMs));
        figures.put("node_took_ms_per_photo", f2(nodeTookMsPerPhoto));
        figures.put("node_cpu_ms_per_photo", f2(nodeCpuMsPerPhoto));
        figures.put("engine_max_diff", String.format(Locale.ROOT, "%.2g", engineMaxDiff));
        figures.put("pass2_mismatches", Integer.toString(mismatches));
        Bench.printFigures(figures);
    }

    /** One pair through the node; a photo without a face is a failed pair, any other error ends the benchmark. */
    private PairResult verify(int i, List<PairsFile.Pair> pairs, int[][] pairPhotos, List<Photo> photos) {
        List<byte[]> body = List.of(
            "{\"image_a\":\"".getBytes(StandardCharsets.US_ASCII),
            photos.get(pairPhotos[i][0]).base64(),
            "\",\"image_b\":\"".getBytes(StandardCharsets.US_ASCII),
            photos.get(pairPhotos[i][1]).base64(),
            "\"}".getBytes(StandardCharsets.US_ASCII)
        );
        for (int attempt = 0;; attempt++) {
            NodeHttpClient.Response response = client.post(VERIFY_PATH, body);
            if (response.status() == 200 && response.body() != null && response.body().get("similarity") instanceof Number similarity) {
                Object took = response.body().get("took");
                return new PairResult(similarity.doubleValue(), null, response.nanos(), took instanceof Number t ? t.longValue() : -1);
            }
            if (response.status() == 400 && NO_FACE.equals(response.errorType())) {
                return new PairResult(-1, response.errorReason(), response.nanos(), -1);
            }
            if (response.status() == 429 && attempt < MAX_429_RETRIES) {
                rejections.incrementAndGet();
                BenchThreads.sleep(Math.min(1000, 20L * (attempt + 1)));
                continue;
            }
            PairsFile.Pair pair = pairs.get(i);
            throw new BenchException(
                "pair on line " + pair.line() + " (" + pair.pathA() + ", " + pair.pathB() + "): " + response.describe()
            );
        }
    }

    /** Runs every pair from {@link #concurrency} client threads; returns the wall time. */
    private long parallel(int n, PairResult[] results, List<PairsFile.Pair> pairs, int[][] pairPhotos, List<Photo> photos) {
        return BenchThreads.parallel(n, concurrency, i -> results[i] = verify(i, pairs, pairPhotos, photos));
    }

    private void writePairs(List<PairsFile.Pair> pairs, PairResult[] pass1, double[] engineScores) throws IOException {
        if (pairsOut.getParent() != null) {
            Files.createDirectories(pairsOut.getParent());
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(pairsOut, StandardCharsets.UTF_8))) {
            out.println("line\tfold\tpath1\tpath2\tsame\tnode_similarity\tengine_similarity\tlatency_ms\tfailure");
            for (int i = 0; i < pairs.size(); i++) {
                PairsFile.Pair p = pairs.get(i);
                out.printf(
                    Locale.ROOT,
                    "%d\t%s\t%s\t%s\t%d\t%.6f\t%.6f\t%.2f\t%s%n",
                    p.line(),
                    p.fold() == null ? "" : p.fold(),
                    p.pathA(),
                    p.pathB(),
                    p.same() ? 1 : 0,
                    pass1[i].failed() ? -1.0 : pass1[i].similarity(),
                    engineScores[i],
                    pass1[i].nanos() / 1e6,
                    pass1[i].failed() ? pass1[i].failure().replace('\t', ' ') : ""
                );
            }
        }
    }

    private static String describe(PairResult r) {
        return r.failed() ? "no face (" + r.failure() + ")" : String.format(Locale.ROOT, "similarity %.6f", r.similarity());
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    private static String formatAll(double[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", values[i]));
        }
        return b.append(']').toString();
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
