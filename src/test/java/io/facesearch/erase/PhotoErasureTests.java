package io.facesearch.erase;

import org.junit.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/** What an erasure takes out of one photo's source, by each kind of criteria. */
public class PhotoErasureTests {
    private static final FaceErasure.PhotoIndex PHOTOS = new FaceErasure.PhotoIndex("photos", "photo", "image", "clip");

    private static Map<String, Object> face(int index, List<Float> embedding, String identity, String person) {
        Map<String, Object> face = new LinkedHashMap<>();
        face.put("index", index);
        face.put("box", Map.of("x", 10 * index, "y", 0, "width", 50, "height", 60));
        face.put("embedding", embedding);
        if (identity != null) {
            face.put("identity", identity);
        }
        if (person != null) {
            face.put("person", person);
        }
        return face;
    }

    private static Map<String, Object> photo(Object photoLabel) {
        Map<String, Object> photo = new LinkedHashMap<>();
        photo.put("image", "AAAA");
        photo.put("clip", List.of(0.1f, 0.2f));
        photo.put("caption", "at the beach");
        if (photoLabel != null) {
            photo.put("identity", photoLabel);
        }
        photo.put("photo", Map.of("width", 640, "height", 480, "face_count", 3));
        List<Object> faces = new ArrayList<>();
        faces.add(face(0, List.of(1f, 0f, 0f), null, "p-bob"));
        faces.add(face(1, List.of(0.8f, 0.6f, 0f), "Ada", "p-ada"));
        faces.add(face(2, List.of(0f, 0f, 1f), null, null));
        photo.put("faces", faces);
        return photo;
    }

    @Test
    @SuppressWarnings("unchecked")
    public void anExampleTakesOutTheFacesLikeItAndWhatShowsThem() {
        EraseCriteria example = new EraseCriteria.ByExample(new float[] { 1f, 0f, 0f }, "embedding", 0.7f, "vector", Map.of());
        PhotoErasure erasure = PhotoErasure.of("photos", photo(null), example, false);
        assertFalse(erasure.nothing());
        assertFalse(erasure.wholePhoto());
        // similarities 1.0 and 0.8 pass 0.7, the third face (0.0) does not
        assertEquals(List.of(0, 1), erasure.matchedFaces().stream().map(PhotoErasure.MatchedFace::position).toList());
        assertEquals(0.8, erasure.matchedFaces().get(1).similarity(), 1e-6);
        assertEquals(Set.of("p-bob", "p-ada"), erasure.persons());

        Map<String, Object> kept = erasure.remainingPhoto(PHOTOS);
        List<Map<String, Object>> faces = (List<Map<String, Object>>) kept.get("faces");
        assertEquals(1, faces.size());
        assertEquals(List.of(0f, 0f, 1f), faces.get(0).get("embedding"));
        assertEquals("renumbered", 0, faces.get(0).get("index"));
        assertEquals(1, ((Map<String, Object>) kept.get("photo")).get("face_count"));
        assertNull("the stored photo shows the subject", kept.get("image"));
        assertNull("so does the photo's CLIP vector", kept.get("clip"));
        assertEquals("at the beach", kept.get("caption"));

        Map<String, Object> listed = erasure.listing("photos", "7");
        assertEquals(false, listed.get("whole_photo"));
        List<Map<String, Object>> listedFaces = (List<Map<String, Object>>) listed.get("faces");
        assertEquals(0, listedFaces.get(0).get("face"));
        assertEquals(1, listedFaces.get(1).get("face"));
        assertEquals(1f, (Float) listedFaces.get(0).get("similarity"), 1e-6);
        assertEquals(0.8f, (Float) listedFaces.get(1).get("similarity"), 1e-6);
        assertEquals("p-ada", listedFaces.get(1).get("person"));
        assertTrue(listedFaces.get(1).containsKey("box"));
    }

    @Test
    public void aLabelOnThePhotoTakesItWhole() {
        EraseCriteria ada = new EraseCriteria.ByIdentity("Ada", "identity");
        PhotoErasure onFace = PhotoErasure.of("photos", photo(null), ada, false);
        assertFalse(onFace.wholePhoto());
        assertEquals(List.of(1), onFace.matchedFaces().stream().map(PhotoErasure.MatchedFace::position).toList());
        assertTrue(PhotoErasure.of("photos", photo("Ada"), ada, false).wholePhoto());
        assertTrue("a label among several", PhotoErasure.of("photos", photo(List.of("Bob", "Ada")), ada, false).wholePhoto());
        assertTrue(PhotoErasure.of("photos", photo(null), new EraseCriteria.ByIdentity("Cy", "identity"), false).nothing());
    }

    @Test
    public void aPersonsFacesGoAndWithScopeDocumentsTheirPhotos() {
        EraseCriteria bob = new EraseCriteria.ByPerson("p-bob", "Bob");
        PhotoErasure faces = PhotoErasure.of("photos", photo(null), bob, false);
        assertEquals(List.of(0), faces.matchedFaces().stream().map(PhotoErasure.MatchedFace::position).toList());
        assertFalse(faces.wholePhoto());
        assertTrue(PhotoErasure.of("photos", photo(null), bob, true).wholePhoto());
        assertTrue(PhotoErasure.of("photos", photo(null), new EraseCriteria.ByPerson("p-cy", null), true).nothing());
        assertEquals(Map.of("person", "p-bob", "person_name", "Bob"), bob.describe());
    }

    @Test
    public void aBrokenOrMissingVectorMatchesNothing() {
        EraseCriteria example = new EraseCriteria.ByExample(new float[] { 1f, 0f, 0f }, "embedding", -1f, "vector", Map.of());
        Map<String, Object> photo = new LinkedHashMap<>();
        photo.put("faces", List.of(Map.of("embedding", List.of(1f, 0f)), Map.of("embedding", List.of("a", "b", "c")), Map.of(), "not a face"));
        assertTrue(PhotoErasure.of("photos", photo, example, false).nothing());
        assertTrue(PhotoErasure.of("photos", Map.of("caption", "no faces"), example, false).nothing());
        assertEquals(Map.of("example", "vector", "field", "faces.embedding", "min_similarity", -1f), example.describe());
    }
}
