package io.facesearch.ingest;

import org.junit.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;

/** Which new faces of a photo analysed again take the person fields of its earlier faces. */
public class FacePersonCarryOverTests {
    private static final VectorModels OTHER_EMBEDDER = new VectorModels("yunet", "arcface_r100", "77aa", 512, false, null, null);
    private static final float SAME_PERSON = 0.3f;

    private static Map<String, Object> face(float x, float y, float size, List<Float> embedding) {
        Map<String, Object> face = new LinkedHashMap<>();
        face.put("box", Map.of("x", x, "y", y, "width", size, "height", size));
        face.put("embedding", embedding);
        return face;
    }

    private static Map<String, Object> named(Map<String, Object> face, String person, String... notPersons) {
        face.put("person", person);
        if (notPersons.length > 0) {
            face.put("not_persons", List.of(notPersons));
        }
        return face;
    }

    private static List<Float> direction(int axis) {
        List<Float> vector = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            vector.add(i == axis ? 1f : 0f);
        }
        return vector;
    }

    private static Map<String, Object> model(VectorModels models) {
        return models.asMap();
    }

    @Test
    public void reDetectedFacesKeepTheirPersonsByBoxes() {
        List<Object> before = List.of(
            named(face(10, 10, 100, direction(0)), "ada", "bob"),
            named(face(300, 20, 80, direction(1)), "cy")
        );
        // another detector: the same two faces boxed a little differently, in the other order, and a third face
        List<Map<String, Object>> after = List.of(
            face(296, 26, 84, direction(1)),
            face(600, 600, 50, direction(2)),
            face(14, 6, 104, direction(0))
        );
        assertEquals(2, FacePersonCarryOver.carry(before, model(VectorModelsTests.FACES), after, VectorModelsTests.FACES, SAME_PERSON));
        assertEquals("cy", after.get(0).get("person"));
        assertNull(after.get(0).get("not_persons"));
        assertNull("a face found only now has no person", after.get(1).get("person"));
        assertEquals("ada", after.get(2).get("person"));
        assertEquals(List.of("bob"), after.get(2).get("not_persons"));
    }

    @Test
    public void aReplacedPhotoDoesNotInheritPersonsWhenTheVectorsCanTell() {
        List<Object> before = List.of(named(face(10, 10, 100, direction(0)), "ada"));
        List<Map<String, Object>> after = List.of(face(10, 10, 100, direction(5)));
        assertEquals(0, FacePersonCarryOver.carry(before, model(VectorModelsTests.FACES), after, VectorModelsTests.FACES, SAME_PERSON));
        assertNull(after.get(0).get("person"));
    }

    @Test
    public void withAnotherEmbedderTheBoxesAloneDecide() {
        List<Object> before = List.of(named(face(10, 10, 100, direction(0)), "ada"));
        List<Float> otherSpace = new ArrayList<>(java.util.Collections.nCopies(512, 0.04f));
        List<Map<String, Object>> after = List.of(face(12, 10, 100, otherSpace));
        assertEquals(1, FacePersonCarryOver.carry(before, model(VectorModelsTests.FACES), after, OTHER_EMBEDDER, SAME_PERSON));
        assertEquals("ada", after.get(0).get("person"));
    }

    @Test
    public void boxesThatOverlapTooLittleAreOtherFaces() {
        List<Object> before = List.of(named(face(0, 0, 100, direction(0)), "ada"));
        // intersection over union 50x100 / (2x100x100 - 5000) = 1/3
        List<Map<String, Object>> after = List.of(face(50, 0, 100, direction(0)));
        assertEquals(0, FacePersonCarryOver.carry(before, null, after, VectorModelsTests.FACES, SAME_PERSON));
        assertEquals(1.0 / 3, FacePersonCarryOver.overlap(new float[] { 0, 0, 100, 100 }, new float[] { 50, 0, 100, 100 }), 1e-9);
    }

    @Test
    public void eachEarlierFaceGoesToOneNewFaceTheBestOverlapping() {
        List<Object> before = List.of(named(face(0, 0, 100, direction(0)), "ada"));
        List<Map<String, Object>> after = List.of(face(10, 10, 100, direction(0)), face(2, 2, 100, direction(0)));
        assertEquals(1, FacePersonCarryOver.carry(before, model(VectorModelsTests.FACES), after, VectorModelsTests.FACES, SAME_PERSON));
        assertFalse(after.get(0).containsKey("person"));
        assertEquals("ada", after.get(1).get("person"));
    }

    @Test
    public void whateverTheDocumentHeldBeforeIsNoError() {
        List<Map<String, Object>> after = List.of(face(0, 0, 100, direction(0)));
        for (Object previous : new Object[] {
            null,
            "faces",
            List.of(),
            List.of("a face"),
            List.of(Map.of("person", "ada")),
            List.of(Map.of("person", "ada", "box", Map.of("x", "0", "y", 0, "width", 100, "height", 100))),
            List.of(Map.of("person", "ada", "box", Map.of("x", Double.NaN, "y", 0, "width", 100, "height", 100))),
            List.of(Map.of("person", "ada", "box", Map.of("x", 0, "y", 0, "width", -100, "height", 100))),
            List.of(Map.of("box", Map.of("x", 0, "y", 0, "width", 100, "height", 100))) }) {
            assertEquals(String.valueOf(previous), 0, FacePersonCarryOver.carry(previous, "model", after, VectorModelsTests.FACES, SAME_PERSON));
        }
        assertNull(after.get(0).get("person"));
        // a face whose stored vector is missing or broken cannot be checked against the new one, so it is not taken
        List<Object> noVector = List.of(Map.of("person", "ada", "box", Map.of("x", 0, "y", 0, "width", 100, "height", 100)));
        assertEquals(0, FacePersonCarryOver.carry(noVector, model(VectorModelsTests.FACES), after, VectorModelsTests.FACES, SAME_PERSON));
    }
}
