package io.facesearch.vision.clip;

import io.facesearch.vision.TestModels;
import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.image.TestImages;
import io.facesearch.vision.model.ModelManifest;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelUnavailableException;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class ClipEngineTests {
    private static Path modelsDir;
    private static ModelManifest manifest;
    private static ClipEngine engine;

    @BeforeClass
    public static void openModels() throws IOException {
        modelsDir = Files.createTempDirectory("clip-engine-tests");
        Path manifestFile = TestClipModels.prepareModelsFolder(modelsDir, TestModels.modelsDir(), Path.of("models/manifest.json"));
        manifest = ModelManifest.fromMap(
            org.opensearch.common.xcontent.XContentHelper.convertToMap(
                org.opensearch.common.xcontent.json.JsonXContent.jsonXContent,
                Files.readString(manifestFile),
                true
            )
        );
        engine = ClipEngine.open(modelsDir, manifest, TestClipModels.IMAGE_MODEL, TestClipModels.TEXT_MODEL);
    }

    @AfterClass
    public static void closeModels() {
        engine.close();
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Test
    public void bothModelsShareTheSpace() {
        assertTrue(engine.canEmbedImages());
        assertTrue(engine.canEmbedTexts());
        assertEquals(TestClipModels.DIMENSION, engine.dimension());
        assertEquals(TestClipModels.IMAGE_MODEL, engine.imageModel().name());
        assertEquals(TestClipModels.TEXT_MODEL, engine.textModel().name());
    }

    @Test
    public void textsAreTokenizedAndEmbedded() {
        assertEquals(0, TestClipModels.largest(engine.embedText("a photo of something RED")));
        assertEquals(1, TestClipModels.largest(engine.embedText("green")));
        assertEquals(2, TestClipModels.largest(engine.embedText("  Blue!  ")));
        // the test text model sums the rows of every real token: start marker, "red", end marker
        float[] expected = new float[TestClipModels.DIMENSION];
        for (long id : new long[] { 49406, TestClipModels.tokenId("red</w>"), 49407 }) {
            float[] row = TestClipModels.tokenRow(id);
            for (int i = 0; i < expected.length; i++) {
                expected[i] += row[i];
            }
        }
        float[] red = engine.embedText("red");
        assertEquals("the text vector is the sum of its tokens' rows, normalised", 1.0, dot(red, expected) / Math.sqrt(dot(expected, expected)), 1e-5);
    }

    @Test
    public void aTextFindsThePhotoOfItsColour() {
        DecodedImage redPhoto = TestImages.uniform(40, 30, 20, 20, 230);
        DecodedImage greenPhoto = TestImages.uniform(30, 40, 20, 230, 20);
        float[] red = engine.embedImage(redPhoto);
        float[] green = engine.embedImage(greenPhoto);
        float[] query = engine.embedText("a red car");
        assertTrue(dot(query, red) > dot(query, green));
        assertEquals(1.0, Math.sqrt(dot(red, red)), 1e-5);
    }

    @Test
    public void faceCropsAreEmbeddedInTheSameBatchAsThePhoto() {
        // left half red, right half blue: a crop of each half points at its own colour, the photo between them
        DecodedImage photo = TestImages.generated(200, 100, (x, y, c) -> switch (c) {
            case 0 -> x < 100 ? 20 : 230;
            case 1 -> 20;
            default -> x < 100 ? 230 : 20;
        });
        List<float[]> boxes = new ArrayList<>();
        boxes.add(new float[] { 20, 30, 40, 40 });
        boxes.add(new float[] { 140, 30, 40, 40 });
        float[][] vectors = engine.embedImages(photo, boxes);
        assertEquals(3, vectors.length);
        assertEquals("left face crop is red", 0, TestClipModels.largest(vectors[1]));
        assertEquals("right face crop is blue", 2, TestClipModels.largest(vectors[2]));
        assertArrayEquals("the photo's vector does not depend on the faces", engine.embedImage(photo), vectors[0], 1e-6f);
    }

    @Test
    public void manyFacesAreEmbeddedInSeveralRunsWithTheSameResults() {
        // colours change across the photo, so every crop has its own vector and a mix-up would show
        DecodedImage photo = TestImages.generated(400, 300, (x, y, c) -> switch (c) {
            case 0 -> 255 - x * 255 / 400;
            case 1 -> y * 255 / 300;
            default -> x * 255 / 400;
        });
        List<float[]> boxes = new ArrayList<>();
        for (int i = 0; i < 2 * ClipImageEncoder.MAX_IMAGES_PER_RUN + 3; i++) {
            boxes.add(new float[] { 10 + 9 * i, 20 + 5 * i, 30, 40 });
        }
        float[][] vectors = engine.embedImages(photo, boxes);
        assertEquals(boxes.size() + 1, vectors.length);
        assertArrayEquals(engine.embedImage(photo), vectors[0], 1e-6f);
        for (int i = 0; i < boxes.size(); i++) {
            float[] alone = engine.embedImages(photo, List.of(boxes.get(i)))[1];
            assertArrayEquals("face " + i, alone, vectors[i + 1], 1e-6f);
        }
        assertTrue("crops differ", Math.abs(dot(vectors[1], vectors[boxes.size()]) - 1) > 1e-4);
    }

    @Test
    public void faceCropIsASquareAroundTheBoxClippedToThePhoto() {
        DecodedImage photo = TestImages.uniform(100, 80, 1, 2, 3);
        DecodedImage inside = ClipEngine.faceCrop(photo, new float[] { 40, 30, 20, 10 });
        assertEquals(30, inside.width());
        assertEquals(30, inside.height());
        DecodedImage corner = ClipEngine.faceCrop(photo, new float[] { 0, 0, 20, 20 });
        assertEquals("clipped at the left edge", 25, corner.width());
        assertEquals("clipped at the top edge", 25, corner.height());
        DecodedImage outside = ClipEngine.faceCrop(photo, new float[] { 120, 90, 10, 10 });
        assertTrue("a box beyond the photo still gives a crop", outside.width() >= 1 && outside.height() >= 1);
    }

    @Test
    public void eitherModelMayBeAbsent() {
        try (ClipEngine imagesOnly = ClipEngine.open(modelsDir, manifest, TestClipModels.IMAGE_MODEL, null)) {
            assertFalse(imagesOnly.canEmbedTexts());
            assertNull(imagesOnly.textModel());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> imagesOnly.embedText("red"));
            assertEquals("no CLIP text model is configured", e.getMessage());
        }
        try (ClipEngine textsOnly = ClipEngine.open(modelsDir, manifest, null, TestClipModels.TEXT_MODEL)) {
            assertFalse(textsOnly.canEmbedImages());
            assertEquals(TestClipModels.DIMENSION, textsOnly.dimension());
        }
    }

    @Test
    public void modelsOfTwoVectorSpacesAreRefused() throws IOException {
        List<ModelSpec> specs = new ArrayList<>(manifest.all());
        specs.add(ModelSpec.fromMap(WrongRoleModels.writeTextModel(modelsDir, "text_4d", 4)));
        ModelManifest withOtherText = new ModelManifest(specs);
        try (ClipEngine textOnly = ClipEngine.open(modelsDir, withOtherText, null, "text_4d")) {
            assertEquals("the text model alone loads", 4, textOnly.dimension());
        }
        ModelUnavailableException e = assertThrows(
            ModelUnavailableException.class,
            () -> ClipEngine.open(modelsDir, withOtherText, TestClipModels.IMAGE_MODEL, "text_4d")
        );
        assertEquals(
            "CLIP models [" + TestClipModels.IMAGE_MODEL + "] and [text_4d] do not share a vector space: 8 and 4 dimensions",
            e.getMessage()
        );
    }

    @Test
    public void unknownOrWrongModelsAreNamed() {
        ModelUnavailableException e = assertThrows(
            ModelUnavailableException.class,
            () -> ClipEngine.open(modelsDir, manifest, "no_such_model", null)
        );
        assertTrue(e.getMessage(), e.getMessage().contains("no_such_model"));
        e = assertThrows(ModelUnavailableException.class, () -> ClipEngine.open(modelsDir, manifest, TestClipModels.TEXT_MODEL, null));
        assertTrue(e.getMessage(), e.getMessage().contains(TestClipModels.TEXT_MODEL));
    }
}
