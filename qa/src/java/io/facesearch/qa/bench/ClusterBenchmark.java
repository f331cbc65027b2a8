package io.facesearch.qa.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code cluster} mode: how well {@code POST _plugins/_face/people/{index}/_cluster} groups faces into persons, and how
 * long it takes.
 *
 * <p>{@code --images DIR} (one folder per identity, the folder name the label): every photo is ingested through the
 * {@code face} pipeline of a new photo index, the index is clustered, and each photo's faces are read back with their
 * {@code faces.person}. The figures are over the main face of each photo (the node's rule, {@link StoredPhoto#mainFace})
 * against the folder labels: pairwise and BCubed precision, recall and F ({@link ClusterMetrics}; a main face left
 * unassigned is a person of its own), persons found against identities, faces unassigned, and the clustering's wall
 * time and {@code took}. Then the incremental check ({@link IncrementalCheck}) on a second index: a seeded share of the
 * photos is held back, the rest clustered, every person named after the identity most of its main faces have, the
 * held-back photos ingested and the index clustered again: no named person may be renamed or split, and the added
 * photos should join the person named after their identity.
 *
 * <p>{@code --synthetic N}: N synthetic faces ({@link SyntheticGallery}, the generator of the {@code knn} mode) indexed as
 * vectors without photos ({@code pipeline=_none}), clustered, and scored against the identities they were drawn from.
 */
final class ClusterBenchmark {
    static final String USAGE = """
        cluster (--images DIR | --synthetic [N]) --url URL --models DIR [--min-faces N] [--similarity S] [--min-score S]
                [--min-face-size PX] [--min-quality Q] [--mode incremental|full] [--add-fraction F] [--seed S] [--index NAME]
                [--limit N] [--bulk-size B] [--concurrency C] [--people DIR] [--faces-per-identity F]
                [--wait-for-completion true|false] [--cluster-timeout SECONDS]
          --images DIR           photos in one folder per identity (the folder's name is the label), ingested through the
                                 face pipeline of a new photo index
          --synthetic N          N synthetic faces (100000 when N is left out), drawn around identity centres fitted to the
                                 photos of --people as in the knn mode, indexed as vectors without photos
          --min-faces N --similarity S --min-score S --min-face-size PX --min-quality Q --mode M
                                 options of the _cluster request, sent only when given (the node's defaults otherwise)
          --add-fraction F       images: share of the photos held back and added after a first clustering, for the
                                 incremental check on a second index (default 0.2; 0 leaves the check out)
          --seed S               seed of the photos held back and of the synthetic faces (default 1)
          --index NAME           photo index to (re)create (default bench_cluster; the incremental check uses NAME_incremental),
                                 its people index NAME-people
          --limit N              images: only the first N photos, by path
          --bulk-size B          documents per _bulk request (default 50 photos, 2000 synthetic faces)
          --concurrency C        _bulk requests in flight (default 2)
          --people DIR           synthetic: the labelled photos the generator is fitted to (default ../shared/faces/people)
          --faces-per-identity F synthetic: faces drawn around each identity centre (default 10)
          --wait-for-completion B  true (default): one _cluster request answers when done; false: the clustering runs as a
                                 task, waited for through GET _tasks (its wall time then includes that wait)
          --cluster-timeout S    seconds one clustering may take (default 3600)""";

    static final int DEFAULT_SYNTHETIC_FACES = 100_000;
    private static final String INDEX_SETTINGS = "\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,\"auto_expand_replicas\":\"false\"}";
    private static final int READ_PAGE = 1000;

    private final Path images;
    private final int synthetic;
    private final String clusterBody;
    private final double addFraction;
    private final long seed;
    private final String index;
    private final int limit;
    private final int bulkSize;
    private final int concurrency;
    private final Path people;
    private final int perIdentity;
    private final Path modelsDir;
    private final NodeHttpClient client;
    private final PeopleClient peopleApi;
    private final Map<String, String> clusterOptions = new LinkedHashMap<>();

    ClusterBenchmark(BenchOptions options) {
        String imagesValue = options.value("images");
        String syntheticValue = options.value("synthetic");
        if ((imagesValue == null) == (syntheticValue == null)) {
            throw new BenchException("cluster needs one of --images DIR or --synthetic N");
        }
        this.images = imagesValue == null ? null : options.path("images", "folder of photos, one folder per identity");
        this.synthetic = syntheticValue == null ? 0 : options.intValue("synthetic", DEFAULT_SYNTHETIC_FACES, 2);
        // _cluster options: sent as given, so that the node's defaults are what is measured unless asked otherwise
        if (options.value("min-faces") != null) {
            clusterOptions.put("min_faces", Integer.toString(options.intValue("min-faces", 1, 1)));
        }
        numberOption(options, "similarity", "similarity", -1, 1);
        numberOption(options, "min-score", "min_score", 0, 1);
        if (options.value("min-face-size") != null) {
            clusterOptions.put("min_face_size", Integer.toString(options.intValue("min-face-size", 0, 0)));
        }
        numberOption(options, "min-quality", "min_quality", 0, 1);
        String mode = options.value("mode");
        if (mode != null) {
            if (mode.equals("incremental") == false && mode.equals("full") == false) {
                throw new BenchException("--mode must be incremental or full, got [" + mode + "]");
            }
            clusterOptions.put("mode", BenchJson.string(mode));
        }
        StringBuilder body = new StringBuilder("{");
        for (Map.Entry<String, String> option : clusterOptions.entrySet()) {
            body.append(body.length() > 1 ? "," : "").append(BenchJson.string(option.getKey())).append(':').append(option.getValue());
        }
        this.clusterBody = body.append('}').toString();

        this.addFraction = IdentifyBenchmark.doubleOption(options, "add-fraction", 0.2);
        if (addFraction < 0 || addFraction >= 1 || Double.isNaN(addFraction)) {
            throw new BenchException("--add-fraction must be in [0, 1), got " + addFraction);
        }
        this.seed = IdentifyBenchmark.longOption(options, "seed", 1);
        this.index = options.value("index", "bench_cluster");
        if (index.matches("[a-z0-9][a-z0-9_.-]*") == false) {
            throw new BenchException("--index must be a lower-case index name, got [" + index + "]");
        }
        this.limit = options.intValue("limit", 0, 1);
        this.bulkSize = options.intValue("bulk-size", images != null ? 50 : 2000, 1);
        this.concurrency = options.intValue("concurrency", 2, 1);
        this.people = Path.of(options.value("people", "../shared/faces/people")).toAbsolutePath().normalize();
        this.perIdentity = options.intValue("faces-per-identity", 10, 1);
        String wait = options.value("wait-for-completion", "true");
        if (wait.equals("true") == false && wait.equals("false") == false) {
            throw new BenchException("--wait-for-completion must be true or false, got [" + wait + "]");
        }
        int clusterTimeout = options.intValue("cluster-timeout", 3600, 1);
        this.modelsDir = options.path("models", "the models folder the node uses");
        this.client = new NodeHttpClient(options.required("url", "the node, e.g. http://127.0.0.1:9200"));
        this.peopleApi = new PeopleClient(client, Duration.ofSeconds(clusterTimeout), Boolean.parseBoolean(wait));
        if (images != null) {
            for (String syntheticOnly : List.of("people", "faces-per-identity")) {
                if (options.value(syntheticOnly) != null) {
                    throw new BenchException("--" + syntheticOnly + " only applies to --synthetic");
                }
            }
        } else if (options.value("limit") != null || options.value("add-fraction") != null) {
            throw new BenchException("--limit and --add-fraction only apply to --images");
        }
        options.checkAllUsed();
    }

    /**
     * {@code --synthetic} may come without its count: the arguments with {@link #DEFAULT_SYNTHETIC_FACES} put after it
     * when the next argument is another option or there is none.
     */
    static List<String> withSyntheticCount(List<String> args) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).equals("--synthetic") && (i + 1 == out.size() || out.get(i + 1).startsWith("--"))) {
                out.add(i + 1, Integer.toString(DEFAULT_SYNTHETIC_FACES));
            }
        }
        return out;
    }

    private void numberOption(BenchOptions options, String name, String field, double min, double max) {
        if (options.value(name) == null) {
            return;
        }
        double v = IdentifyBenchmark.doubleOption(options, name, 0);
        if (v < min || v > max || Double.isNaN(v)) {
            throw new BenchException("--" + name + " must be in [" + min + ", " + max + "], got " + v);
        }
        clusterOptions.put(field, Double.toString(v));
    }

    void run() throws IOException {
        if (images != null) {
            runImages();
        } else {
            runSynthetic();
        }
    }

    // --- photos ------------------------------------------------------------------------------------------------------

    private void runImages() throws IOException {
        long runStart = System.nanoTime();
        List<ClusterCorpus.LabelledPhoto> photos = ClusterCorpus.list(images, limit);
        if (photos.isEmpty()) {
            throw new BenchException("no photo under " + images);
        }
        List<byte[]> data = new ArrayList<>(photos.size());
        long bytes = 0;
        for (ClusterCorpus.LabelledPhoto p : photos) {
            byte[] d = Files.readAllBytes(p.file());
            bytes += d.length;
            data.add(d);
        }
        NodeModels models = NodeModels.read(client);
        say(
            "bench cluster: %d photos of %d identities (%.1f MB) under %s; _cluster body %s; node %s; %s",
            photos.size(),
            photos.stream().map(ClusterCorpus.LabelledPhoto::identity).distinct().count(),
            bytes / 1e6,
            images,
            clusterBody,
            client.base(),
            models.describe()
        );
        Function<String, String> labelOf = ClusterCorpus::identityOf; // a document's id is its photo's path

        // --- every photo, one clustering ---------------------------------------------------------------------------
        say("--- all photos, one clustering (index %s) ---", index);
        createPhotoIndex(index);
        double ingestS = ingest(index, photos, data, allPositions(photos.size()));
        Snapshot before = readBack(index, labelOf);
        say(
            "read back %d photos in %.2f s: %d faces, %d photos without a face, %d with several faces; %d main faces of %d identities "
                + "(%d identities with at least 2 photos with a face, %d with at least 3); %d faces already assigned",
            before.photos(),
            before.readS(),
            before.faces(),
            before.photosWithoutFace(),
            before.photosWithSeveralFaces(),
            before.mainFaces().size(),
            before.scores().classes(),
            before.identitiesWithMinFaces(2),
            before.identitiesWithMinFaces(3),
            before.faces() - before.facesUnassigned()
        );
        report("before clustering (every main face its own singleton)", before);
        PeopleClient.ClusterRun run = cluster(index);
        Snapshot after = readBack(index, labelOf);
        report("after clustering", after);

        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("mode", "cluster");
        figures.put("source", "images");
        figures.put("photos", Integer.toString(after.photos()));
        figures.put("photos_without_face", Integer.toString(after.photosWithoutFace()));
        figures.put("faces", Integer.toString(after.faces()));
        figures.put("main_faces", Integer.toString(after.mainFaces().size()));
        figures.put("identities", Integer.toString(after.scores().classes()));
        figures.put("identities_2plus", Integer.toString(after.identitiesWithMinFaces(2)));
        figures.put("identities_3plus", Integer.toString(after.identitiesWithMinFaces(3)));
        figures.put("min_faces", clusterOptions.getOrDefault("min_faces", "default"));
        figures.put("similarity", clusterOptions.getOrDefault("similarity", "default"));
        putScores(figures, "", after);
        putRun(figures, "cluster_", run);
        figures.put("ingest_s", f2(ingestS));
        figures.put("read_s", f2(after.readS()));

        // --- the incremental check -----------------------------------------------------------------------------------
        if (addFraction > 0) {
            incremental(photos, data, labelOf, figures);
        } else {
            say("incremental check left out (--add-fraction 0)");
        }
        say("total run time %.1f s", BenchThreads.seconds(System.nanoTime() - runStart));
        Bench.printFigures(figures);
    }

    private void incremental(List<ClusterCorpus.LabelledPhoto> photos, List<byte[]> data, Function<String, String> labelOf,
        Map<String, String> figures) {
        String incIndex = index + "_incremental";
        ClusterCorpus.HoldOut split = ClusterCorpus.holdOut(photos.size(), addFraction, seed);
        say(
            "--- incremental check (index %s): %d photos first, %d held back and added after the first clustering (--add-fraction %s, --seed %d) ---",
            incIndex,
            split.initial().size(),
            split.added().size(),
            addFraction,
            seed
        );
        createPhotoIndex(incIndex);
        ingest(incIndex, photos, data, split.initial());
        PeopleClient.ClusterRun first = cluster(incIndex);
        Snapshot one = readBack(incIndex, labelOf);
        report("first run", one);

        Map<String, String> names = IncrementalCheck.majorityNames(one.mainFaces());
        long nameStart = System.nanoTime();
        for (Map.Entry<String, String> person : names.entrySet()) {
            peopleApi.name(incIndex, person.getKey(), person.getValue());
        }
        Map<String, Integer> personsPerName = new HashMap<>();
        names.values().forEach(n -> personsPerName.merge(n, 1, Integer::sum));
        long sharedNames = personsPerName.values().stream().filter(c -> c > 1).count();
        say(
            "named %d of %d persons after the identity most of their main faces have, in %.1f s (%d persons hold no main face and stay "
                + "unnamed; %d identities were given to several persons)",
            names.size(),
            one.persons(),
            BenchThreads.seconds(System.nanoTime() - nameStart),
            one.persons() - names.size(),
            sharedNames
        );

        ingest(incIndex, photos, data, split.added());
        PeopleClient.ClusterRun second = cluster(incIndex);
        Snapshot two = readBack(incIndex, labelOf);
        Map<String, String> personsAfter = peopleApi.persons(second.peopleIndex(PeopleClient.defaultPeopleIndex(incIndex)));
        Set<String> addedIds = new HashSet<>();
        for (int i : split.added()) {
            addedIds.add(photos.get(i).path());
        }
        List<IncrementalCheck.MainFace> addedMain = two.mainFaces().stream().filter(f -> addedIds.contains(documentOf(f.key()))).toList();
        IncrementalCheck.Outcome o = IncrementalCheck.compare(one.assignments(), names, two.assignments(), personsAfter, addedMain);
        say(
            "second run: named persons renamed %d (must be 0), gone from the people index %d (must be 0), split %d (must be 0: %d of their "
                + "first-run faces now in another person), %d of their first-run faces now unassigned",
            o.renamed(),
            o.lost(),
            o.split(),
            o.facesMoved(),
            o.facesLeft()
        );
        say(
            "added photos: %d with a main face, %d of identities a person was named after; of these %d joined the right named person; "
                + "%d joined a person named after another identity, %d an unnamed person, %d stayed unassigned",
            o.added(),
            o.addedNamed(),
            o.addedRight(),
            o.addedWrongNamed(),
            o.addedOther(),
            o.addedUnassigned()
        );
        if (o.renamed() + o.lost() + o.split() > 0) {
            say("INCREMENTAL CHECK FAILED: named persons must keep their names and their faces");
        }
        report("after the second run", two);

        figures.put("inc_photos_first", Integer.toString(split.initial().size()));
        figures.put("inc_photos_added", Integer.toString(split.added().size()));
        putRun(figures, "inc_first_cluster_", first);
        figures.put("inc_first_bcubed_f", f4(one.scores().bcubedF()));
        figures.put("inc_persons_named", Integer.toString(o.named()));
        figures.put("inc_persons_renamed", Integer.toString(o.renamed()));
        figures.put("inc_named_lost", Integer.toString(o.lost()));
        figures.put("inc_named_split", Integer.toString(o.split()));
        figures.put("inc_named_faces_moved", Integer.toString(o.facesMoved()));
        figures.put("inc_named_faces_unassigned", Integer.toString(o.facesLeft()));
        figures.put("inc_added_main_faces", Integer.toString(o.added()));
        figures.put("inc_added_of_named_identities", Integer.toString(o.addedNamed()));
        figures.put("inc_added_joined_right", Integer.toString(o.addedRight()));
        figures.put("inc_added_joined_wrong", Integer.toString(o.addedWrongNamed()));
        figures.put("inc_added_in_unnamed", Integer.toString(o.addedOther()));
        figures.put("inc_added_unassigned", Integer.toString(o.addedUnassigned()));
        putRun(figures, "inc_second_cluster_", second);
        putScores(figures, "inc_", two);
    }

    private static List<Integer> allPositions(int n) {
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }

    /** Deletes the index, its pipeline and its people index if they exist, and creates the photo index (1 shard). */
    private void createPhotoIndex(String name) {
        for (String path : List.of("/" + name, "/_ingest/pipeline/face-search-" + name, "/" + PeopleClient.defaultPeopleIndex(name))) {
            NodeHttpClient.Response r = client.request("DELETE", path, null, null);
            if (r.status() != 200 && r.status() != 404) {
                throw new BenchException("DELETE " + path + " answered " + r.describe());
            }
        }
        client.ok("PUT", "/_plugins/_face/index/" + name, "{" + INDEX_SETTINGS + "}");
    }

    /** Ingests the photos at {@code positions} through the index's face pipeline and refreshes it; the seconds it took. */
    private double ingest(String name, List<ClusterCorpus.LabelledPhoto> photos, List<byte[]> data, List<Integer> positions) {
        List<String> paths = new ArrayList<>(positions.size());
        List<byte[]> chosen = new ArrayList<>(positions.size());
        for (int i : positions) {
            paths.add(photos.get(i).path());
            chosen.add(data.get(i));
        }
        List<IngestCorpus.Bulk> bulks = IngestCorpus.bulks(paths, chosen, bulkSize);
        long start = System.nanoTime();
        BenchBulk.Outcome outcome = BenchBulk.send(client, "/" + name + "/_bulk", bulks.size(), b -> bulks.get(b).body(), concurrency);
        client.ok("POST", "/" + name + "/_refresh", null);
        double seconds = BenchThreads.seconds(System.nanoTime() - start);
        say(
            "ingested %d photos into %s in %.1f s incl. refresh (%.1f photos/s; bulks of %d, %d in flight); %d failed",
            positions.size(),
            name,
            seconds,
            positions.size() / seconds,
            bulkSize,
            concurrency,
            outcome.failedItems()
        );
        return seconds;
    }

    // --- synthetic faces ---------------------------------------------------------------------------------------------

    private void runSynthetic() throws IOException {
        long runStart = System.nanoTime();
        NodeModels models = NodeModels.read(client);
        say(
            "bench cluster: %d synthetic faces (%d per identity); _cluster body %s; node %s; %s",
            synthetic,
            perIdentity,
            clusterBody,
            client.base(),
            models.describe()
        );
        SyntheticGallery gallery = SyntheticGallery.build(models, modelsDir, people, synthetic, perIdentity, seed, new Random(seed));
        if (gallery.dimension() != models.dimension()) {
            throw new BenchException("the synthetic faces have " + gallery.dimension() + " dimensions, the node's embedder " + models.dimension());
        }

        say("--- synthetic faces (index %s) ---", index);
        createPhotoIndex(index);
        client.ok("PUT", "/" + index + "/_settings", "{\"index\":{\"refresh_interval\":\"-1\"}}");
        String photoFacts = photoFacts(models);
        int bodies = (synthetic + bulkSize - 1) / bulkSize;
        BenchBulk.Outcome loaded = BenchBulk.send(
            client,
            "/" + index + "/_bulk?pipeline=_none",
            bodies,
            b -> syntheticBulk(gallery, b * bulkSize, Math.min(synthetic, (b + 1) * bulkSize), photoFacts),
            concurrency
        );
        long refreshStart = System.nanoTime();
        client.ok("PUT", "/" + index + "/_settings", "{\"index\":{\"refresh_interval\":null}}");
        client.ok("POST", "/" + index + "/_refresh", null);
        long refreshNanos = System.nanoTime() - refreshStart;
        double indexS = BenchThreads.seconds(loaded.nanos());
        say(
            "indexed %d faces of %d identities (pipeline _none, bulks of %d, %d in flight, refresh off) in %.1f s = %.0f faces/s, refresh %.1f s; %d failed",
            synthetic,
            gallery.identities(),
            bulkSize,
            concurrency,
            indexS,
            synthetic / indexS,
            BenchThreads.seconds(refreshNanos),
            loaded.failedItems()
        );
        if (loaded.failedItems() > 0) {
            throw new BenchException(loaded.failedItems() + " synthetic face(s) failed to index");
        }
        Function<String, String> labelOf = id -> KnnBenchmark.label(gallery.identity()[Integer.parseInt(id)]);
        Snapshot before = readBack(index, labelOf);
        say("read back %d documents in %.2f s: %d faces, %d of %d identities", before.photos(), before.readS(), before.faces(),
            before.scores().classes(), gallery.identities());
        if (before.photos() != synthetic || before.faces() != synthetic) {
            throw new BenchException("read back " + before.photos() + " documents and " + before.faces() + " faces, expected " + synthetic);
        }
        report("before clustering (every face its own singleton)", before);
        PeopleClient.ClusterRun run = cluster(index);
        Snapshot after = readBack(index, labelOf);
        report("after clustering", after);
        say("total run time %.1f s", BenchThreads.seconds(System.nanoTime() - runStart));

        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("mode", "cluster");
        figures.put("source", "synthetic");
        figures.put("faces", Integer.toString(after.faces()));
        figures.put("identities", Integer.toString(gallery.identities()));
        figures.put("faces_per_identity", Integer.toString(perIdentity));
        figures.put("min_faces", clusterOptions.getOrDefault("min_faces", "default"));
        figures.put("similarity", clusterOptions.getOrDefault("similarity", "default"));
        putScores(figures, "", after);
        putRun(figures, "cluster_", run);
        figures.put("index_s", f2(indexS));
        figures.put("read_s", f2(after.readS()));
        figures.put("dim", Integer.toString(gallery.dimension()));
        figures.put("real_same", f3(gallery.real()[0].mean()) + "/" + f3(gallery.real()[0].std()));
        figures.put("synthetic_same", f3(gallery.synthetic()[0].mean()) + "/" + f3(gallery.synthetic()[0].std()));
        figures.put("real_diff", f3(gallery.real()[1].mean()) + "/" + f3(gallery.real()[1].std()));
        figures.put("synthetic_diff", f3(gallery.synthetic()[1].mean()) + "/" + f3(gallery.synthetic()[1].std()));
        Bench.printFigures(figures);
    }

    /**
     * The {@code photo} object of a synthetic document: what the face processor writes for a 250x250 photo with one face,
     * with the node's models, so that the clustering sees the documents it would see after an ingest.
     */
    static String photoFacts(NodeModels models) {
        return "{\"width\":250,\"height\":250,\"format\":\"jpeg\",\"face_count\":1,\"model\":{\"detector\":" + BenchJson.string(models.detector())
            + ",\"embedder\":" + BenchJson.string(models.embedder()) + ",\"embedder_sha256\":" + BenchJson.string(models.embedderSha256())
            + ",\"dimension\":" + models.dimension() + ",\"flip_average\":" + models.flipAverage() + "}}";
    }

    /**
     * The {@code _bulk} body of faces {@code from} to {@code to - 1}: each a document of one face of the size, score and
     * quality of a clear LFW face, whose {@code _id} is the face's number (its identity stays in this JVM).
     */
    static byte[] syntheticBulk(SyntheticGallery gallery, int from, int to, String photoFacts) {
        StringBuilder sb = new StringBuilder((to - from) * 1800);
        for (int i = from; i < to; i++) {
            sb.append("{\"index\":{\"_id\":\"").append(KnnBenchmark.docId(i)).append("\"}}\n")
                .append("{\"faces\":[{\"index\":0,\"score\":0.92,\"box\":{\"x\":82.0,\"y\":64.0,\"width\":91.0,\"height\":118.0},")
                .append("\"quality\":{\"size\":91.0,\"sharpness\":400.0,\"frontal\":0.93},\"embedding\":");
            BenchJson.vector(sb, gallery.vectors()[i]).append("}],\"photo\":").append(photoFacts).append("}\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // --- clustering and reading back -----------------------------------------------------------------------------------

    private PeopleClient.ClusterRun cluster(String name) {
        say("POST %s%s/_cluster %s ...", PeopleClient.PEOPLE_PATH, name, clusterBody);
        PeopleClient.ClusterRun run = peopleApi.cluster(name, clusterBody);
        Map<String, Object> a = run.answer();
        say(
            "clustered %s in %.2f s (took %d ms; mode %s): %s faces considered, %s assigned, %s unassigned; %s persons (%s created, %s "
                + "updated) in %s",
            name,
            BenchThreads.seconds(run.wallNanos()),
            run.took(),
            a.get("mode"),
            a.get("faces_considered"),
            a.get("faces_assigned"),
            a.get("faces_unassigned"),
            a.get("persons"),
            a.get("persons_created"),
            a.get("persons_updated"),
            run.peopleIndex(PeopleClient.defaultPeopleIndex(name))
        );
        return run;
    }

    /**
     * Every document's faces and persons as the node now has them, and the figures of the main faces.
     *
     * @param mainFaces    the main face of every photo that has one, with its label and person
     * @param assignments  face key to person, for every assigned face
     * @param scores       the main faces' persons against their labels
     */
    record Snapshot(int photos, int photosWithoutFace, int photosWithSeveralFaces, int faces, int facesUnassigned, int persons,
        int mainUnassigned, int personsOfMainFaces, List<IncrementalCheck.MainFace> mainFaces, Map<String, String> assignments,
        ClusterMetrics.Scores scores, double readS) {

        /** Identities with at least {@code n} main faces: the most persons of at least n faces a clustering can find. */
        int identitiesWithMinFaces(int n) {
            Map<String, Integer> counts = new HashMap<>();
            mainFaces.forEach(f -> counts.merge(f.identity(), 1, Integer::sum));
            return (int) counts.values().stream().filter(c -> c >= n).count();
        }
    }

    private Snapshot readBack(String name, Function<String, String> labelOf) {
        long start = System.nanoTime();
        client.ok("POST", "/" + name + "/_refresh", null);
        List<StoredPhoto> photos = new ArrayList<>();
        StringBuilder source = new StringBuilder("[");
        for (String field : StoredPhoto.SOURCE_FIELDS) {
            source.append(source.length() > 1 ? "," : "").append(BenchJson.string(field));
        }
        client.scroll(
            name,
            "{\"size\":" + READ_PAGE + ",\"sort\":[\"_doc\"],\"_source\":" + source.append(']') + "}",
            hit -> photos.add(StoredPhoto.fromHit(hit))
        );
        double readS = BenchThreads.seconds(System.nanoTime() - start);
        return snapshot(photos, labelOf, readS);
    }

    /** The figures of photos read back; {@code labelOf} gives a document's identity from its id. */
    static Snapshot snapshot(List<StoredPhoto> photos, Function<String, String> labelOf, double readS) {
        int withoutFace = 0;
        int several = 0;
        int faces = 0;
        int unassigned = 0;
        int mainUnassigned = 0;
        Set<String> persons = new HashSet<>();
        Set<String> personsOfMain = new HashSet<>();
        Map<String, String> assignments = new HashMap<>();
        List<IncrementalCheck.MainFace> mainFaces = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        List<String> clusters = new ArrayList<>();
        for (StoredPhoto photo : photos) {
            faces += photo.faces().size();
            if (photo.faces().isEmpty()) {
                withoutFace++;
                continue;
            }
            if (photo.faces().size() > 1) {
                several++;
            }
            for (StoredPhoto.Face face : photo.faces()) {
                if (face.person() == null) {
                    unassigned++;
                } else {
                    persons.add(face.person());
                    assignments.put(IncrementalCheck.faceKey(photo.id(), face.index()), face.person());
                }
            }
            StoredPhoto.Face main = photo.main();
            String label = labelOf.apply(photo.id());
            if (label == null) {
                throw new BenchException("document [" + photo.id() + "] has no identity label");
            }
            mainFaces.add(new IncrementalCheck.MainFace(IncrementalCheck.faceKey(photo.id(), main.index()), label, main.person()));
            truth.add(label);
            clusters.add(main.person());
            if (main.person() == null) {
                mainUnassigned++;
            } else {
                personsOfMain.add(main.person());
            }
        }
        return new Snapshot(
            photos.size(),
            withoutFace,
            several,
            faces,
            unassigned,
            persons.size(),
            mainUnassigned,
            personsOfMain.size(),
            List.copyOf(mainFaces),
            assignments,
            ClusterMetrics.score(truth, clusters),
            readS
        );
    }

    /** The document id of a face key. */
    private static String documentOf(String faceKey) {
        return faceKey.substring(0, faceKey.lastIndexOf('#'));
    }

    // --- reports -------------------------------------------------------------------------------------------------------

    private static void report(String what, Snapshot s) {
        ClusterMetrics.Scores m = s.scores();
        say(
            "%s: %d main faces of %d identities in %d persons (%d persons in all), %d main faces unassigned (scored as singletons), "
                + "%d of %d faces unassigned",
            what,
            m.items(),
            m.classes(),
            s.personsOfMainFaces(),
            s.persons(),
            s.mainUnassigned(),
            s.facesUnassigned(),
            s.faces()
        );
        say(
            "  pairwise precision %.4f recall %.4f F %.4f; BCubed precision %.4f recall %.4f F %.4f",
            m.pairwisePrecision(),
            m.pairwiseRecall(),
            m.pairwiseF(),
            m.bcubedPrecision(),
            m.bcubedRecall(),
            m.bcubedF()
        );
    }

    private static void putScores(Map<String, String> figures, String prefix, Snapshot s) {
        ClusterMetrics.Scores m = s.scores();
        figures.put(prefix + "persons", Integer.toString(s.persons()));
        figures.put(prefix + "persons_of_main_faces", Integer.toString(s.personsOfMainFaces()));
        figures.put(prefix + "faces_unassigned", Integer.toString(s.facesUnassigned()));
        figures.put(prefix + "main_faces_unassigned", Integer.toString(s.mainUnassigned()));
        figures.put(prefix + "pairwise_precision", f4(m.pairwisePrecision()));
        figures.put(prefix + "pairwise_recall", f4(m.pairwiseRecall()));
        figures.put(prefix + "pairwise_f", f4(m.pairwiseF()));
        figures.put(prefix + "bcubed_precision", f4(m.bcubedPrecision()));
        figures.put(prefix + "bcubed_recall", f4(m.bcubedRecall()));
        figures.put(prefix + "bcubed_f", f4(m.bcubedF()));
    }

    private static void putRun(Map<String, String> figures, String prefix, PeopleClient.ClusterRun run) {
        figures.put(prefix + "wall_ms", Long.toString(Math.round(run.wallNanos() / 1e6)));
        figures.put(prefix + "took_ms", Long.toString(run.took()));
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static void say(String format, Object... args) {
        VerifyBenchmark.say(format, args);
    }
}
