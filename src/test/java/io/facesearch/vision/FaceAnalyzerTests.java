package io.facesearch.vision;

import io.facesearch.vision.detect.DetectedFace;
import io.facesearch.vision.image.DecodedImage;

import org.junit.Test;

import java.util.concurrent.atomic.AtomicInteger;

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
    public void largePortraitIsAnalysedFromReducedPixels() {
        byte[] photo = TestModels.photo("people/Steve_Wozniak/fr_steve_wozniak1.jpg"); // 4098x2735
        DecodedImage reduced = analyzer.decodeForDetection(photo);
        assertTrue(analyzer.decoder().isReduced(reduced));
        assertEquals(1025, reduced.width()); // 1/4, still above the detector's 640
        AtomicInteger fullDecodes = new AtomicInteger();
        FaceAnalysis fromReduced = analyzer.analyze(reduced, () -> {
            fullDecodes.incrementAndGet();
            return analyzer.decoder().decode(photo);
        }, DEFAULTS, true);
        assertEquals("the face is large enough to be aligned from the reduced pixels", 0, fullDecodes.get());
        assertEquals(4098, fromReduced.width());
        assertEquals(2735, fromReduced.height());

        FaceAnalysis fromFull = analyzer.analyze(analyzer.decoder().decode(photo), DEFAULTS, true);
        assertEquals(fromFull.faces().size(), fromReduced.faces().size());
        AnalyzedFace a = fromFull.faces().get(0);
        AnalyzedFace b = fromReduced.faces().get(0);
        assertTrue("box overlap " + a.detection() + " " + b.detection(), intersectionOverUnion(a.detection(), b.detection()) > 0.85);
        float similarity = dot(a.embedding(), b.embedding());
        assertTrue("similarity to the full-size analysis " + similarity, similarity > 0.9f);
    }

    @Test
    public void smallFacesOfALargePhotoAreAlignedFromTheFullDecode() {
        byte[] photo = TestModels.photo("group/fr_obama_and_biden.jpg"); // 2000x1428, faces under 224 pixels
        DecodedImage reduced = analyzer.decodeForDetection(photo);
        assertEquals(1000, reduced.width());
        AtomicInteger fullDecodes = new AtomicInteger();
        FaceAnalysis fromReduced = analyzer.analyze(reduced, () -> {
            fullDecodes.incrementAndGet();
            return analyzer.decoder().decode(photo);
        }, DEFAULTS, true);
        assertEquals(1, fullDecodes.get());
        FaceAnalysis fromFull = analyzer.analyze(analyzer.decoder().decode(photo), DEFAULTS, true);
        assertEquals(fromFull.faces().size(), fromReduced.faces().size());
        for (int i = 0; i < fromFull.faces().size(); i++) {
            float similarity = dot(fromFull.faces().get(i).embedding(), fromReduced.faces().get(i).embedding());
            assertTrue("face " + i + " similarity to the full-size analysis " + similarity, similarity > 0.95f);
        }
    }

    private static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double intersectionOverUnion(DetectedFace a, DetectedFace b) {
        double width = Math.min(a.x() + a.width(), b.x() + b.width()) - Math.max(a.x(), b.x());
        double height = Math.min(a.y() + a.height(), b.y() + b.height()) - Math.max(a.y(), b.y());
        double intersection = Math.max(0, width) * Math.max(0, height);
        return intersection / (a.area() + b.area() - intersection);
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
