package io.facesearch.qa.bench;

import org.junit.Test;

import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

/** Reading photo documents back, and choosing their main face from the stored boxes and photo size. */
public class StoredPhotoTests {
    private static Map<String, Object> face(int index, double x, double y, double w, double h, String person) {
        Map<String, Object> box = Map.of("x", x, "y", y, "width", w, "height", h);
        return person == null ? Map.of("index", index, "box", box) : Map.of("index", index, "box", box, "person", person);
    }

    private static StoredPhoto photo(int width, int height, List<Map<String, Object>> faces) {
        return StoredPhoto.fromHit(
            Map.of("_id", "A/a.jpg", "_source", Map.of("photo", Map.of("width", width, "height", height), "faces", faces))
        );
    }

    @Test
    public void readsBoxesAndPersons() {
        StoredPhoto p = photo(250, 250, List.of(face(0, 82.1, 64, 91.3, 118.2, "p1"), face(1, 10, 10, 20, 25, null)));
        assertEquals("A/a.jpg", p.id());
        assertEquals(250, p.width());
        assertEquals(2, p.faces().size());
        assertEquals(new StoredPhoto.Face(0, 82.1f, 64f, 91.3f, 118.2f, "p1"), p.faces().get(0));
        assertNull(p.faces().get(1).person());
    }

    @Test
    public void mainFaceIsTheLargestNearTheCentre() {
        // 400x300 photo, centre (200, 150).
        // face 0: 100x100 at (0, 0), centre (50, 50): area 10000 - 2 (150^2 + 100^2) = 10000 - 65000 = -55000
        // face 1: 80x80 at (160, 110), centre (200, 150): area 6400 - 0 = 6400
        // face 2: 60x60 at (300, 200), centre (330, 230): 3600 - 2 (130^2 + 80^2) = 3600 - 46600 = -43000
        StoredPhoto p = photo(400, 300, List.of(face(0, 0, 0, 100, 100, "x"), face(1, 160, 110, 80, 80, "y"), face(2, 300, 200, 60, 60, null)));
        assertEquals(1, p.mainFace());
        assertEquals("y", p.main().person());
    }

    @Test
    public void aBigFaceCutByTheEdgeLosesToACentralOne() {
        // 1000x600, centre (500, 300). face 0: 300x400 at (-100, 250) cut by the left edge, centre (50, 450):
        //   120000 - 2 (450^2 + 150^2) = 120000 - 450000 = -330000
        // face 1: 200x250 at (420, 180), centre (520, 305): 50000 - 2 (20^2 + 5^2) = 50000 - 850 = 49150
        StoredPhoto p = photo(1000, 600, List.of(face(0, -100, 250, 300, 400, null), face(1, 420, 180, 200, 250, null)));
        assertEquals(1, p.mainFace());
        // the same faces near the centre: the larger wins
        StoredPhoto q = photo(1000, 600, List.of(face(0, 350, 100, 300, 400, null), face(1, 420, 180, 200, 250, null)));
        assertEquals(0, q.mainFace());
    }

    @Test
    public void mainFaceFollowsTheStoredIndexNotThePosition() {
        // stored out of order: the central face carries index 0 but sits second in the list
        StoredPhoto p = photo(400, 300, List.of(face(1, 0, 0, 50, 50, "edge"), face(0, 160, 110, 80, 80, "centre")));
        assertEquals(1, p.mainFace());
        assertEquals("centre", p.main().person());
    }

    @Test
    public void noFaceAndNoSize() {
        StoredPhoto empty = photo(250, 250, List.of());
        assertEquals(-1, empty.mainFace());
        assertNull(empty.main());
        StoredPhoto sizeless = StoredPhoto.fromHit(Map.of("_id", "x", "_source", Map.of("faces", List.of(face(0, 1, 1, 10, 10, null)))));
        assertThrows(BenchException.class, sizeless::mainFace);
    }
}
