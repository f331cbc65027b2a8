package io.facesearch.qa.bench;

import io.facesearch.common.StoredVectors;
import io.facesearch.ingest.HnswGraph;
import io.facesearch.ingest.VectorCompression;
import io.facesearch.vision.identify.IdentityVote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * {@code knn} mode: search speed, recall and memory of a photo index at gallery sizes no photo set reaches, with
 * synthetic face vectors shaped like the real ones.
 *
 * <ol>
 *   <li>Synthetic gallery ({@link SyntheticGallery}): the node's models opened in this JVM embed the main face of every
 *       photo under {@code --people} (one folder per identity); {@link SyntheticFaces} is fitted to the mean and standard
 *       deviation of their same-identity and different-identity cosine similarities (printed side by side with the
 *       gallery's), and draws N/10 identities x 10 faces in the model's dimension, seeded.</li>
 *   <li>Index: {@code PUT _plugins/_face/index/NAME} (1 shard, no replica, refresh off while loading), the documents
 *       bulk-indexed without photos ({@code ?pipeline=_none}), refreshed and force-merged to one segment per shard; build and merge
 *       times, size on disk, bytes per face.</li>
 *   <li>Queries: fresh faces of random gallery identities (not indexed vectors), one at a time with {@code face_match}
 *       as a client sends it, each photo with its matching face (latency, node {@code took}, qps; then from 2 clients),
 *       and with every {@code ef_search} of the list. Recall@k against brute force in this JVM, by document id, and how often the
 *       identity vote (k1=3, k2=k, threshold 0.3) on the approximate neighbours equals the vote on the exact ones.</li>
 *   <li>With {@code --compression}, steps 2 and 3 again for each compression, each on its own index (the same faces and
 *       queries), then a table of them side by side with the memory each needs: bytes per face on disk, the bytes per
 *       face of the files an HNSW search reads (graph, and the quantized vectors, or the float vectors without
 *       compression), the k-NN plugin's native graph memory and the heap the index stats report for its segments.</li>
 * </ol>
 */
final class KnnBenchmark {
    static final String USAGE = """
        knn --faces N --url URL --models DIR [--queries Q] [--k K] [--ef-search LIST] [--people DIR] [--seed S]
            [--faces-per-identity F] [--bulk-size B] [--bulk-concurrency C] [--index NAME] [--warmup W]
            [--compression LIST] [--hnsw-m M] [--ef-construction E] [--shards S] [--oversample LIST] [--reuse-index true|false]
            [--drop-page-cache true|false]
          --faces N              synthetic faces in the gallery (N/F identities x F faces)
          --queries Q            query faces (default 500)
          --k K                  neighbours per query (default 10)
          --ef-search LIST       ef_search values of the curve, comma-separated (default 16,32,64,128,256)
          --people DIR           real photos, one folder per identity, for the similarity statistics
                                 (default ../shared/faces/people)
          --seed S               seed of the synthetic vectors (default 1)
          --faces-per-identity F (default 10)
          --bulk-size B          documents per _bulk request (default 2000)
          --bulk-concurrency C   bulk requests in flight (default 2)
          --index NAME           index to (re)create (default bench_knn; NAME_x4, NAME_x32, NAME_int8 for compressed ones)
          --compression LIST     compressions of the face vectors to measure in turn, comma-separated, of none, x4,
                                 x32 and int8 (PUT _plugins/_face/index's compression; default none)
          --hnsw-m M             PUT _plugins/_face/index's hnsw.m: neighbours per face in the graph (default 16)
          --ef-construction E    PUT _plugins/_face/index's hnsw.ef_construction (default 128)
          --shards S             primary shards of each index (default 1): a node searches the shards of one query in
                                 parallel, each with its own graph, merged to one segment each
          --oversample LIST      on a compressed index, face_match again without rescoring and with each of these
                                 rescore.oversample_factor values (default 1,3,10,30; k-NN rescores max(100, k*f))
          --reuse-index B        true: an index that already holds this gallery merged to one segment a shard in a graph built as
                                 asked (an earlier run with the same --faces, --seed, --index and graph, against a node
                                 that kept its data) is searched as it is, not built again (default false)
          --drop-page-cache B    true: empty the machine's page cache (root) before each index's searches, so that what
                                 they leave resident, read with fincore at the end, is what they read (default false)
          --warmup W             warm-up queries before timing, at least (default 2000, and at least 20 s; the node's JIT
                                 needs well over a few hundred searches)""";

    private static final List<String> COMPRESSIONS = Stream.of(VectorCompression.values()).map(VectorCompression::value).toList();
    private static final int VOTE_K1 = 3;
    private static final float VOTE_THRESHOLD = 0.3f;
    private static final int WARM_VECTORS = 200;
    private static final long WARMUP_MIN_NANOS = 20_000_000_000L;
    /** The cosine from which a stored face is the gallery's own, rounded to integers or not. */
    private static final double SAME_DIRECTION = 0.99;

    private final int faces;
    private final int queries;
    private final int k;
    private final int[] efSearch;
    private final Path people;
    private final long seed;
    private final int perIdentity;
    private final int bulkSize;
    private final int bulkConcurrency;
    private final String baseIndex;
    private final List<String> compressions;
    private final HnswGraph graph;
    private final int shards;
    private final float[] oversample;
    /** The index being measured: the base name, with the compression's name after it for a compressed one. */
    private String index;
    /** The oversampling face_match rescores the index with by default; null for an index of floats. */
    private Float indexOversample;
    /** The compression of the index searched: the raw knn query sends its vectors as the field takes them. */
    private VectorCompression indexCompression = VectorCompression.NONE;
    private final int warmup;
    private final boolean reuseIndex;
    private final boolean dropPageCache;
    /** Searches sent to the index being measured. */
    private final AtomicLong searches = new AtomicLong();
    private final Path modelsDir;
    private final NodeHttpClient client;

    KnnBenchmark(BenchOptions options) {
        this.faces = options.intValue("faces", 0, 1);
        if (faces == 0) {
            throw new BenchException("missing --faces N (synthetic faces in the gallery)");
        }
        this.queries = options.intValue("queries", 500, 1);
        this.k = options.intValue("k", 10, 1);
        String list = options.value("ef-search", "16,32,64,128,256");
        try {
            this.efSearch = Stream.of(list.split(",")).map(String::trim).filter(s -> s.isEmpty() == false).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new BenchException("--ef-search must be a comma-separated list of whole numbers, got [" + list + "]");
        }
        this.people = Path.of(options.value("people", "../shared/faces/people")).toAbsolutePath().normalize();
        this.seed = IdentifyBenchmark.longOption(options, "seed", 1);
        this.perIdentity = options.intValue("faces-per-identity", 10, 1);
        this.bulkSize = options.intValue("bulk-size", 2000, 1);
        this.bulkConcurrency = options.intValue("bulk-concurrency", 2, 1);
        this.baseIndex = options.value("index", "bench_knn");
        if (baseIndex.matches("[a-z0-9][a-z0-9_.-]*") == false) {
            throw new BenchException("--index must be a lower-case index name, got [" + baseIndex + "]");
        }
        String compressionList = options.value("compression", "none");
        this.compressions = Stream.of(compressionList.split(",")).map(String::trim).filter(c -> c.isEmpty() == false).distinct().toList();
        if (compressions.isEmpty() || COMPRESSIONS.containsAll(compressions) == false) {
            throw new BenchException("--compression must be a comma-separated list of " + COMPRESSIONS + ", got [" + compressionList + "]");
        }
        try {
            this.graph = new HnswGraph(
                options.intValue("hnsw-m", HnswGraph.DEFAULT.m(), 1),
                options.intValue("ef-construction", HnswGraph.DEFAULT.efConstruction(), 1)
            );
        } catch (IllegalArgumentException e) {
            throw new BenchException("--hnsw-m or --ef-construction: " + e.getMessage());
        }
        this.shards = options.intValue("shards", 1, 1);
        String oversampleList = options.value("oversample", "1,3,10,30");
        List<Float> factors = new ArrayList<>();
        try {
            for (String factor : oversampleList.split(",")) {
                if (factor.isBlank() == false) {
                    factors.add(Float.parseFloat(factor.trim()));
                }
            }
        } catch (NumberFormatException e) {
            throw new BenchException("--oversample must be a comma-separated list of numbers, got [" + oversampleList + "]");
        }
        if (factors.stream().anyMatch(f -> (f >= 1 && f <= 100) == false)) {
            throw new BenchException("--oversample factors must be between 1 and 100, got [" + oversampleList + "]");
        }
        this.oversample = new float[factors.size()];
        for (int i = 0; i < oversample.length; i++) {
            oversample[i] = factors.get(i);
        }
        this.warmup = options.intValue("warmup", 2000, 0);
        String reuse = options.value("reuse-index", "false");
        if (reuse.equals("true") == false && reuse.equals("false") == false) {
            throw new BenchException("--reuse-index must be true or false, got [" + reuse + "]");
        }
        this.reuseIndex = reuse.equals("true");
        String drop = options.value("drop-page-cache", "false");
        if (drop.equals("true") == false && drop.equals("false") == false) {
            throw new BenchException("--drop-page-cache must be true or false, got [" + drop + "]");
        }
        this.dropPageCache = drop.equals("true");
        this.modelsDir = options.path("models", "the models folder the node uses");
        this.client = new NodeHttpClient(options.required("url", "the node, e.g. http://127.0.0.1:9200"));
        options.checkAllUsed();
    }

    void run() throws IOException {
        long runStart = System.nanoTime();
        NodeModels models = NodeModels.read(client);
        say(
            "bench knn: %d faces (%d per identity), %d queries, k=%d, compression %s, hnsw m %d ef_construction %d, %d shard(s); node %s; %s",
            faces,
            perIdentity,
            queries,
            k,
            String.join(",", compressions),
            graph.m(),
            graph.efConstruction(),
            shards,
            client.base(),
            models.describe()
        );

        // --- synthetic gallery fitted to the real photos, and queries ----------------------------------------------------
        Random random = new Random(seed);
        SyntheticGallery gallery = SyntheticGallery.build(models, modelsDir, people, faces, perIdentity, seed, random);
        SyntheticFaces generator = gallery.generator();
        SyntheticFaces.Stats[] real = gallery.real();
        SyntheticFaces.Stats[] synthetic = gallery.synthetic();
        int dim = gallery.dimension();
        int identities = gallery.identities();
        double[][] centres = gallery.centres();
        float[][] vectors = gallery.vectors();
        int[] identity = gallery.identity();
        float[][] queryVectors = new float[queries][];
        int[] queryIdentity = new int[queries];
        for (int q = 0; q < queries; q++) {
            queryIdentity[q] = random.nextInt(identities);
            queryVectors[q] = generator.face(centres[queryIdentity[q]], random);
        }
        float[][] warmVectors = new float[WARM_VECTORS][];
        for (int q = 0; q < WARM_VECTORS; q++) {
            warmVectors[q] = generator.face(centres[random.nextInt(identities)], random);
        }

        // --- exact neighbours ------------------------------------------------------------------------------------------
        long exactStart = System.nanoTime();
        int[][] exact = new int[queries][];
        BenchThreads.parallel(queries, 2, q -> exact[q] = SyntheticFaces.exactTopK(vectors, queryVectors[q], k));
        String[] exactDecision = new String[queries];
        IdentityVote vote = new IdentityVote(Math.min(VOTE_K1, k), k, VOTE_THRESHOLD);
        List<IdentifyMetrics.Probe> openSet = new ArrayList<>();
        for (int q = 0; q < queries; q++) {
            List<IdentityVote.Candidate> candidates = exactCandidates(vectors, identity, exact[q], queryVectors[q]);
            exactDecision[q] = vote.decide(candidates).identity();
            openSet.add(new IdentifyMetrics.Probe(docId(q), label(queryIdentity[q]), true, candidates));
        }
        // Faces of people not in the gallery (fresh identities): how often the vote names someone, by brute force.
        Random unknownRandom = new Random(seed + 99);
        float[][] unknownVectors = new float[queries][];
        for (int q = 0; q < queries; q++) {
            unknownVectors[q] = generator.face(generator.centre(unknownRandom), unknownRandom);
        }
        int[][] unknownExact = new int[queries][];
        BenchThreads.parallel(queries, 2, q -> unknownExact[q] = SyntheticFaces.exactTopK(vectors, unknownVectors[q], k));
        for (int q = 0; q < queries; q++) {
            openSet.add(new IdentifyMetrics.Probe("u" + q, "unknown" + q, false, exactCandidates(vectors, identity, unknownExact[q], unknownVectors[q])));
        }
        List<IdentifyMetrics.OpenSet> sweep = IdentifyMetrics.sweep(openSet, vote.k1(), vote.k2(), IdentifyMetrics.range(0, 1, 0.005));
        IdentifyMetrics.OpenSet atThreshold = IdentifyMetrics.openSet(openSet, vote);
        IdentifyMetrics.OpenSet atFpir = IdentifyMetrics.atFpir(sweep, 0.01);
        say(
            "synthetic open set (exact neighbours, vote k1=%d k2=%d; %d faces of enrolled people, %d of people not enrolled): at threshold %.2f "
                + "FPIR %.4f, FNIR %.4f; FPIR <= 0.01 from threshold %s (FNIR there %s)",
            vote.k1(),
            vote.k2(),
            queries,
            queries,
            VOTE_THRESHOLD,
            atThreshold.fpir(),
            atThreshold.fnir(),
            atFpir == null ? "none" : String.format(Locale.ROOT, "%.3f", atFpir.threshold()),
            atFpir == null ? "-" : String.format(Locale.ROOT, "%.4f", atFpir.fnir())
        );
        int exactRight = 0;
        for (int q = 0; q < queries; q++) {
            if (exactDecision[q].equals(label(queryIdentity[q]))) {
                exactRight++;
            }
        }
        say(
            "exact neighbours (brute force in this JVM, 2 threads): %.1f s; the exact vote names the query's identity for %.4f of the queries",
            BenchThreads.seconds(System.nanoTime() - exactStart),
            (double) exactRight / queries
        );

        // --- index -------------------------------------------------------------------------------------------------------
        // Bodies are built as they are sent: at a million faces they would take more memory than this JVM has.
        int bulks = (faces + bulkSize - 1) / bulkSize;
        AtomicLong sentBytes = new AtomicLong();
        // the vectors as the index's field takes them: floats, or 8-bit integers for int8
        Function<VectorCompression, IntFunction<byte[]>> bulkBodies = fieldCompression -> b -> {
            StringBuilder sb = new StringBuilder();
            for (int i = b * bulkSize; i < Math.min(faces, (b + 1) * bulkSize); i++) {
                sb.append("{\"index\":{\"_id\":\"").append(docId(i)).append("\"}}\n{\"identity\":\"").append(label(identity[i]))
                    .append("\",\"faces\":[{\"index\":0,\"embedding\":");
                sb.append(fieldCompression.sourceValues(vectors[i])).append("}]}\n");
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            sentBytes.addAndGet(bytes.length);
            return bytes;
        };
        List<String> figureLines = new ArrayList<>();
        List<String> table = new ArrayList<>();
        for (String compression : compressions) {
            index = compression.equals("none") ? baseIndex : baseIndex + "_" + compression;
            indexCompression = VectorCompression.parse(compression, "--compression");
            // face_match's default oversampling, for the knn queries
            indexOversample = indexCompression.rescorable() ? indexCompression.defaultOversampleFactor() : null;
            say("--- compression %s: index %s", compression, index);
            BuildTimes built;
            if (reuseIndex && reusable(vectors)) {
                say("reusing index %s: %d faces in one segment a shard, built by an earlier run (its build figures are that run's)", index, faces);
                built = new BuildTimes(Double.NaN, Double.NaN);
            } else {
                built = build(compression, bulks, bulkBodies.apply(indexCompression), sentBytes);
            }
            double buildS = built.loadSeconds();
            Map<String, Object> stats = segmentStats();
            long storeBytes = (long) BenchJson.number(NodeHttpClient.at(stats, "_all.primaries.store.size_in_bytes"), 0);
            long segments = (long) BenchJson.number(NodeHttpClient.at(stats, "_all.primaries.segments.count"), 0);
            long segmentMemory = (long) BenchJson.number(NodeHttpClient.at(stats, "_all.primaries.segments.memory_in_bytes"), 0);
            StringBuilder files = new StringBuilder();
            long vectorFileBytes = 0;
            long floatVectorBytes = 0;
            long otherVectorBytes = 0;
            Object fileSizes = NodeHttpClient.at(stats, "_all.primaries.segments.file_sizes");
            if (fileSizes instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    double size = BenchJson.number(e.getValue() instanceof Map<?, ?> v ? v.get("size_in_bytes") : null, 0);
                    files.append(String.format(Locale.ROOT, " %s=%.1fMB", e.getKey(), size / 1e6));
                    String ext = e.getKey().toString();
                    if (ext.equals("vec") || ext.equals("vex") || ext.equals("vem")) {
                        vectorFileBytes += (long) size;
                    }
                    // Lucene's vector files: .vec the float vectors, .vex/.vem the HNSW graph, and the quantized vectors
                    // and their metadata (.veq/.vemq for scalar, .veb/.vemb for binary quantization)
                    if (ext.equals("vec")) {
                        floatVectorBytes += (long) size;
                    } else if (ext.startsWith("ve")) {
                        otherVectorBytes += (long) size;
                    }
                }
            }
            long searchedBytes = searchedBytes(floatVectorBytes, otherVectorBytes);
            double bytesPerFace = (double) storeBytes / faces;
            double graphBytesPerFace = (double) vectorFileBytes / faces;
            say(
                "on disk: %.1f MB in %d segment(s) = %.0f bytes per face; by file type:%s",
                storeBytes / 1e6,
                segments,
                bytesPerFace,
                files
            );
            say(
                "memory per face: vectors + HNSW graph files (vec+vex+vem, what the searches read: page cache, off heap) %.0f bytes; "
                    + "theory 4*d = %d bytes of vector + up to 2*m = 32 level-0 neighbours (at most 128 bytes as ints) + upper levels; "
                    + "segments.memory_in_bytes (heap) %d bytes in all",
                graphBytesPerFace,
                4 * dim,
                segmentMemory
            );
            String efDefault = defaultEfSearch();
            long nativeGraphBytes = knnGraphMemoryBytes();
            say(
                "memory per face (%s): files an HNSW search reads (%s) %.0f bytes; vectors (.vec%s) %.0f bytes; "
                    + "k-NN native graph memory %d bytes in all (the lucene engine's graphs are Lucene files, not native memory); "
                    + "segments.memory_in_bytes (heap) %d bytes in all",
                compression,
                indexCompression.rescorable() ? "graph and quantized vectors" : "graph and vectors",
                (double) searchedBytes / faces,
                indexCompression.rescorable() ? ": floats, read only to rescore" : ": read by every search here",
                (double) floatVectorBytes / faces,
                nativeGraphBytes,
                segmentMemory
            );

            PageCacheResidency residency = PageCacheResidency.of(client, index);
            if (dropPageCache) {
                String notDropped = PageCacheResidency.dropPageCache();
                if (notDropped != null) {
                    throw new BenchException("--drop-page-cache true: " + notDropped);
                }
                say("page cache emptied before the searches");
            }
            searches.set(0);

            // --- queries -------------------------------------------------------------------------------------------------------
            // Warm-up (JIT of the node and of this JVM, page cache): face_match as it is and with the ef_search values of the
            // curve, in turn, on vectors that are not the timed queries.
            long warmStart = System.nanoTime();
            int warmed = 0;
            if (warmup > 0) {
                while (warmed < warmup || System.nanoTime() - warmStart < WARMUP_MIN_NANOS) {
                    float[] v = warmVectors[warmed % WARM_VECTORS];
                    search(faceMatchBody(v, warmed % 2 == 0 || efSearch.length == 0 ? 0 : efSearch[warmed / 2 % efSearch.length], null, false));
                    warmed++;
                }
            }
            say("warm-up: %d searches in %.1f s", warmed, BenchThreads.seconds(System.nanoTime() - warmStart));
            Result[] results = new Result[queries];
            String loadBefore = Bench.loadAverage();
            long seqStart = System.nanoTime();
            for (int q = 0; q < queries; q++) {
                results[q] = search(faceMatchBody(queryVectors[q]));
            }
            long seqNanos = System.nanoTime() - seqStart;
            Quality main = quality(results, exact, exactDecision, vote);
            double[] wall = new double[queries];
            double[] took = new double[queries];
            for (int q = 0; q < queries; q++) {
                wall[q] = results[q].nanos() / 1e6;
                took[q] = results[q].took();
            }
            double p50 = VerificationMetrics.percentile(wall, 50);
            double p99 = VerificationMetrics.percentile(wall, 99);
            double qps = queries / BenchThreads.seconds(seqNanos);
            Result[] concurrent = new Result[queries];
            long parNanos = BenchThreads.parallel(queries, 2, q -> concurrent[q] = search(faceMatchBody(queryVectors[q])));
            double qps2 = queries / BenchThreads.seconds(parNanos);
            say(
                "face_match (k=%d, index default ef_search %s, compression %s with face_match's default rescoring): latency p50 %.2f ms, p99 %.2f ms, node took p50 %.0f ms p99 %.0f ms; %.0f qps "
                    + "sequential, %.0f qps from 2 clients; recall@%d %.4f; identity agreement %.4f; load average before %s, after %s",
                k,
                efDefault,
                compression,
                p50,
                p99,
                VerificationMetrics.percentile(took, 50),
                VerificationMetrics.percentile(took, 99),
                qps,
                qps2,
                k,
                main.recall(),
                main.agreement(),
                loadBefore,
                Bench.loadAverage()
            );

            if (indexOversample != null) {
                say(
                    "rescoring curve (face_match with rescore; the quantized graph search collects max(100, k * oversample_factor, "
                        + "ef_search) candidates, rescored with the float vectors):"
                );
                for (int f = -1; f < oversample.length; f++) {
                    Float factor = f < 0 ? null : oversample[f];
                    for (int q = 0; q < Math.min(warmup, 50); q++) {
                        search(faceMatchBody(warmVectors[q], 0, factor, factor == null));
                    }
                    Result[] r = new Result[queries];
                    for (int q = 0; q < queries; q++) {
                        r[q] = search(faceMatchBody(queryVectors[q], 0, factor, factor == null));
                    }
                    Quality quality = quality(r, exact, exactDecision, vote);
                    say(
                        "  %-22s p50 %.2f ms  p99 %.2f ms  recall@%d %.4f  identity_agreement %.4f",
                        factor == null ? "rescore=false" : String.format(Locale.ROOT, "oversample_factor=%.1f", factor),
                        percentile(r, 50),
                        percentile(r, 99),
                        k,
                        quality.recall(),
                        quality.agreement()
                    );
                }
            }
            say(
                "ef_search curve (face_match with ef_search%s; the lucene engine searches max(k, ef_search)):",
                indexOversample == null ? "" : " and its default rescoring, and with rescore false"
            );
            for (int ef : efSearch) {
                // a quantized index also without rescoring: what its graph search alone finds, reading no float vector
                for (boolean rescore : indexOversample == null ? new boolean[] { true } : new boolean[] { true, false }) {
                    for (int q = 0; q < Math.min(warmup, 50); q++) {
                        search(faceMatchBody(warmVectors[q], ef, null, rescore == false));
                    }
                    Result[] r = new Result[queries];
                    for (int q = 0; q < queries; q++) {
                        r[q] = search(faceMatchBody(queryVectors[q], ef, null, rescore == false));
                    }
                    Quality quality = quality(r, exact, exactDecision, vote);
                    say(
                        "  ef_search=%-4d%s p50 %.2f ms  p99 %.2f ms  recall@%d %.4f  identity_agreement %.4f",
                        ef,
                        rescore ? "" : " rescore=false",
                        percentile(r, 50),
                        percentile(r, 99),
                        k,
                        quality.recall(),
                        quality.agreement()
                    );
                }
            }
            // What face_match becomes on a shard, sent as the k-NN plugin's query, and face_match again: is any difference
            // face_match's?
            Result[] plain = new Result[queries];
            for (int q = 0; q < queries; q++) {
                plain[q] = search(knnBody(queryVectors[q]));
            }
            Result[] again = new Result[queries];
            for (int q = 0; q < queries; q++) {
                again[q] = search(faceMatchBody(queryVectors[q]));
            }
            say(
                "same query as face_match's rewrite (nested knn, k=%d, no method_parameters%s, the same inner hits): p50 %.2f ms, p99 %.2f ms, took p50 %.0f ms; "
                    + "face_match again after the curve: p50 %.2f ms, p99 %.2f ms, took p50 %.0f ms; same hits as face_match: %s",
                k,
                indexOversample == null ? "" : ", rescore as face_match's",
                percentile(plain, 50),
                percentile(plain, 99),
                tookPercentile(plain, 50),
                percentile(again, 50),
                percentile(again, 99),
                tookPercentile(again, 50),
                sameHits(plain, results)
            );
            Resident resident = resident(residency);
            table.add(
                String.format(
                    Locale.ROOT,
                    "  %-5s build %6.1f s (bulk+refresh) + merge %6.1f s  p50 %6.2f ms  p99 %6.2f ms  %5.0f qps (2 clients)  recall@%d %.4f  "
                        + "identity agreement %.4f  disk %5.0f B/face  searched files %5.0f B/face  resident %s  native graph %d B  heap %d B",
                    compression,
                    buildS,
                    built.mergeSeconds(),
                    p50,
                    p99,
                    qps2,
                    k,
                    main.recall(),
                    main.agreement(),
                    bytesPerFace,
                    (double) searchedBytes / faces,
                    resident.describe(),
                    nativeGraphBytes,
                    segmentMemory
                )
            );
            figureLines.add(
                String.format(
                    Locale.ROOT,
                    "compression=%s hnsw_m=%d ef_construction=%d shards=%d searched_bytes_per_face=%.0f float_vector_bytes_per_face=%.0f resident_searched_bytes_per_face=%.0f "
                        + "resident_float_bytes_per_face=%.0f native_graph_bytes=%d segments_heap_bytes=%d ",
                    compression,
                    graph.m(),
                    graph.efConstruction(),
                    shards,
                    (double) searchedBytes / faces,
                    // the .vec file of an int8 index holds its integers, searched, and no float
                    (double) (indexCompression == VectorCompression.INT8 ? 0 : floatVectorBytes) / faces,
                    resident.searchedBytesPerFace(),
                    resident.floatBytesPerFace(),
                    nativeGraphBytes,
                    segmentMemory
                ) + String.format(
                    Locale.ROOT,
                    "faces=%d p50_ms=%.2f p99_ms=%.2f qps=%.0f qps_2_clients=%.0f recall_at_%d=%.4f identity_agreement=%.4f ef_search=%s "
                        + "index_bytes=%d bytes_per_face=%.0f vector_graph_bytes_per_face=%.0f build_s=%.1f merge_s=%.1f took_ms_p50=%.0f "
                        + "queries=%d dim=%d real_same=%.3f/%.3f synthetic_same=%.3f/%.3f real_diff=%.3f/%.3f synthetic_diff=%.3f/%.3f "
                        + "synthetic_fpir_at_%.2f=%.4f synthetic_threshold_at_fpir_0.01=%s",
                    faces,
                    p50,
                    p99,
                    qps,
                    qps2,
                    k,
                    main.recall(),
                    main.agreement(),
                    efDefault,
                    storeBytes,
                    bytesPerFace,
                    graphBytesPerFace,
                    buildS,
                    built.mergeSeconds(),
                    VerificationMetrics.percentile(took, 50),
                    queries,
                    dim,
                    real[0].mean(),
                    real[0].std(),
                    synthetic[0].mean(),
                    synthetic[0].std(),
                    real[1].mean(),
                    real[1].std(),
                    synthetic[1].mean(),
                    synthetic[1].std(),
                    VOTE_THRESHOLD,
                    atThreshold.fpir(),
                    atFpir == null ? "NaN" : String.format(Locale.ROOT, "%.3f", atFpir.threshold())
                )
            );
        }
        say("total run time %.1f s", BenchThreads.seconds(System.nanoTime() - runStart));
        if (compressions.size() > 1) {
            say("compressions side by side (%d faces, k=%d, face_match with its default rescoring):", faces, k);
            table.forEach(line -> say("%s", line));
        }
        // the last line holds every figure: one key=value line per compression, the last compression's last
        figureLines.forEach(System.out::println);
    }

    /**
     * What the page cache holds of the index's vector files after this compression's searches: of the files an HNSW
     * search reads (graph, and quantized vectors or, for {@code none}, the floats), and of the float vectors that a
     * quantized index reads only to rescore. NaN when the node's files are not on this machine.
     */
    private record Resident(double searchedBytesPerFace, double floatBytesPerFace) {
        String describe() {
            return Double.isNaN(searchedBytesPerFace)
                ? "-"
                : String.format(Locale.ROOT, "%.0f B/face (+ floats %.0f)", searchedBytesPerFace, floatBytesPerFace);
        }
    }

    private Resident resident(PageCacheResidency residency) throws IOException {
        if (residency.unavailable() != null) {
            say("resident in the page cache: not measured (%s)", residency.unavailable());
            return new Resident(Double.NaN, Double.NaN);
        }
        Map<String, PageCacheResidency.FileType> byExtension = residency.measure();
        if (byExtension.containsKey("cfs")) {
            // a small segment is one compound file: its vectors cannot be told from the rest
            say("resident in the page cache: not measured (the index has compound segment files, .cfs)");
            return new Resident(Double.NaN, Double.NaN);
        }
        long floats = 0;
        long others = 0;
        StringBuilder files = new StringBuilder();
        for (Map.Entry<String, PageCacheResidency.FileType> e : byExtension.entrySet()) {
            String ext = e.getKey();
            if (ext.startsWith("ve") == false) {
                continue;
            }
            PageCacheResidency.FileType type = e.getValue();
            files.append(String.format(Locale.ROOT, " .%s %.1f of %.1f MB", ext, type.residentBytes() / 1e6, type.sizeBytes() / 1e6));
            if (ext.equals("vec")) {
                floats += type.residentBytes();
            } else {
                others += type.residentBytes();
            }
        }
        boolean floatsSearched = indexCompression.rescorable() == false;
        Resident resident = new Resident((double) searchedBytes(floats, others) / faces, floatsSearched ? 0 : (double) floats / faces);
        say(
            "resident in the page cache after %d searches%s (fincore):%s; of the files an HNSW search reads %.0f bytes per face%s",
            searches.get(),
            dropPageCache ? " from an empty page cache" : "",
            files,
            resident.searchedBytesPerFace(),
            floatsSearched ? "" : String.format(Locale.ROOT, ", of the float vectors (rescoring) %.0f", resident.floatBytesPerFace())
        );
        return resident;
    }

    /**
     * Of the bytes of Lucene's vector files, those an HNSW search walks: the graph and the vectors it compares, quantized
     * ones when there are any; the float vectors of a quantized index are read only for the candidates rescored.
     */
    private long searchedBytes(long floatVectorBytes, long otherVectorBytes) {
        return indexCompression.rescorable() ? otherVectorBytes : floatVectorBytes + otherVectorBytes;
    }

    /** The k-NN plugin's native graph memory over the nodes ({@code graph_memory_usage} is in kilobytes); -1 if not reported. */
    private long knnGraphMemoryBytes() {
        try {
            Map<String, Object> stats = client.getJson("/_plugins/_knn/stats?stat=graph_memory_usage");
            long kb = 0;
            for (Map<String, Object> node : BenchJson.objects(stats.get("nodes") instanceof Map<?, ?> nodes ? List.copyOf(nodes.values()) : null)) {
                kb += (long) BenchJson.number(node.get("graph_memory_usage"), 0);
            }
            return kb * 1024;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static List<IdentityVote.Candidate> exactCandidates(float[][] vectors, int[] identity, int[] ids, float[] query) {
        List<IdentityVote.Candidate> candidates = new ArrayList<>();
        for (int id : ids) {
            candidates.add(new IdentityVote.Candidate(label(identity[id]), (float) SyntheticFaces.dot(vectors[id], query), docId(id), 0));
        }
        return candidates;
    }

    static String docId(int i) {
        return Integer.toString(i);
    }

    static String label(int identity) {
        return "id" + identity;
    }

    // --- searching -----------------------------------------------------------------------------------------------------

    private record Result(List<String> ids, List<IdentityVote.Candidate> candidates, long nanos, long took) {}

    private record Quality(double recall, double agreement) {}

    /** face_match as it is: the index's ef_search and rescoring, each photo with its matching face (inner hits). */
    private String faceMatchBody(float[] vector) {
        return faceMatchBody(vector, 0, null, false);
    }

    /**
     * face_match, with {@code ef_search} {@code ef} unless 0, with {@code rescore.oversample_factor} when not null, or
     * with {@code rescore: false} when asked; its inner hits as they are by default.
     */
    private String faceMatchBody(float[] vector, int ef, Float oversampleFactor, boolean noRescore) {
        StringBuilder sb = new StringBuilder("{\"size\":").append(k).append(",\"_source\":[\"identity\"],\"query\":{\"face_match\":{\"vector\":");
        BenchJson.vector(sb, vector).append(",\"k\":").append(k);
        if (ef > 0) {
            sb.append(",\"ef_search\":").append(ef);
        }
        if (noRescore) {
            sb.append(",\"rescore\":false");
        } else if (oversampleFactor != null) {
            sb.append(",\"rescore\":{\"oversample_factor\":").append(oversampleFactor).append('}');
        }
        return sb.append("}}}").toString();
    }

    /**
     * What face_match as it is becomes on a shard, as the k-NN plugin's nested knn query: the index's ef_search, on a
     * compressed index the rescoring face_match does by default, and the same inner hits (the best face, without vectors).
     */
    private String knnBody(float[] vector) {
        StringBuilder sb = new StringBuilder("{\"size\":").append(k)
            .append(",\"_source\":[\"identity\"],\"query\":{\"nested\":{\"path\":\"faces\",\"score_mode\":\"max\",")
            .append("\"inner_hits\":{\"name\":\"face_match\",\"size\":3,\"_source\":{\"excludes\":[\"faces.embedding\"]}},")
            .append("\"query\":{\"knn\":{\"faces.embedding\":{\"vector\":");
        BenchJson.vector(sb, indexCompression.fieldValues(vector)).append(",\"k\":").append(k);
        if (indexOversample != null) {
            sb.append(",\"rescore\":{\"oversample_factor\":").append(indexOversample).append('}');
        }
        return sb.append("}}}}}}").toString();
    }

    private static double percentile(Result[] results, double p) {
        double[] v = new double[results.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = results[i].nanos() / 1e6;
        }
        return VerificationMetrics.percentile(v, p);
    }

    private static double tookPercentile(Result[] results, double p) {
        double[] v = new double[results.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = results[i].took();
        }
        return VerificationMetrics.percentile(v, p);
    }

    private static String sameHits(Result[] a, Result[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i].ids().equals(b[i].ids())) {
                same++;
            }
        }
        return same + "/" + a.length + " queries";
    }

    @SuppressWarnings("unchecked")
    private Result search(String body) {
        searches.incrementAndGet();
        NodeHttpClient.Response r = client.post("/" + index + "/_search", List.of(body.getBytes(StandardCharsets.UTF_8)));
        if (r.status() != 200 || r.body() == null) {
            throw new BenchException("search answered " + r.describe());
        }
        List<String> ids = new ArrayList<>();
        List<IdentityVote.Candidate> candidates = new ArrayList<>();
        for (Map<String, Object> hit : BenchJson.objects(NodeHttpClient.at(r.body(), "hits.hits"))) {
            String id = String.valueOf(hit.get("_id"));
            ids.add(id);
            Object source = hit.get("_source");
            Object identity = source instanceof Map<?, ?> m ? ((Map<String, Object>) m).get("identity") : null;
            float similarity = (float) (2 * BenchJson.number(hit.get("_score"), 0) - 1);
            candidates.add(new IdentityVote.Candidate(identity == null ? null : identity.toString(), similarity, id, 0));
        }
        return new Result(ids, candidates, r.nanos(), (long) BenchJson.number(r.body().get("took"), -1));
    }

    private Quality quality(Result[] results, int[][] exact, String[] exactDecision, IdentityVote vote) {
        double recall = 0;
        int agree = 0;
        for (int q = 0; q < results.length; q++) {
            Set<String> truth = new HashSet<>();
            for (int id : exact[q]) {
                truth.add(docId(id));
            }
            int found = 0;
            for (String id : results[q].ids()) {
                if (truth.contains(id)) {
                    found++;
                }
            }
            recall += (double) found / exact[q].length;
            if (vote.decide(results[q].candidates()).identity().equals(exactDecision[q])) {
                agree++;
            }
        }
        return new Quality(recall / results.length, (double) agree / results.length);
    }

    // --- index statistics -----------------------------------------------------------------------------------------------

    private Map<String, Object> segmentStats() {
        return client.getJson("/" + index + "/_stats/docs,store,segments?include_segment_file_sizes=true");
    }

    private String defaultEfSearch() {
        try {
            Map<String, Object> settings = client.getJson("/" + index + "/_settings?include_defaults=true&flat_settings=true");
            Map<?, ?> byIndex = (Map<?, ?>) settings.get(index);
            for (String group : new String[] { "settings", "defaults" }) {
                if (byIndex.get(group) instanceof Map<?, ?> m && m.get("index.knn.algo_param.ef_search") != null) {
                    return m.get("index.knn.algo_param.ef_search").toString();
                }
            }
        } catch (RuntimeException e) {
            // not essential
        }
        return "default";
    }

    private record BuildTimes(double loadSeconds, double mergeSeconds) {}

    /**
     * Whether the index already holds this run's gallery, merged: same face count and graph, one segment a shard, and
     * the same vectors (the gallery is fitted to what the node's models make of the photos: other models, another
     * gallery).
     */
    private boolean reusable(float[][] vectors) {
        if (client.get("/" + index).status() != 200) {
            return false;
        }
        Map<String, Object> stats = segmentStats();
        long docs = (long) BenchJson.number(NodeHttpClient.at(stats, "_all.primaries.docs.count"), 0);
        long segments = (long) BenchJson.number(NodeHttpClient.at(stats, "_all.primaries.segments.count"), 0);
        Object built = NodeHttpClient.at(client.getJson("/_plugins/_face/index/" + index), HnswGraph.FIELD);
        boolean sameGraph = built instanceof Map<?, ?> m
            && BenchJson.number(m.get(HnswGraph.M), -1) == graph.m()
            && BenchJson.number(m.get(HnswGraph.EF_CONSTRUCTION), -1) == graph.efConstruction();
        if (sameGraph == false) {
            say("index %s has another graph (hnsw %s, asked %s): building it again", index, built, graph.parameters());
            return false;
        }
        if (docs != 2L * faces || segments != shards) {
            say(
                "index %s is not reusable (%d Lucene docs, %d segments; expected %d and one per shard, %d): building it again",
                index,
                docs,
                segments,
                2L * faces,
                shards
            );
            return false;
        }
        for (int i : new int[] { 0, faces / 2, faces - 1 }) {
            Object stored = NodeHttpClient.at(client.getJson("/" + index + "/_doc/" + docId(i) + "?_source_includes=faces.embedding"), "_source.faces");
            List<Map<String, Object>> storedFaces = BenchJson.objects(stored);
            Object embedding = storedFaces.isEmpty() ? null : storedFaces.get(0).get("embedding");
            if (sameVector(embedding, indexCompression.fieldValues(vectors[i])) == false) {
                say("index %s holds another gallery (face %d differs: other models or seed than the run that built it): building it again", index, i);
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a stored face vector is the gallery's: the same direction, as integers of an int8 index may be rounded
     * otherwise by another version of the plugin (a face of another gallery is as good as orthogonal to it).
     */
    private static boolean sameVector(Object stored, float[] expected) {
        float[] values = BenchJson.floats(stored);
        return values != null && values.length == expected.length && StoredVectors.cosine(values, expected) >= SAME_DIRECTION;
    }

    /** Creates the index, bulk-loads the gallery, refreshes and force-merges it to one segment a shard. */
    private BuildTimes build(String compression, int bulks, IntFunction<byte[]> bulkBody, AtomicLong sentBytes) {
        client.request("DELETE", "/" + index, null, null);
        client.ok(
            "PUT",
            "/_plugins/_face/index/" + index,
            "{\"compression\":\"" + compression + "\",\"hnsw\":{\"m\":" + graph.m() + ",\"ef_construction\":" + graph.efConstruction() + "},\"settings\":{\"number_of_shards\":" + shards + ",\"number_of_replicas\":0,"
                + "\"auto_expand_replicas\":\"false\",\"refresh_interval\":\"-1\"}}"
        );
        sentBytes.set(0);
        BenchBulk.Outcome loaded = BenchBulk.send(client, "/" + index + "/_bulk?pipeline=_none", bulks, bulkBody, bulkConcurrency);
        long bulkNanos = loaded.nanos();
        long refreshStart = System.nanoTime();
        client.ok("PUT", "/" + index + "/_settings", "{\"index\":{\"refresh_interval\":null}}");
        client.ok("POST", "/" + index + "/_refresh", null);
        long refreshNanos = System.nanoTime() - refreshStart;
        Map<String, Object> beforeMerge = segmentStats();
        long mergeStart = System.nanoTime();
        forceMerge();
        long mergeNanos = System.nanoTime() - mergeStart;
        client.ok("POST", "/" + index + "/_refresh", null);
        long docs = (long) BenchJson.number(NodeHttpClient.at(segmentStats(), "_all.primaries.docs.count"), 0);
        say(
            "indexed %d faces (%.1f MB of NDJSON, %d bulks of %d, %d in flight, pipeline _none, refresh off) in %.1f s = %.0f faces/s, refresh %.1f s; "
                + "%d failed; %s segments before the force-merge, merged to 1 a shard in %.1f s; %d Lucene docs (photo + nested face)",
            faces,
            sentBytes.get() / 1e6,
            bulks,
            bulkSize,
            bulkConcurrency,
            BenchThreads.seconds(bulkNanos),
            faces / BenchThreads.seconds(bulkNanos),
            BenchThreads.seconds(refreshNanos),
            loaded.failedItems(),
            BenchJson.number(NodeHttpClient.at(beforeMerge, "_all.primaries.segments.count"), -1),
            BenchThreads.seconds(mergeNanos),
            docs
        );
        if (loaded.failedItems() > 0) {
            throw new BenchException(loaded.failedItems() + " document(s) failed to index");
        }
        return new BuildTimes(BenchThreads.seconds(bulkNanos + refreshNanos), BenchThreads.seconds(mergeNanos));
    }

    /** {@code _forcemerge?max_num_segments=1} as a task (it can outlast an HTTP request), waited for. */
    private void forceMerge() {
        Map<String, Object> started = client.ok("POST", "/" + index + "/_forcemerge?max_num_segments=1&wait_for_completion=false", null).body();
        Object task = started == null ? null : started.get("task");
        if (task == null) {
            return; // answered synchronously
        }
        while (true) {
            NodeHttpClient.Response r = client.get("/_tasks/" + task + "?wait_for_completion=true&timeout=60s");
            if (r.status() == 200 && r.body() != null && Boolean.TRUE.equals(r.body().get("completed"))) {
                if (r.body().get("error") != null) {
                    throw new BenchException("force-merge failed: " + r.body().get("error"));
                }
                return;
            }
            if (r.status() != 200 && r.status() != 408 && "timeout_exception".equals(r.errorType()) == false) {
                throw new BenchException("waiting for the force-merge task answered " + r.describe());
            }
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------------


    private static void say(String format, Object... args) {
        VerifyBenchmark.say(format, args);
    }
}
