package io.facesearch.vision;

import io.facesearch.vision.detect.DetectedFace;
import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.image.ImageDecoder;
import io.facesearch.vision.image.MemoryBudget;

import org.junit.Test;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import static org.junit.Assert.assertArrayEquals;
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
        ReducedAnalysis analysed = analyzeFromReduced(photo, 1025); // 1/4, still above the detector's 640
        FaceAnalysis fromReduced = analysed.analysis();
        assertEquals("the face is large enough to be aligned from the reduced pixels", 0, analysed.askedLongSides().size());
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
        ReducedAnalysis analysed = analyzeFromReduced(photo, 1000);
        List<Integer> askedLongSides = analysed.askedLongSides();
        assertEquals(1, askedLongSides.size());
        // the crop of the smallest face would take 1.25 of its pixels per pixel at 1/2: a long side of 1250, which
        // only the full size has
        assertTrue("long side asked for " + askedLongSides, askedLongSides.get(0) > 1000 && askedLongSides.get(0) <= 2000);
        assertSameFacesAsFromTheFullSize(photo, analysed.analysis());
    }

    @Test
    public void smallFacesOfACameraSizedPhotoAreAlignedFromADecodeNoLargerThanTheyNeed() throws IOException {
        // the group photo at twice its size, as a camera takes it: 4000x2856, decoded at 1/4 for the detector
        byte[] photo = enlarged(TestModels.photo("group/fr_obama_and_biden.jpg"), 2);
        ReducedAnalysis analysed = analyzeFromReduced(photo, 1000);
        assertEquals(
            "decoded again at 1/2, where the crop of the smallest face enlarges none of its pixels",
            List.of(2000),
            analysed.decodedWidths()
        );
        assertSameFacesAsFromTheFullSize(photo, analysed.analysis());
    }

    @Test
    public void facesThatNeedDifferentSizesAreAlignedFromOneDecodeOfEachSizeInTurn() throws IOException {
        // 24 faces found at 1/8 of 5958x4635: some need 1/4, the others 1/2, the largest decode the 16-megapixel
        // working size allows
        byte[] photo = enlarged(TestModels.photo("group/dlib_bald_guys.jpg"), 3);
        DecodedImage reduced = analyzer.decodeForDetection(photo);
        assertEquals(745, reduced.width());
        // the larger decodes reserve their pixels here, so that what each still holds is seen
        MemoryBudget.Limited budget = (MemoryBudget.Limited) MemoryBudget.limited(1L << 30);
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.DEFAULT_WORKING_MAX_PIXELS, budget);
        List<Integer> largerWidths = new ArrayList<>();
        List<Long> heldBefore = new ArrayList<>();
        FaceAnalysis analysis = analyzer.analyze(reduced, longSide -> {
            heldBefore.add(budget.used());
            DecodedImage larger = decoder.decode(photo, longSide);
            largerWidths.add(larger.width());
            return larger;
        }, DEFAULTS, true);
        assertEquals(List.of(1490, 2979), largerWidths);
        assertEquals("one larger decode at a time", List.of(0L, 0L), heldBefore);
        assertEquals("each closed once its faces are aligned", 0L, budget.used());
        assertTrue(analysis.faces().size() >= 20);
    }

    @Test
    public void aFaceIsAlignedFromTheSamePixelsWhateverFacesAreFoundWithIt() {
        // 2000x1428 at 1/2: the smallest of its three faces is aligned from the full size, the two others are not
        byte[] photo = TestModels.photo("group/fr_obama_and_biden.jpg");
        FaceAnalysis all = analyzer.analyze(photo, DEFAULTS, true);
        FaceAnalysis largestTwo = analyzer.analyze(photo, new DetectionOptions(0.6f, 0, 2), true);
        assertEquals(3, all.faces().size());
        assertEquals(2, largestTwo.faces().size());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(all.faces().get(i).embedding(), largestTwo.faces().get(i).embedding(), 0f);
        }
    }

    @Test
    public void aFaceWhoseCropShrinksTheReducedPixelsIsAlignedFromThem() {
        // 1600x1055, decoded at 1/2 for the detector: a face box of about 100 pixels there, below the crop's 112,
        // but the crop, which spans more than the box, still takes fewer pixels than that face has
        byte[] photo = TestModels.photo("people/deepface_c04/deepface_img58.jpg");
        ReducedAnalysis analysed = analyzeFromReduced(photo, 800);
        FaceAnalysis fromReduced = analysed.analysis();
        assertEquals(1, fromReduced.faces().size());
        float boxSide = Math.min(fromReduced.faces().get(0).detection().width(), fromReduced.faces().get(0).detection().height()) / 2;
        assertTrue("box side at 1/2 " + boxSide, boxSide < 112);
        assertEquals(0, analysed.askedLongSides().size());
        assertSameFacesAsFromTheFullSize(photo, fromReduced);
    }

    /** A photo analysed from its reduced decode, and the long side each larger decode was asked for and the width it gave. */
    private record ReducedAnalysis(FaceAnalysis analysis, List<Integer> askedLongSides, List<Integer> decodedWidths) {}

    /** Analyses {@code photo} from the reduced decode the detector gets, {@code reducedWidth} wide, recording each larger decode. */
    private ReducedAnalysis analyzeFromReduced(byte[] photo, int reducedWidth) {
        DecodedImage reduced = analyzer.decodeForDetection(photo);
        assertTrue(analyzer.decoder().isReduced(reduced));
        assertEquals(reducedWidth, reduced.width());
        List<Integer> askedLongSides = new ArrayList<>();
        List<Integer> decodedWidths = new ArrayList<>();
        FaceAnalysis analysis = analyzer.analyze(reduced, longSide -> {
            askedLongSides.add(longSide);
            DecodedImage larger = analyzer.decoder().decode(photo, longSide);
            decodedWidths.add(larger.width());
            return larger;
        }, DEFAULTS, true);
        return new ReducedAnalysis(analysis, askedLongSides, decodedWidths);
    }

    private void assertSameFacesAsFromTheFullSize(byte[] photo, FaceAnalysis analysis) {
        FaceAnalysis fromFull = analyzer.analyze(analyzer.decoder().decode(photo), DEFAULTS, true);
        assertEquals(fromFull.faces().size(), analysis.faces().size());
        for (int i = 0; i < fromFull.faces().size(); i++) {
            float similarity = dot(fromFull.faces().get(i).embedding(), analysis.faces().get(i).embedding());
            assertTrue("face " + i + " similarity to the full-size analysis " + similarity, similarity > 0.95f);
        }
    }

    /** {@code jpeg} scaled up {@code factor} times by bilinear interpolation, encoded again as a JPEG. */
    private static byte[] enlarged(byte[] jpeg, int factor) throws IOException {
        BufferedImage source = ImageIO.read(new ByteArrayInputStream(jpeg));
        BufferedImage target = new BufferedImage(source.getWidth() * factor, source.getHeight() * factor, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D graphics = target.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(source, 0, 0, target.getWidth(), target.getHeight(), null);
        } finally {
            graphics.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(target, "jpg", out);
        return out.toByteArray();
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
