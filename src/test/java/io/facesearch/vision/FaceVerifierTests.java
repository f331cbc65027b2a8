package io.facesearch.vision;

import io.facesearch.vision.detect.DetectedFace;
import io.facesearch.vision.image.ImageFormat;

import org.junit.Test;

import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class FaceVerifierTests {

    private static AnalyzedFace face(int index, float x, float y, float w, float h, float[] embedding) {
        return new AnalyzedFace(index, new DetectedFace(x, y, w, h, 0.9f, new float[10]), embedding, null);
    }

    private static FaceAnalysis photo(AnalyzedFace... faces) {
        return new FaceAnalysis(250, 250, ImageFormat.JPEG, List.of(faces), 0, 0, 0, 0);
    }

    @Test
    public void mainFaceIsTheCentredOneNotAPartialFaceCutByTheEdge() {
        // a tall partial face at the left edge has the larger box; the centred face is the photo's subject
        FaceAnalysis analysis = photo(face(0, 0, 40, 87, 160, null), face(1, 75, 60, 100, 131, null));
        assertEquals(1, FaceVerifier.mainFace(analysis));
    }

    @Test
    public void mainFaceOfAPortraitIsItsOnlyFace() {
        assertEquals(0, FaceVerifier.mainFace(photo(face(0, 10, 10, 30, 30, null))));
    }

    @Test
    public void verifyComparesTheChosenFacesAtTheThreshold() {
        float[] x = { 1, 0 };
        float[] y = { 0.6f, 0.8f };
        FaceAnalysis a = photo(face(0, 75, 75, 100, 100, x));
        FaceAnalysis b = photo(face(0, 75, 75, 100, 100, y), face(1, 0, 0, 20, 20, x));
        FaceVerifier.Verification main = FaceVerifier.verify("a", a, null, "b", b, null, 0.7f);
        assertEquals(0.6f, main.similarity(), 1e-6);
        assertFalse(main.samePerson());
        FaceVerifier.Verification chosen = FaceVerifier.verify("a", a, null, "b", b, 1, 0.7f);
        assertEquals(1f, chosen.similarity(), 1e-6);
        assertTrue(chosen.samePerson());
        assertEquals(1, chosen.faceB().index());
    }

    @Test
    public void noFaceAndBadIndexAreClearErrors() {
        FaceAnalysis empty = photo();
        FaceAnalysis one = photo(face(0, 75, 75, 100, 100, new float[] { 1, 0 }));
        NoFaceFoundException none = assertThrows(NoFaceFoundException.class, () -> FaceVerifier.verify("a", empty, null, "b", one, null, 0.3f));
        assertEquals("no face found in [a]", none.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> FaceVerifier.verify("a", one, 3, "b", one, null, 0.3f));
        assertTrue(range.getMessage(), range.getMessage().contains("face index 3 is out of range"));
    }
}
