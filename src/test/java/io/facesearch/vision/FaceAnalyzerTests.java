package io.facesearch.vision;

import io.facesearch.vision.detect.DetectedFace;

import org.junit.Test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

/** The whole pipeline on real photos with the real models. */
public class FaceAnalyzerTests {
    private static final DetectionOptions DEFAULTS = new DetectionOptions(0.6f, 0, 100);
    private final FaceAnalyzer analyzer = TestModels.analyzer();

    @Test
    public void findsOneFaceWithLandmarksInsideTheBoxOfAPortrait() {
        FaceAnalysis analysis = analyzer.analyze(TestModels.photo("people/Barack_Obama/fr_obama.jpg"), DEFAULTS, true);
        assertEquals(1, analysis.faces().size());
        DetectedFace face = analysis.faces().get(0).detection();
        float[] p = face.landmarks();
        for (int i = 0; i < 5; i++) {
            assertTrue("landmark " + i + " inside box", p[2 * i] > face.x() && p[2 * i] < face.x() + face.width());
            assertTrue("landmark " + i + " inside box", p[2 * i + 1] > face.y() && p[2 * i + 1] < face.y() + face.height());
        }
        // subject's right eye is on the image left, eyes above the nose, nose above the mouth
        assertTrue(p[0] < p[2]);
        assertTrue(p[5] > Math.max(p[1], p[3]));
        assertTrue(p[7] > p[5] && p[9] > p[5]);
        float[] embedding = analysis.faces().get(0).embedding();
        assertNotNull(embedding);
        assertEquals(128, embedding.length);
        double norm = 0;
        for (float v : embedding) {
            norm += v * v;
        }
        assertEquals(1.0, norm, 1e-4);
    }

    @Test
    public void findsEveryFaceOfAGroupPhotoLargestFirst() {
        FaceAnalysis analysis = analyzer.analyze(TestModels.photo("group/insightface_t1.jpg"), DEFAULTS, true);
        assertEquals(6, analysis.faces().size());
        for (int i = 1; i < analysis.faces().size(); i++) {
            assertTrue(analysis.faces().get(i - 1).detection().area() >= analysis.faces().get(i).detection().area());
            assertEquals(i, analysis.faces().get(i).index());
        }
    }

    @Test
    public void samePersonIsMoreSimilarThanDifferentPeople() {
        float same = similarity("people/Barack_Obama/fr_obama.jpg", "people/Barack_Obama/fr_obama2.jpg");
        float different = similarity("people/Barack_Obama/fr_obama.jpg", "people/Kit_Harington/fr_john1.jpeg");
        assertTrue("same person similarity " + same, same > 0.5f);
        assertTrue("different people similarity " + different, different < 0.25f);
    }

    @Test
    public void findsNoFaceInAPhotoWithout() {
        FaceAnalysis analysis = analyzer.analyze(TestModels.photo("noface/skimage_coffee.png"), DEFAULTS, true);
        assertEquals(0, analysis.faces().size());
    }

    private float similarity(String a, String b) {
        float[] x = analyzer.analyze(TestModels.photo(a), DEFAULTS, true).faces().get(0).embedding();
        float[] y = analyzer.analyze(TestModels.photo(b), DEFAULTS, true).faces().get(0).embedding();
        return io.facesearch.vision.embed.FaceEmbedder.cosine(x, y);
    }
}
