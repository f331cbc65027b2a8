package io.facesearch.qa.bench;

import org.junit.Test;

import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;

/** The benchmark's own arithmetic on photos read back, and its argument handling. */
public class ClusterBenchmarkTests {
    private static Map<String, Object> face(int index, double x, double y, double size, String person) {
        Map<String, Object> box = Map.of("x", x, "y", y, "width", size, "height", size);
        return person == null ? Map.of("index", index, "box", box) : Map.of("index", index, "box", box, "person", person);
    }

    private static StoredPhoto photo(String id, List<Map<String, Object>> faces) {
        return StoredPhoto.fromHit(Map.of("_id", id, "_source", Map.of("photo", Map.of("width", 200, "height", 200), "faces", faces)));
    }

    @Test
    public void snapshotScoresTheMainFaces() {
        List<StoredPhoto> photos = List.of(
            // main face: the central one (index 1), in p1; the corner face is in p2
            photo("A/1.jpg", List.of(face(0, 0, 0, 60, "p2"), face(1, 75, 75, 50, "p1"))),
            photo("A/2.jpg", List.of(face(0, 50, 50, 100, "p1"))),
            photo("A/3.jpg", List.of(face(0, 50, 50, 100, null))),
            photo("B/1.jpg", List.of(face(0, 50, 50, 100, "p1"))),
            photo("B/2.jpg", List.of())
        );
        ClusterBenchmark.Snapshot s = ClusterBenchmark.snapshot(photos, ClusterCorpus::identityOf, 0);
        assertEquals(5, s.photos());
        assertEquals(1, s.photosWithoutFace());
        assertEquals(1, s.photosWithSeveralFaces());
        assertEquals(5, s.faces());
        assertEquals(1, s.facesUnassigned());
        assertEquals(2, s.persons());
        assertEquals(1, s.personsOfMainFaces());
        assertEquals(1, s.mainUnassigned());
        assertEquals(
            List.of(
                new IncrementalCheck.MainFace("A/1.jpg#1", "A", "p1"),
                new IncrementalCheck.MainFace("A/2.jpg#0", "A", "p1"),
                new IncrementalCheck.MainFace("A/3.jpg#0", "A", null),
                new IncrementalCheck.MainFace("B/1.jpg#0", "B", "p1")
            ),
            s.mainFaces()
        );
        assertEquals(Map.of("A/1.jpg#0", "p2", "A/1.jpg#1", "p1", "A/2.jpg#0", "p1", "B/1.jpg#0", "p1"), s.assignments());
        // main faces: p1 = {A, A, B}, A alone. BCubed precision: A 2/3 x 2, B 1/3, lone A 1 → 8/3 over 4 = 2/3;
        // recall: A in p1 2/3 x 2, lone A 1/3, B 1 → 8/3 over 4 = 2/3
        assertEquals(2.0 / 3, s.scores().bcubedPrecision(), 1e-12);
        assertEquals(2.0 / 3, s.scores().bcubedRecall(), 1e-12);
        assertEquals(1, s.identitiesWithMinFaces(3));
        assertEquals(2, s.identitiesWithMinFaces(1));
    }

    @Test
    public void syntheticCountDefaultsWhenLeftOut() {
        assertEquals(List.of("--synthetic", "100000", "--url", "u"), ClusterBenchmark.withSyntheticCount(List.of("--synthetic", "--url", "u")));
        assertEquals(List.of("--synthetic", "100000"), ClusterBenchmark.withSyntheticCount(List.of("--synthetic")));
        assertEquals(List.of("--synthetic", "5000", "--url", "u"), ClusterBenchmark.withSyntheticCount(List.of("--synthetic", "5000", "--url", "u")));
        assertEquals(List.of("--images", "d"), ClusterBenchmark.withSyntheticCount(List.of("--images", "d")));
    }
}
