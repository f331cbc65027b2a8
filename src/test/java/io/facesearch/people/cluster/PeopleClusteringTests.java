package io.facesearch.people.cluster;

import io.facesearch.vision.Cancellation;

import org.junit.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** The rules of a clustering run, on small sets of faces whose similarities are chosen. */
public class PeopleClusteringTests {
    private static final int DIMENSION = 8;
    private static final int IDENTITIES = 4;
    private static final ClusterOptions INCREMENTAL = new ClusterOptions(ClusterMode.INCREMENTAL, 0.45f, 2, FaceEligibility.ALL);
    private static final ClusterOptions FULL = new ClusterOptions(ClusterMode.FULL, 0.45f, 2, FaceEligibility.ALL);

    private final List<ClusterFace> faces = new ArrayList<>();

    /**
     * A face of identity {@code identity} (an axis), turned by {@code variation} (0 to 1) towards another axis, so that
     * faces of one identity are similar (about 0.9) and faces of two identities are not (about 0).
     */
    private ClusterFace face(String photo, int identity, float variation, String person, Set<String> notPersons, float score) {
        float[] vector = new float[DIMENSION];
        vector[identity] = 1;
        // identities on the first axes, variations on the last, so that variations never bring two identities closer
        vector[IDENTITIES + faces.size() % (DIMENSION - IDENTITIES)] += variation;
        ClusterFace face = new ClusterFace(new FaceKey("photos", photo, 0), Centroids.normalised(vector), score, 100, 0.9f, person, notPersons);
        faces.add(face);
        return face;
    }

    private ClusterFace face(String photo, int identity, String person) {
        return face(photo, identity, 0.3f, person, Set.of(), 0.9f);
    }

    private ClusterOutcome run(ClusterOptions options, Set<String> locked) {
        List<ClusterFace> sorted = PeopleClustering.sorted(faces);
        faces.clear();
        faces.addAll(sorted);
        NeighbourGraph graph = ExactNeighbours.graph(faces, 10, options.similarity());
        AtomicInteger ids = new AtomicInteger();
        return new PeopleClustering(faces, graph, options, locked, () -> "new" + ids.getAndIncrement(), Cancellation.NONE).run();
    }

    private String personOf(ClusterOutcome outcome, String photo) {
        for (int i = 0; i < faces.size(); i++) {
            if (faces.get(i).key().id().equals(photo)) {
                return outcome.assignments()[i];
            }
        }
        throw new AssertionError("no face in " + photo);
    }

    @Test
    public void groupsSmallerThanMinFacesStayUnassigned() {
        face("a1", 0, null);
        face("a2", 0, null);
        face("a3", 0, null);
        face("b1", 1, null);
        ClusterOutcome outcome = run(FULL, Set.of());
        assertNotNull(personOf(outcome, "a1"));
        assertEquals(personOf(outcome, "a1"), personOf(outcome, "a2"));
        assertEquals(personOf(outcome, "a1"), personOf(outcome, "a3"));
        assertNull(personOf(outcome, "b1"));
        assertEquals(1, outcome.persons().size());
        assertEquals(4, outcome.facesConsidered());
        assertEquals(3, outcome.facesAssigned());
        assertEquals(1, outcome.facesUnassigned());

        ClusterOutcome stricter = run(new ClusterOptions(ClusterMode.FULL, 0.45f, 4, FaceEligibility.ALL), Set.of());
        assertTrue(Arrays.stream(stricter.assignments()).allMatch(p -> p == null));
    }

    @Test
    public void facesBelowTheOptionsTakeNoPart() {
        face("a1", 0, null);
        face("a2", 0, null);
        face("a3", 0, 0.3f, null, Set.of(), 0.5f);
        ClusterOutcome outcome = run(new ClusterOptions(ClusterMode.FULL, 0.45f, 3, new FaceEligibility(0.6f, 0, 0)), Set.of());
        assertEquals(2, outcome.facesConsidered());
        assertNull("two eligible faces are fewer than min_faces 3", personOf(outcome, "a1"));
        assertNull(personOf(outcome, "a3"));

        // taken by size and quality alike
        FaceEligibility bySize = new FaceEligibility(0, 101, 0);
        FaceEligibility byQuality = new FaceEligibility(0, 0, 0.95f);
        assertTrue(bySize.admits(faces.get(0)) == false && byQuality.admits(faces.get(0)) == false);
        assertTrue(FaceEligibility.ALL.admits(faces.get(0)));
    }

    @Test
    public void incrementalRunKeepsPersonsAndNewFacesJoinOrFormPersons() {
        face("a1", 0, "ada");
        face("a2", 0, "ada");
        face("a3", 0, null);
        face("b1", 1, null);
        face("b2", 1, null);
        face("c1", 2, "cy");
        face("c2", 2, null);
        face("x1", 3, "xe");
        ClusterOutcome outcome = run(INCREMENTAL, Set.of());
        assertEquals("ada", personOf(outcome, "a3"));
        assertEquals("cy", personOf(outcome, "c2"));
        assertEquals("new0", personOf(outcome, "b1"));
        assertEquals("new0", personOf(outcome, "b2"));
        assertEquals("a person of one face is kept as it is", "xe", personOf(outcome, "x1"));
        assertEquals(1, outcome.personsCreated());
        assertEquals(2, outcome.personsUpdated());
        assertEquals(4, outcome.persons().size());
        assertTrue(outcome.removed().isEmpty());
        PersonSummary ada = outcome.persons().stream().filter(p -> p.id().equals("ada")).findFirst().orElseThrow();
        assertEquals(3, ada.faceCount());
        assertEquals(3, ada.photoCount());
        assertTrue(ada.changed());
        assertEquals(1.0, Centroids.dot(ada.centroid(), ada.centroid()), 1e-5);
    }

    @Test
    public void aFaceNeverJoinsAPersonItWasSaidNotToBe() {
        face("a1", 0, "ada");
        face("a2", 0, "ada");
        face("a3", 0, 0.3f, null, Set.of("ada"), 0.9f);
        ClusterOutcome incremental = run(INCREMENTAL, Set.of());
        assertNull(personOf(incremental, "a3"));

        // a full run regroups the faces of an unlocked person: the group continues "ada" without the rejecting face
        ClusterOutcome full = run(FULL, Set.of());
        assertEquals("ada", personOf(full, "a1"));
        assertEquals("ada", personOf(full, "a2"));
        assertNull(personOf(full, "a3"));
    }

    @Test
    public void lockedPersonsKeepTheirFacesInAFullRunAndMayGainFaces() {
        face("a1", 0, "ada");
        face("a2", 0, "ada");
        // a face the user put into ada, though it looks like someone else
        face("b1", 1, "ada");
        face("b2", 1, null);
        face("a3", 0, null);
        face("a4", 0, 0.3f, "ada", Set.of(), 0.1f);
        ClusterOutcome outcome = run(new ClusterOptions(ClusterMode.FULL, 0.45f, 2, new FaceEligibility(0.5f, 0, 0)), Set.of("ada"));
        assertEquals("ada", personOf(outcome, "b1"));
        assertEquals("ada", personOf(outcome, "a3"));
        assertEquals("an ineligible face of a locked person stays", "ada", personOf(outcome, "a4"));
        // b2's one look-alike, b1, is in ada: it joins ada too
        assertEquals("ada", personOf(outcome, "b2"));
        assertTrue(outcome.removed().isEmpty());

        // the same faces with ada unlocked: regrouped from scratch, b1 leaves ada
        faces.replaceAll(f -> f.key().id().equals("a4") ? withScore(f, 0.9f) : f);
        ClusterOutcome unlocked = run(FULL, Set.of());
        assertEquals("ada", personOf(unlocked, "a1"));
        assertNotEquals("ada", personOf(unlocked, "b1"));
        assertEquals(personOf(unlocked, "b1"), personOf(unlocked, "b2"));
    }

    @Test
    public void aGroupJoinsAPersonOnlyWhenHalfOfItIsLinkedToIt() {
        face("a1", 0, "ada");
        face("a2", 0, "ada");
        face("a3", 0, "ada");
        // four faces of b, one of them turned halfway towards a: linked to ada and to the other b faces
        face("b1", 1, 0.3f, null, Set.of(), 0.9f);
        face("b2", 1, 0.3f, null, Set.of(), 0.9f);
        face("b3", 1, 0.3f, null, Set.of(), 0.9f);
        float[] between = new float[DIMENSION];
        between[0] = 0.8f;
        between[1] = 1;
        faces.add(new ClusterFace(new FaceKey("photos", "b4", 0), Centroids.normalised(between), 0.9f, 100, 0.9f, null, Set.of()));
        ClusterOutcome outcome = run(INCREMENTAL, Set.of());
        String b = personOf(outcome, "b1");
        assertEquals("new0", b);
        assertEquals(b, personOf(outcome, "b4"));
        assertEquals(3, outcome.persons().stream().filter(p -> p.id().equals("ada")).findFirst().orElseThrow().faceCount());
    }

    @Test
    public void fullRunKeepsTheIdsOfThePersonsItFindsAgainAndRemovesTheOthers() {
        face("a1", 0, "x");
        face("a2", 0, "x");
        face("a3", 0, "y");
        face("b1", 1, "y");
        face("b2", 1, "y");
        face("c1", 2, "z");
        ClusterOutcome outcome = run(FULL, Set.of());
        assertEquals("x", personOf(outcome, "a1"));
        assertEquals("x", personOf(outcome, "a3"));
        assertEquals("y", personOf(outcome, "b1"));
        assertNull(personOf(outcome, "c1"));
        assertEquals(Set.of("z"), outcome.removed());
        assertEquals(0, outcome.personsCreated());
        assertEquals(2, outcome.personsUpdated());
    }

    @Test
    public void facesMustBeSortedAndTheRunCanBeCancelled() {
        face("b", 0, null);
        face("a", 0, null);
        NeighbourGraph graph = new NeighbourGraph.Builder(2, 0.45f).build();
        expectThrowsIllegal(() -> new PeopleClustering(faces, graph, FULL, Set.of(), () -> "p", Cancellation.NONE));
        List<ClusterFace> sorted = PeopleClustering.sorted(faces);
        PeopleClustering cancelled = new PeopleClustering(sorted, graph, FULL, Set.of(), () -> "p", () -> true);
        assertThrows(CancellationException.class, cancelled::run);
    }

    @Test
    public void graphKeepsEachLinkOnceBothWaysAndSorted() {
        NeighbourGraph graph = new NeighbourGraph.Builder(4, 0.5f).add(2, 0, 0.8f)
            .add(0, 2, 0.82f)
            .add(0, 3, 0.6f)
            .add(1, 3, 0.4f)
            .add(3, 3, 1f)
            .add(3, 1, 0.7f)
            .build();
        assertEquals(3, graph.links());
        assertArrayEquals(new int[] { 2, 3 }, neighbours(graph, 0));
        assertEquals("the higher of the two searches counts", 0.82f, graph.similarity(0, 0), 0);
        assertEquals(0.82f, graph.similarity(2, 0), 0);
        assertArrayEquals(new int[] { 3 }, neighbours(graph, 1));
        assertArrayEquals(new int[] { 0, 1 }, neighbours(graph, 3));
        assertThrows(IllegalArgumentException.class, () -> new NeighbourGraph.Builder(2, 0).add(0, 2, 1));
    }

    private static int[] neighbours(NeighbourGraph graph, int face) {
        int[] result = new int[graph.degree(face)];
        for (int k = 0; k < result.length; k++) {
            result[k] = graph.neighbour(face, k);
        }
        return result;
    }

    private static ClusterFace withScore(ClusterFace face, float score) {
        return new ClusterFace(face.key(), face.vector(), score, face.size(), face.quality(), face.person(), face.notPersons());
    }

    private static void expectThrowsIllegal(Runnable runnable) {
        assertThrows(IllegalArgumentException.class, runnable::run);
    }
}
