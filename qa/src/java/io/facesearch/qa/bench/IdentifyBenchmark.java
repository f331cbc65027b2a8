package io.facesearch.qa.bench;

import io.facesearch.vision.identify.IdentityVote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code identify} mode: 1:N identification through a node's {@code POST _plugins/_face/identify}, closed and open set.
 *
 * <ol>
 *   <li>Closed set: every {@code gallery} and {@code gallery_distractor} photo of the split is bulk-enrolled into a photo
 *       index made with {@code PUT _plugins/_face/index/bench_gallery} (1 shard), labelled by the document field
 *       {@code identity}. Every probe is identified once with the largest k2 of the grid and threshold -1, which returns
 *       the nearest photos (identity and similarity); the k1/k2/threshold grid is then voted offline with
 *       {@link IdentityVote}, the node's own class, and the best setting is run again through the API for the reported
 *       figures (and timed).</li>
 *   <li>Open set: the gallery photos of a seeded random fraction of the gallery identities are left out of a second
 *       index {@code bench_gallery_open}; their probes must be answered Unknown. The threshold is swept offline on the
 *       candidates (k1/k2 as chosen): FNIR at the smallest threshold whose FPIR is at most 1%, and the API's FNIR/FPIR
 *       at the chosen threshold.</li>
 *   <li>Misses: every closed-set probe not given its identity, with the nearest candidates and a diagnosis from the
 *       probe's faces (detect) against the faces enrolled for its true identity.</li>
 * </ol>
 */
final class IdentifyBenchmark {
    static final String USAGE = """
        identify --images DIR --split FILE --url URL --models DIR [--unknown-fraction F] [--k1 K] [--k2 K] [--threshold T]
                 [--seed S] [--gallery-seed S] [--split-out FILE] [--bulk-size N] [--max-faces N]
          --images DIR           folder the split's paths are relative to
          --split FILE           path<TAB>identity<TAB>role, role gallery | gallery_distractor | probe (header skipped)
          --unknown-fraction F   share of the gallery identities left out of the open-set gallery (default 0.2)
          --k1 K --k2 K --threshold T   the vote; each one not given is chosen on the closed set from
                                 k1 {1,3,5}, k2 {5,10,20}, threshold {0.20,0.25,...,0.50}
          --seed S               seed of the open-set choice (default 1)
          --gallery-seed S       pick the gallery photo of each identity again at random (seeded) before running
          --split-out FILE       write the split used (after --gallery-seed) to FILE
          --bulk-size N          photos per enrolment _bulk request (default 50)
          --max-faces N          enrol only the N largest faces of each gallery photo (the face processor's max_faces;
                                 default: the node's, every face)""";

    static final String CLOSED_INDEX = "bench_gallery";
    static final String OPEN_INDEX = "bench_gallery_open";
    private static final String IDENTIFY_PATH = "/_plugins/_face/identify";
    private static final String NO_FACE = "no_face_found_exception";
    private static final int[] K1_GRID = { 1, 3, 5 };
    private static final int[] K2_GRID = { 5, 10, 20 };
    private static final float[] THRESHOLD_GRID = IdentifyMetrics.range(0.2, 0.5, 0.05);
    private static final double FPIR_TARGET = 0.01;
    private static final int MAX_429_RETRIES = 50;
    private static final int WARMUP = 5;
    /** Below this the true identity's face is as far from the probe as faces of unrelated people usually are. */
    private static final double UNRELATED = 0.1;

    private final Path images;
    private final Path splitPath;
    private final double unknownFraction;
    private final Integer k1;
    private final Integer k2;
    private final Float threshold;
    private final long seed;
    private final Long gallerySeed;
    private final Path splitOut;
    private final int bulkSize;
    private final int maxFaces;
    private final NodeHttpClient client;

    IdentifyBenchmark(BenchOptions options) {
        this.images = options.path("images", "folder the split's paths are relative to");
        this.splitPath = options.path("split", "identification split, path<TAB>identity<TAB>role");
        this.unknownFraction = doubleOption(options, "unknown-fraction", 0.2);
        if (unknownFraction < 0 || unknownFraction >= 1) {
            throw new BenchException("--unknown-fraction must be in [0, 1), got " + unknownFraction);
        }
        String k1Value = options.value("k1");
        this.k1 = k1Value == null ? null : options.intValue("k1", 3, 1);
        String k2Value = options.value("k2");
        this.k2 = k2Value == null ? null : options.intValue("k2", 10, 1);
        if (k1 != null && k2 != null && k1 > k2) {
            throw new BenchException("--k1 must not be larger than --k2");
        }
        String t = options.value("threshold");
        this.threshold = t == null ? null : (float) doubleOption(options, "threshold", 0.3);
        if (threshold != null && (threshold < -1 || threshold > 1)) {
            throw new BenchException("--threshold must be a cosine similarity in [-1, 1], got " + threshold);
        }
        this.seed = longOption(options, "seed", 1);
        String gs = options.value("gallery-seed");
        this.gallerySeed = gs == null ? null : longOption(options, "gallery-seed", 0);
        String out = options.value("split-out");
        this.splitOut = out == null ? null : Path.of(out).toAbsolutePath().normalize();
        this.bulkSize = options.intValue("bulk-size", 50, 1);
        this.maxFaces = options.intValue("max-faces", 0, 1);
        options.value("models"); // passed by qa/bench to every mode; this one needs no models in-process
        this.client = new NodeHttpClient(options.required("url", "the node, e.g. http://127.0.0.1:9200"));
        options.checkAllUsed();
    }

    /** One photo of the split, read. */
    private record Photo(IdentifySplit.Entry entry, String id, byte[] base64) {}

    /** One identify answer: decision, candidates (null: no face in the probe), query face index, timings. */
    private record Answer(String identity, List<IdentityVote.Candidate> candidates, int queryFace, long nanos, long took) {
        boolean noFace() {
            return candidates == null;
        }
    }

    void run() throws IOException {
        if (Files.isDirectory(images) == false) {
            throw new BenchException("--images " + images + " is not a folder");
        }
        IdentifySplit split;
        try {
            split = IdentifySplit.read(splitPath);
        } catch (NoSuchFileException e) {
            throw new BenchException("--split " + splitPath + " does not exist");
        } catch (IllegalArgumentException e) {
            throw new BenchException(e.getMessage());
        }
        if (gallerySeed != null) {
            split = split.regallery(gallerySeed);
            say("gallery photos picked again at random with --gallery-seed %d", gallerySeed);
        }
        if (splitOut != null) {
            Files.writeString(splitOut, split.format(), StandardCharsets.UTF_8);
            say("split written to %s", splitOut);
        }

        List<Photo> enrolled = new ArrayList<>();
        List<Photo> probes = new ArrayList<>();
        long bytes = 0;
        int n = 0;
        for (IdentifySplit.Entry e : split.entries()) {
            Path file = images.resolve(e.path()).normalize();
            byte[] data;
            try {
                data = Files.readAllBytes(file);
            } catch (NoSuchFileException ex) {
                throw new BenchException("photo [" + e.path() + "] of " + splitPath.getFileName() + " not found: " + file);
            }
            bytes += data.length;
            Photo photo = new Photo(e, "p" + (n++), Base64.getEncoder().encode(data));
            (e.enrolled() ? enrolled : probes).add(photo);
        }
        List<String> galleryIdentities = split.galleryIdentities();
        say(
            "bench identify: %s: %d enrolled photos (%d gallery identities + %d distractors), %d probes; %.1f MB under %s",
            splitPath,
            enrolled.size(),
            galleryIdentities.size(),
            enrolled.stream().filter(p -> p.entry().role().equals(IdentifySplit.DISTRACTOR)).count(),
            probes.size(),
            bytes / 1e6,
            images
        );
        if (probes.isEmpty()) {
            throw new BenchException("the split has no probe");
        }
        NodeModels models = NodeModels.read(client);
        say("node: %s; %s", client.base(), models.describe());

        // --- closed set ------------------------------------------------------------------------------------------------
        Enrolment closed = enrol(CLOSED_INDEX, enrolled);
        for (int i = 0; i < Math.min(WARMUP, probes.size()); i++) {
            identify(CLOSED_INDEX, probes.get(i), 1, 1, -1f);
        }
        int k2Max = k2 != null ? k2 : K2_GRID[K2_GRID.length - 1];
        Answer[] closedCandidates = new Answer[probes.size()];
        long passStart = System.nanoTime();
        for (int i = 0; i < probes.size(); i++) {
            closedCandidates[i] = identify(CLOSED_INDEX, probes.get(i), 1, k2Max, -1f);
        }
        say("candidate pass (closed set, k2=%d, threshold -1): %d probes in %.1f s", k2Max, probes.size(), BenchThreads.seconds(System.nanoTime() - passStart));
        List<IdentifyMetrics.Probe> closedProbes = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            IdentifySplit.Entry e = probes.get(i).entry();
            closedProbes.add(new IdentifyMetrics.Probe(e.path(), e.identity(), true, closedCandidates[i].candidates()));
        }
        int noFaceProbes = 0;
        for (Answer a : closedCandidates) {
            if (a.noFace()) {
                noFaceProbes++;
            }
        }

        int[] k1s = k1 != null ? new int[] { k1 } : K1_GRID;
        int[] k2s = k2 != null ? new int[] { k2 } : K2_GRID;
        float[] ts = threshold != null ? new float[] { threshold } : THRESHOLD_GRID;
        List<IdentifyMetrics.Setting> grid = IdentifyMetrics.grid(closedProbes, k1s, k2s, ts);
        printGrid(grid, ts);
        IdentifyMetrics.Setting chosen = IdentifyMetrics.choose(grid);
        if (chosen == null) {
            throw new BenchException("no valid k1/k2 setting (k1 must not exceed k2)");
        }
        double rank1Nearest = IdentifyMetrics.rank1Nearest(closedProbes);
        say(
            "chosen (highest closed-set rank-1; ties: higher threshold, smaller k2, smaller k1): k1=%d k2=%d threshold=%s "
                + "(offline rank1 %.4f; nearest neighbour alone %.4f)",
            chosen.k1(),
            chosen.k2(),
            f2(chosen.threshold()),
            chosen.rank1(),
            rank1Nearest
        );

        // The chosen setting through the API: the reported figures and the timings.
        IdentityVote vote = chosen.vote();
        Answer[] closedAnswers = new Answer[probes.size()];
        passStart = System.nanoTime();
        for (int i = 0; i < probes.size(); i++) {
            closedAnswers[i] = identify(CLOSED_INDEX, probes.get(i), chosen.k1(), chosen.k2(), chosen.threshold());
        }
        long closedPassNanos = System.nanoTime() - passStart;
        int right = 0;
        int offlineDisagreements = 0;
        double[] latency = new double[probes.size()];
        double[] took = new double[probes.size()];
        for (int i = 0; i < probes.size(); i++) {
            Answer a = closedAnswers[i];
            if (a.identity().equals(probes.get(i).entry().identity())) {
                right++;
            }
            if (a.identity().equals(IdentifyMetrics.answer(closedProbes.get(i), vote)) == false) {
                offlineDisagreements++;
            }
            latency[i] = a.nanos() / 1e6;
            took[i] = a.took();
        }
        double rank1 = (double) right / probes.size();
        double p50 = VerificationMetrics.percentile(latency, 50);
        double p99 = VerificationMetrics.percentile(latency, 99);
        double tookP50 = VerificationMetrics.percentile(took, 50);
        say(
            "closed set through the API (k1=%d k2=%d threshold=%s): rank1 %.4f (%d/%d), %d probe(s) with no face; %s; "
                + "%d probes in %.1f s, latency p50 %.1f ms, p99 %.1f ms, node took p50 %.0f ms; load average %s",
            chosen.k1(),
            chosen.k2(),
            f2(chosen.threshold()),
            rank1,
            right,
            probes.size(),
            noFaceProbes,
            offlineDisagreements == 0 ? "every answer equals the offline vote" : offlineDisagreements + " answer(s) DIFFER from the offline vote",
            probes.size(),
            BenchThreads.seconds(closedPassNanos),
            p50,
            p99,
            tookP50,
            Bench.loadAverage()
        );
        misses(probes, closedAnswers, closedCandidates, closed, vote);
        say("closed set: %s", secondaryFaces(closedProbes, vote));

        // --- open set --------------------------------------------------------------------------------------------------
        Set<String> leftOut = split.leaveOut(unknownFraction, seed);
        List<Photo> openEnrolled = new ArrayList<>();
        for (Photo p : enrolled) {
            if (p.entry().role().equals(IdentifySplit.GALLERY) && leftOut.contains(p.entry().identity())) {
                continue;
            }
            openEnrolled.add(p);
        }
        int unknownProbes = 0;
        for (Photo p : probes) {
            if (leftOut.contains(p.entry().identity())) {
                unknownProbes++;
            }
        }
        say(
            "open set: %d of %d gallery identities left out (--unknown-fraction %s, --seed %d): %d enrolled photos; %d known and %d unknown probes",
            leftOut.size(),
            galleryIdentities.size(),
            unknownFraction,
            seed,
            openEnrolled.size(),
            probes.size() - unknownProbes,
            unknownProbes
        );
        enrol(OPEN_INDEX, openEnrolled);
        List<IdentifyMetrics.Probe> openProbes = new ArrayList<>();
        for (Photo p : probes) {
            Answer a = identify(OPEN_INDEX, p, 1, chosen.k2(), -1f);
            openProbes.add(
                new IdentifyMetrics.Probe(p.entry().path(), p.entry().identity(), leftOut.contains(p.entry().identity()) == false, a.candidates())
            );
        }
        float[] sweepThresholds = IdentifyMetrics.range(0, 1, 0.001);
        List<IdentifyMetrics.OpenSet> sweep = IdentifyMetrics.sweep(openProbes, chosen.k1(), chosen.k2(), sweepThresholds);
        StringBuilder curve = new StringBuilder();
        for (IdentifyMetrics.OpenSet p : sweep) {
            int milli = Math.round(p.threshold() * 1000);
            if (milli >= 100 && milli <= 700 && milli % 50 == 0) {
                curve.append(String.format(Locale.ROOT, " t=%.2f:fnir=%.3f,fpir=%.3f", p.threshold(), p.fnir(), p.fpir()));
            }
        }
        say("open-set sweep (offline, k1=%d k2=%d):%s", chosen.k1(), chosen.k2(), curve);
        IdentifyMetrics.OpenSet atTarget = IdentifyMetrics.atFpir(sweep, FPIR_TARGET);
        if (atTarget == null) {
            say("no threshold up to 1.0 brings FPIR to %.2f or below", FPIR_TARGET);
        } else {
            say(
                "FNIR at FPIR <= %.2f: %.4f at threshold %.3f (FPIR %.4f: %d of %d unknown probes accepted; %d of %d known probes missed)",
                FPIR_TARGET,
                atTarget.fnir(),
                atTarget.threshold(),
                atTarget.fpir(),
                atTarget.falseAccepts(),
                atTarget.unknownProbes(),
                atTarget.missed(),
                atTarget.knownProbes()
            );
        }
        say("open set at the chosen threshold: %s", secondaryFaces(openProbes, vote));
        if (atTarget != null) {
            say(
                "open set at threshold %.3f: %s",
                atTarget.threshold(),
                secondaryFaces(openProbes, new IdentityVote(chosen.k1(), chosen.k2(), atTarget.threshold()))
            );
        }
        // The chosen operating point through the API.
        int openMissed = 0;
        int openFalse = 0;
        int openKnown = 0;
        int openDisagreements = 0;
        for (int i = 0; i < probes.size(); i++) {
            Answer a = identify(OPEN_INDEX, probes.get(i), chosen.k1(), chosen.k2(), chosen.threshold());
            IdentifyMetrics.Probe p = openProbes.get(i);
            if (p.known()) {
                openKnown++;
                if (p.truth().equals(a.identity()) == false) {
                    openMissed++;
                }
            } else if (IdentityVote.UNKNOWN.equals(a.identity()) == false) {
                openFalse++;
            }
            if (a.identity().equals(IdentifyMetrics.answer(p, vote)) == false) {
                openDisagreements++;
            }
        }
        double openFnir = openKnown == 0 ? Double.NaN : (double) openMissed / openKnown;
        double openFpir = unknownProbes == 0 ? Double.NaN : (double) openFalse / unknownProbes;
        say(
            "open set through the API at the chosen threshold %s: FNIR %.4f (%d/%d known probes missed), FPIR %.4f (%d/%d unknown probes given an "
                + "identity); %s",
            f2(chosen.threshold()),
            openFnir,
            openMissed,
            openKnown,
            openFpir,
            openFalse,
            unknownProbes,
            openDisagreements == 0 ? "every answer equals the offline vote" : openDisagreements + " answer(s) DIFFER from the offline vote"
        );

        System.out.println(
            String.format(
                Locale.ROOT,
                "rank1=%.4f rank1_nearest=%.4f fnir_at_fpir_0.01=%s threshold_at_fpir_0.01=%s k1=%d k2=%d threshold=%s probes=%d gallery=%d "
                    + "unknown_probes=%d identify_ms_p50=%.1f identify_ms_p99=%.1f took_ms_p50=%.0f fnir=%.4f fpir=%.4f open_gallery=%d "
                    + "no_face_probes=%d gallery_no_face=%d enrol_s=%.1f",
                rank1,
                rank1Nearest,
                atTarget == null ? "NaN" : String.format(Locale.ROOT, "%.4f", atTarget.fnir()),
                atTarget == null ? "NaN" : String.format(Locale.ROOT, "%.3f", atTarget.threshold()),
                chosen.k1(),
                chosen.k2(),
                f2(chosen.threshold()),
                probes.size(),
                enrolled.size(),
                unknownProbes,
                p50,
                p99,
                tookP50,
                openFnir,
                openFpir,
                openEnrolled.size(),
                noFaceProbes,
                closed.noFace().size(),
                closed.seconds()
            )
        );
    }

    // --- enrolment -------------------------------------------------------------------------------------------------------

    /** What enrolment left: document ids of each identity, photos with no face, photos with several faces. */
    private record Enrolment(String index, Map<String, List<String>> idsByIdentity, Map<String, String> pathById, List<String> noFace,
        List<String> severalFaces, double seconds) {}

    private Enrolment enrol(String index, List<Photo> photos) {
        client.request("DELETE", "/" + index, null, null); // 404 when absent
        client.ok(
            "PUT",
            "/_plugins/_face/index/" + index,
            "{\"processor\":{\"remove_image\":true" + (maxFaces > 0 ? ",\"max_faces\":" + maxFaces : "") + "},\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,\"auto_expand_replicas\":\"false\"}}"
        );
        long start = System.nanoTime();
        int failed = 0;
        for (int from = 0; from < photos.size(); from += bulkSize) {
            List<byte[]> parts = new ArrayList<>();
            for (Photo p : photos.subList(from, Math.min(photos.size(), from + bulkSize))) {
                String head = "{\"index\":{\"_id\":" + BenchJson.string(p.id()) + "}}\n{\"identity\":" + BenchJson.string(p.entry().identity())
                    + ",\"path\":" + BenchJson.string(p.entry().path()) + ",\"image\":\"";
                parts.add(head.getBytes(StandardCharsets.UTF_8));
                parts.add(p.base64());
                parts.add("\"}\n".getBytes(StandardCharsets.UTF_8));
            }
            NodeHttpClient.Response r = retry429(() -> client.post("/" + index + "/_bulk", parts));
            if (r.status() != 200 || r.body() == null) {
                throw new BenchException("bulk into " + index + " answered " + r.describe());
            }
            for (Map<String, Object> item : BenchJson.objects(r.body().get("items"))) {
                Object result = item.values().iterator().next();
                if (result instanceof Map<?, ?> m && m.get("error") != null) {
                    if (failed < 10) {
                        say("  enrolment failure: %s: %s", m.get("_id"), m.get("error"));
                    }
                    failed++;
                }
            }
        }
        client.ok("POST", "/" + index + "/_refresh", null);
        double seconds = BenchThreads.seconds(System.nanoTime() - start);

        Map<String, List<String>> idsByIdentity = new HashMap<>();
        Map<String, String> pathById = new HashMap<>();
        List<String> noFace = new ArrayList<>();
        List<String> several = new ArrayList<>();
        Map<String, Object> hits = client.ok(
            "POST",
            "/" + index + "/_search",
            "{\"size\":10000,\"_source\":[\"identity\",\"path\",\"photo.face_count\"],\"sort\":[\"_doc\"]}"
        ).body();
        for (Map<String, Object> hit : BenchJson.objects(NodeHttpClient.at(hits, "hits.hits"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> source = (Map<String, Object>) hit.get("_source");
            String id = String.valueOf(hit.get("_id"));
            String path = String.valueOf(source.get("path"));
            idsByIdentity.computeIfAbsent(String.valueOf(source.get("identity")), k -> new ArrayList<>()).add(id);
            pathById.put(id, path);
            double faces = BenchJson.number(NodeHttpClient.at(source, "photo.face_count"), 0);
            if (faces == 0) {
                noFace.add(path);
            } else if (faces > 1) {
                several.add(path);
            }
        }
        say(
            "enrolled %d photos into %s (1 shard, bulk size %d%s) in %.1f s incl. refresh; %d failed; %d with no face%s; %d with several faces",
            pathById.size(),
            index,
            bulkSize,
            maxFaces > 0 ? ", max_faces " + maxFaces : "",
            seconds,
            failed,
            noFace.size(),
            noFace.isEmpty() ? "" : " " + noFace,
            several.size()
        );
        return new Enrolment(index, idsByIdentity, pathById, noFace, several, seconds);
    }

    // --- identify ----------------------------------------------------------------------------------------------------

    private Answer identify(String index, Photo probe, int k1, int k2, float threshold) {
        String head = "{\"index\":" + BenchJson.string(index) + ",\"k1\":" + k1 + ",\"k2\":" + k2 + ",\"threshold\":" + threshold + ",\"image\":\"";
        List<byte[]> parts = List.of(head.getBytes(StandardCharsets.UTF_8), probe.base64(), "\"}".getBytes(StandardCharsets.UTF_8));
        NodeHttpClient.Response r = retry429(() -> client.post(IDENTIFY_PATH, parts));
        if (r.status() == 400 && NO_FACE.equals(r.errorType())) {
            return new Answer(IdentityVote.UNKNOWN, null, -1, r.nanos(), -1);
        }
        if (r.status() != 200 || r.body() == null) {
            throw new BenchException("identify of [" + probe.entry().path() + "] answered " + r.describe());
        }
        List<IdentityVote.Candidate> candidates = new ArrayList<>();
        for (Map<String, Object> c : BenchJson.objects(r.body().get("candidates"))) {
            Object identity = c.get("identity");
            candidates.add(
                new IdentityVote.Candidate(
                    identity == null ? null : identity.toString(),
                    (float) BenchJson.number(c.get("similarity"), -1),
                    c.get("_index") + "/" + c.get("_id"),
                    (int) BenchJson.number(c.get("face"), 0)
                )
            );
        }
        return new Answer(
            String.valueOf(r.body().get("identity")),
            candidates,
            (int) BenchJson.number(NodeHttpClient.at(r.body(), "query_face.index"), -1),
            r.nanos(),
            (long) BenchJson.number(r.body().get("took"), -1)
        );
    }

    private NodeHttpClient.Response retry429(java.util.function.Supplier<NodeHttpClient.Response> call) {
        for (int attempt = 0;; attempt++) {
            NodeHttpClient.Response r = call.get();
            if (r.status() != 429 || attempt >= MAX_429_RETRIES) {
                return r;
            }
            try {
                Thread.sleep(50L * (attempt + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted", e);
            }
        }
    }

    // --- reports ---------------------------------------------------------------------------------------------------------

    private void printGrid(List<IdentifyMetrics.Setting> grid, float[] thresholds) {
        StringBuilder header = new StringBuilder("offline rank1 grid (closed set)   threshold:");
        for (float t : thresholds) {
            header.append(String.format(Locale.ROOT, " %6s", f2(t)));
        }
        say("%s", header);
        Map<String, StringBuilder> rows = new LinkedHashMap<>();
        for (IdentifyMetrics.Setting s : grid) {
            rows.computeIfAbsent(String.format(Locale.ROOT, "  k1=%d k2=%-2d", s.k1(), s.k2()), k -> new StringBuilder())
                .append(String.format(Locale.ROOT, " %6.4f", s.rank1()));
        }
        for (Map.Entry<String, StringBuilder> row : rows.entrySet()) {
            say("%-45s%s", row.getKey(), row.getValue());
        }
    }

    /**
     * Every closed-set miss: the answer, the nearest candidates, where the truth ranks, and a diagnosis from the probe's
     * faces against the faces enrolled for its true identity.
     */
    private void misses(List<Photo> probes, Answer[] answers, Answer[] candidatePass, Enrolment enrolment, IdentityVote vote) {
        Map<String, Integer> causes = new TreeMap<>();
        int misses = 0;
        for (int i = 0; i < probes.size(); i++) {
            Photo probe = probes.get(i);
            String truth = probe.entry().identity();
            if (truth.equals(answers[i].identity())) {
                continue;
            }
            misses++;
            Answer wide = candidatePass[i];
            String cause;
            StringBuilder detail = new StringBuilder();
            if (wide.noFace()) {
                cause = "no face found in the probe";
            } else {
                StringBuilder near = new StringBuilder();
                int truthRank = -1;
                for (int c = 0; c < wide.candidates().size(); c++) {
                    IdentityVote.Candidate cand = wide.candidates().get(c);
                    if (c < 3) {
                        near.append(
                            String.format(
                                Locale.ROOT,
                                "%s%s %.3f (face %d)",
                                c == 0 ? "" : ", ",
                                cand.identity(),
                                cand.similarity(),
                                cand.face()
                            )
                        );
                    }
                    if (truthRank < 0 && truth.equals(cand.identity())) {
                        truthRank = c + 1;
                    }
                }
                detail.append(" nearest: ").append(near).append("; truth rank ").append(truthRank < 0 ? "> " + wide.candidates().size() : truthRank);
                List<String> truthIds = enrolment.idsByIdentity().getOrDefault(truth, List.of());
                List<float[]> truthFaces = new ArrayList<>();
                for (String id : truthIds) {
                    truthFaces.addAll(faceEmbeddings(enrolment.index(), id));
                }
                if (truthFaces.isEmpty()) {
                    cause = truthIds.isEmpty() ? "truth has no enrolled photo" : "no face found in the truth's gallery photo(s)";
                } else {
                    List<float[]> probeFaces = detectEmbeddings(probe);
                    int main = wide.queryFace();
                    double mainSim = Double.NaN;
                    double bestOther = -2;
                    int bestOtherFace = -1;
                    for (int f = 0; f < probeFaces.size(); f++) {
                        double s = -2;
                        for (float[] g : truthFaces) {
                            s = Math.max(s, cosine(probeFaces.get(f), g));
                        }
                        if (f == main) {
                            mainSim = s;
                        } else if (s > bestOther) {
                            bestOther = s;
                            bestOtherFace = f;
                        }
                    }
                    detail.append(
                        String.format(
                            Locale.ROOT,
                            "; probe has %d face(s), main face %d vs truth %.3f",
                            probeFaces.size(),
                            main,
                            mainSim
                        )
                    );
                    if (bestOtherFace >= 0) {
                        detail.append(String.format(Locale.ROOT, ", best other face %d vs truth %.3f", bestOtherFace, bestOther));
                    }
                    if (enrolment.severalFaces().stream().anyMatch(p -> enrolment.idsByIdentity().getOrDefault(truth, List.of()).stream()
                        .anyMatch(id -> p.equals(enrolment.pathById().get(id))))) {
                        detail.append("; the truth's gallery photo has several faces");
                    }
                    if (bestOtherFace >= 0 && bestOther >= vote.threshold() && bestOther > mainSim + 0.1) {
                        cause = "main face of the probe is not the labelled person";
                    } else if (mainSim < UNRELATED) {
                        cause = "probe and gallery as far apart as unrelated faces (a label error?)";
                    } else if (mainSim < vote.threshold()) {
                        cause = "probe and gallery below the threshold (pose, age, quality or label)";
                    } else {
                        cause = "another identity is closer (impostor above the truth)";
                    }
                }
            }
            causes.merge(cause, 1, Integer::sum);
            say("miss: %s truth=%s answer=%s: %s;%s", probe.entry().path(), truth, answers[i].identity(), cause, detail);
        }
        say("misses: %d of %d probes; by cause: %s", misses, probes.size(), causes);
    }

    /**
     * How many answers were decided by a secondary face of a gallery photo (face index above 0: not its largest face,
     * often a bystander labelled with the photo's identity).
     */
    static String secondaryFaces(List<IdentifyMetrics.Probe> probes, IdentityVote vote) {
        int right = 0;
        int rightSecondary = 0;
        int wrong = 0;
        int wrongSecondary = 0;
        for (IdentifyMetrics.Probe p : probes) {
            if (p.candidates() == null) {
                continue;
            }
            IdentityVote.Decision d = vote.decide(p.candidates());
            if (d.known() == false) {
                continue;
            }
            boolean secondary = false;
            for (IdentityVote.Candidate c : d.candidates()) {
                if (d.identity().equals(c.identity())) {
                    secondary = c.face() > 0;
                    break;
                }
            }
            if (d.identity().equals(p.truth())) {
                right++;
                rightSecondary += secondary ? 1 : 0;
            } else {
                wrong++;
                wrongSecondary += secondary ? 1 : 0;
            }
        }
        return String.format(
            Locale.ROOT,
            "%d of %d right answers and %d of %d wrong answers (wrong identity, or an unknown person accepted) came from a "
                + "secondary face (face index > 0) of a gallery photo",
            rightSecondary,
            right,
            wrongSecondary,
            wrong
        );
    }

    private List<float[]> faceEmbeddings(String index, String id) {
        NodeHttpClient.Response r = client.get("/" + index + "/_doc/" + id + "?_source_includes=faces.embedding");
        List<float[]> faces = new ArrayList<>();
        if (r.status() == 200 && r.body() != null) {
            for (Map<String, Object> face : BenchJson.objects(NodeHttpClient.at(r.body(), "_source.faces"))) {
                float[] v = BenchJson.floats(face.get("embedding"));
                if (v != null) {
                    faces.add(v);
                }
            }
        }
        return faces;
    }

    /** The embeddings of every face of the probe, in detect's order (the order of {@code query_face.index}). */
    private List<float[]> detectEmbeddings(Photo probe) {
        List<byte[]> parts = List.of(
            "{\"include_embeddings\":true,\"image\":\"".getBytes(StandardCharsets.UTF_8),
            probe.base64(),
            "\"}".getBytes(StandardCharsets.UTF_8)
        );
        NodeHttpClient.Response r = retry429(() -> client.post("/_plugins/_face/detect", parts));
        List<float[]> faces = new ArrayList<>();
        if (r.status() == 200 && r.body() != null) {
            for (Map<String, Object> face : BenchJson.objects(r.body().get("faces"))) {
                faces.add(BenchJson.floats(face.get("embedding")));
            }
        }
        return faces;
    }

    static double cosine(float[] a, float[] b) {
        if (a == null || b == null || a.length != b.length) {
            return Double.NaN;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    // --- options and formatting ------------------------------------------------------------------------------------------

    static double doubleOption(BenchOptions options, String name, double defaultValue) {
        String v = options.value(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new BenchException("--" + name + " must be a number, got [" + v + "]");
        }
    }

    static long longOption(BenchOptions options, String name, long defaultValue) {
        String v = options.value(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new BenchException("--" + name + " must be a whole number, got [" + v + "]");
        }
    }

    private static String f2(float v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static void say(String format, Object... args) {
        VerifyBenchmark.say(format, args);
    }
}
