package io.facesearch.people.cluster;

import io.facesearch.people.cluster.PeopleFolderFaces.LabelledFace;
import io.facesearch.vision.Cancellation;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

/**
 * The clustering of real faces: the labelled photos of the development set ({@code people/}, 988 photos of 447
 * people, 1198 faces with those in the background), embedded in the test, grouped over their exact 20 nearest
 * neighbours, and measured against the folder labels (the subject of each photo; background faces take part
 * unlabelled). The defaults of {@link ClusterOptions} are the best measured here.
 */
public class PeopleClusteringQualityTests {
    private static final Logger logger = LogManager.getLogger(PeopleClusteringQualityTests.class);
    /** Neighbours searched per face, as a real run asks of the HNSW graphs. */
    static final int NEIGHBOURS = 20;
    static final float[] THRESHOLDS = { 0.35f, 0.40f, 0.425f, 0.45f, 0.475f, 0.50f, 0.55f };

    private static List<ClusterFace> faces() {
        return PeopleClustering.sorted(PeopleFolderFaces.all().stream().map(LabelledFace::face).toList());
    }

    private static List<String> labels(List<ClusterFace> faces) {
        Map<FaceKey, String> byKey = new HashMap<>();
        for (LabelledFace face : PeopleFolderFaces.all()) {
            byKey.put(face.face().key(), face.identity());
        }
        return faces.stream().map(face -> byKey.get(face.key())).toList();
    }

    private static ClusterOptions options(ClusterMode mode, float similarity, int minFaces) {
        return new ClusterOptions(mode, similarity, minFaces, FaceEligibility.ALL);
    }

    private static Supplier<String> sequentialIds(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return () -> prefix + next.getAndIncrement();
    }

    static ClusterOutcome cluster(List<ClusterFace> faces, ClusterOptions options, Set<String> locked, String idPrefix) {
        NeighbourGraph graph = ExactNeighbours.graph(faces, NEIGHBOURS, options.similarity());
        return new PeopleClustering(faces, graph, options, locked, sequentialIds(idPrefix), Cancellation.NONE).run();
    }

    @Test
    public void defaultsAreTheBestMeasuredAndReachTheTarget() {
        List<ClusterFace> faces = faces();
        List<String> labels = labels(faces);
        assertEquals(988, labels.stream().filter(l -> l != null).count());
        double bestF = 0;
        String best = null;
        ClusteringScores defaults = null;
        for (int minFaces : new int[] { 2, 3 }) {
            for (float threshold : THRESHOLDS) {
                ClusterOutcome outcome = cluster(faces, options(ClusterMode.FULL, threshold, minFaces), Set.of(), "p");
                ClusteringScores scores = ClusteringScores.of(Arrays.asList(outcome.assignments()), labels);
                logger.info(
                    "people/ similarity {} min_faces {}: {} persons, {} of {} faces assigned; {}",
                    threshold,
                    minFaces,
                    outcome.persons().size(),
                    outcome.facesAssigned(),
                    outcome.facesConsidered(),
                    scores
                );
                if (scores.f() > bestF) {
                    bestF = scores.f();
                    best = threshold + "/" + minFaces;
                }
                if (threshold == ClusterOptions.DEFAULT_SIMILARITY && minFaces == ClusterOptions.DEFAULT_MIN_FACES) {
                    defaults = scores;
                }
            }
        }
        assertNotNull(defaults);
        logger.info("best BCubed F {} at similarity/min_faces {}; defaults: {}", bestF, best, defaults);
        assertTrue("defaults " + defaults, defaults.f() >= 0.97);
        assertTrue("defaults " + defaults + ", best " + bestF + " at " + best, defaults.f() >= bestF - 1e-9);
        assertTrue("hardly any two people merged: " + defaults, defaults.precision() >= 0.99);
    }

    /**
     * Below the default threshold, look-alikes link: connected components chain them into large mixed persons, while
     * Chinese Whispers keeps most people apart.
     */
    @Test
    public void lookAlikesDoNotChainAsInConnectedComponents() {
        List<ClusterFace> faces = faces();
        List<String> labels = labels(faces);
        float low = 0.35f;
        NeighbourGraph graph = ExactNeighbours.graph(faces, NEIGHBOURS, low);
        ClusterOutcome whispers = new PeopleClustering(faces, graph, options(ClusterMode.FULL, low, 2), Set.of(), sequentialIds("p"), Cancellation.NONE)
            .run();
        ClusteringScores grouped = ClusteringScores.of(Arrays.asList(whispers.assignments()), labels);
        ClusteringScores components = ClusteringScores.of(connectedComponents(graph, 2), labels);
        logger.info("similarity {}: Chinese Whispers {}; connected components {}", low, grouped, components);
        assertTrue(grouped + " against " + components, grouped.precision() >= components.precision() + 0.05);
        assertTrue(grouped.toString(), grouped.f() > components.f());
    }

    private static List<String> connectedComponents(NeighbourGraph graph, int minFaces) {
        int[] root = new int[graph.size()];
        for (int i = 0; i < root.length; i++) {
            root[i] = i;
        }
        for (int face = 0; face < graph.size(); face++) {
            for (int k = 0; k < graph.degree(face); k++) {
                root[find(root, face)] = find(root, graph.neighbour(face, k));
            }
        }
        Map<Integer, Integer> sizes = new HashMap<>();
        for (int face = 0; face < root.length; face++) {
            sizes.merge(find(root, face), 1, Integer::sum);
        }
        List<String> persons = new ArrayList<>();
        for (int face = 0; face < root.length; face++) {
            int r = find(root, face);
            persons.add(sizes.get(r) >= minFaces ? "c" + r : null);
        }
        return persons;
    }

    private static int find(int[] root, int face) {
        while (root[face] != face) {
            root[face] = root[root[face]];
            face = root[face];
        }
        return face;
    }

    /**
     * Half of each person's photos first, then all of them incrementally: the persons of the first run keep their ids
     * and faces, the new faces join them or form new persons, and the result is as good as clustering all at once.
     */
    @Test
    public void incrementalRunKeepsPersonsAndPlacesNewFaces() {
        List<ClusterFace> faces = faces();
        List<String> labels = labels(faces);
        Set<String> firstPhotos = firstHalfOfEachFolder(faces);
        List<ClusterFace> firstFaces = faces.stream().filter(f -> firstPhotos.contains(f.key().id())).toList();
        ClusterOptions defaults = options(ClusterMode.INCREMENTAL, ClusterOptions.DEFAULT_SIMILARITY, ClusterOptions.DEFAULT_MIN_FACES);
        ClusterOutcome first = cluster(firstFaces, defaults, Set.of(), "first");
        Map<FaceKey, String> firstPersons = new HashMap<>();
        for (int i = 0; i < firstFaces.size(); i++) {
            firstPersons.put(firstFaces.get(i).key(), first.assignments()[i]);
        }
        List<ClusterFace> all = new ArrayList<>();
        for (ClusterFace face : faces) {
            all.add(withPerson(face, firstPersons.get(face.key())));
        }
        ClusterOutcome second = cluster(all, defaults, Set.of(), "second");
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).person() != null) {
                assertEquals(all.get(i).key().toString(), all.get(i).person(), second.assignments()[i]);
            }
        }
        assertTrue(second.removed().isEmpty());
        long joined = 0;
        for (int i = 0; i < all.size(); i++) {
            String person = second.assignments()[i];
            if (all.get(i).person() == null && person != null && person.startsWith("first")) {
                joined++;
            }
        }
        ClusteringScores incremental = ClusteringScores.of(Arrays.asList(second.assignments()), labels);
        ClusteringScores atOnce = ClusteringScores.of(
            Arrays.asList(cluster(faces, defaults, Set.of(), "p").assignments()),
            labels
        );
        logger.info(
            "first run on {} faces: {} persons; incremental run: {} new faces joined them, {} persons created, {} updated; {} (all at once: {})",
            firstFaces.size(),
            first.persons().size(),
            joined,
            second.personsCreated(),
            second.personsUpdated(),
            incremental,
            atOnce
        );
        assertTrue("new faces joined the persons of the first run", joined > 100);
        assertTrue(second.personsCreated() > 0);
        assertTrue(incremental.toString(), incremental.f() >= 0.97);
        assertTrue(incremental + " against " + atOnce, incremental.f() >= atOnce.f() - 0.01);
    }

    /** A full run over its own result finds the same persons under the same ids. */
    @Test
    public void fullRunAgainKeepsEveryId() {
        List<ClusterFace> faces = faces();
        ClusterOptions defaults = options(ClusterMode.FULL, ClusterOptions.DEFAULT_SIMILARITY, ClusterOptions.DEFAULT_MIN_FACES);
        ClusterOutcome first = cluster(faces, defaults, Set.of(), "first");
        List<ClusterFace> clustered = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            clustered.add(withPerson(faces.get(i), first.assignments()[i]));
        }
        ClusterOutcome again = cluster(clustered, defaults, Set.of(), "again");
        assertArrayEquals(first.assignments(), again.assignments());
        assertEquals(0, again.personsCreated());
        assertEquals(0, again.personsUpdated());
        assertTrue(again.removed().isEmpty());
        assertEquals(new TreeSet<>(first.persons().stream().map(PersonSummary::id).toList()), new TreeSet<>(again.persons().stream().map(PersonSummary::id).toList()));
    }

    static ClusterFace withPerson(ClusterFace face, String person) {
        return new ClusterFace(face.key(), face.vector(), face.score(), face.size(), face.quality(), person, face.notPersons());
    }

    /** The first half (rounded up) of the photos of each folder, by name. */
    private static Set<String> firstHalfOfEachFolder(List<ClusterFace> faces) {
        Map<String, TreeSet<String>> byFolder = new HashMap<>();
        for (ClusterFace face : faces) {
            String id = face.key().id();
            byFolder.computeIfAbsent(id.substring(0, id.indexOf('/')), f -> new TreeSet<>()).add(id);
        }
        Set<String> first = new TreeSet<>();
        for (TreeSet<String> photos : byFolder.values()) {
            List<String> sorted = new ArrayList<>(photos);
            first.addAll(sorted.subList(0, (sorted.size() + 1) / 2));
        }
        return first;
    }
}
