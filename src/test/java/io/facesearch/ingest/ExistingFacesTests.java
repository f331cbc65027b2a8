package io.facesearch.ingest;

import org.opensearch.ingest.IngestDocument;
import org.junit.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/** When a document without its photo keeps the faces an earlier run of the processor wrote. */
public class ExistingFacesTests {

    @Test
    public void aDocumentWithNothingOfTheProcessorHasNoFaces() {
        assertFalse(ExistingFaces.present(document(Map.of("caption", "x")), "faces", "photo"));
        assertTrue(ExistingFaces.present(document(Map.of("faces", List.of())), "faces", "photo"));
        assertTrue(ExistingFaces.present(document(Map.of("photo", Map.of())), "faces", "photo"));
    }

    @Test
    public void completeFacesOfTheSameModelsAreKept() {
        assertNull(whyNotKept(analysed(2, 128, VectorModelsTests.FACES), VectorModelsTests.FACES, null, false));
        assertNull("a photo without faces", whyNotKept(analysed(0, 128, VectorModelsTests.FACES), VectorModelsTests.FACES, null, false));
    }

    @Test
    public void facesNeedTheirVectors() {
        Map<String, Object> source = analysed(2, 128, VectorModelsTests.FACES);
        faces(source).get(1).remove("embedding");
        assertEquals("face 1 of [faces] has no [embedding] vector of 128 numbers", whyNotKept(source, VectorModelsTests.FACES, null, false));
        assertEquals(
            "face 0 of [faces] has no [embedding] vector of 128 numbers",
            whyNotKept(analysed(1, 64, VectorModelsTests.FACES), VectorModelsTests.FACES, null, false)
        );
        assertEquals(
            "face 0 of [faces] has no [clip] vector",
            whyNotKept(analysed(1, 128, VectorModelsTests.WITH_CLIP), VectorModelsTests.WITH_CLIP, null, true)
        );
        assertEquals("[faces] is not a list of faces", whyNotKept(Map.of("faces", "none"), VectorModelsTests.FACES, null, false));
    }

    @Test
    public void theClipVectorIsNeededWithClip() {
        Map<String, Object> source = analysed(1, 128, VectorModelsTests.WITH_CLIP);
        assertEquals("[clip] is missing", whyNotKept(source, VectorModelsTests.WITH_CLIP, "clip", false));
        source.put("clip", List.of(0.5f, 0.5f));
        assertNull(whyNotKept(source, VectorModelsTests.WITH_CLIP, "clip", false));
    }

    @Test
    public void theRecordedModelsMustBeTheProcessors() {
        Map<String, Object> source = analysed(1, 128, VectorModelsTests.FACES);
        source.remove("photo");
        assertEquals(
            "[photo.model] is missing, so the models that made the faces are unknown",
            whyNotKept(source, VectorModelsTests.FACES, null, false)
        );
        VectorModels other = new VectorModels("scrfd", "mobilefacenet", "6ced", 128, true, null, null);
        assertEquals(
            "the faces were made by other models than the processor's: [photo.model] detector [yunet], now [scrfd]",
            whyNotKept(analysed(1, 128, VectorModelsTests.FACES), other, null, false)
        );
    }

    private static String whyNotKept(Map<String, Object> source, VectorModels models, String clipField, boolean faceClip) {
        return ExistingFaces.whyNotKept(document(source), "faces", "photo", models, clipField, faceClip);
    }

    /** What the processor writes for a photo with {@code faceCount} faces and vectors of {@code dimension}. */
    private static Map<String, Object> analysed(int faceCount, int dimension, VectorModels models) {
        List<Map<String, Object>> faces = new ArrayList<>();
        for (int i = 0; i < faceCount; i++) {
            Map<String, Object> face = new HashMap<>();
            face.put("index", i);
            face.put("embedding", new ArrayList<>(Collections.nCopies(dimension, 0.1f)));
            faces.add(face);
        }
        Map<String, Object> source = new HashMap<>();
        source.put("faces", faces);
        source.put("photo", new HashMap<>(Map.of("face_count", faceCount, "model", models.asMap())));
        return source;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> faces(Map<String, Object> source) {
        return (List<Map<String, Object>>) source.get("faces");
    }

    private static IngestDocument document(Map<String, Object> source) {
        return new IngestDocument("photos", "1", null, null, null, new HashMap<>(source));
    }
}
