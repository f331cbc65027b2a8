package io.facesearch.vision.clip;

import io.facesearch.vision.TestModels;

import io.facesearch.vision.model.ModelFile;
import io.facesearch.vision.model.ModelManifest;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelTask;
import io.facesearch.vision.model.ModelUnavailableException;
import io.facesearch.vision.model.OnnxModel;

import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** The CLIP encoders on small generated models with the public exports' tensor names and shapes. */
public class ClipEncoderTests {
    private static final float TOLERANCE = 1e-5f;
    private static final int PLANE = 224 * 224;

    private static Path modelsDir;
    private static Map<String, Object> imageEntry;
    private static Map<String, Object> textEntry;

    @BeforeClass
    public static void writeModels() throws IOException {
        Path tmp = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        modelsDir = Files.createTempDirectory(tmp, "clip-models");
        List<Map<String, Object>> entries = TestClipModels.writeDefaultModels(modelsDir);
        imageEntry = entries.get(0);
        textEntry = entries.get(1);
    }

    @AfterClass
    public static void deleteModels() throws IOException {
        try (Stream<Path> files = Files.walk(modelsDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    // ---- loading ----

    @Test
    public void generatedModelsLoadThroughTheSha256Check() throws IOException {
        ModelSpec image = ModelSpec.fromMap(imageEntry);
        ModelSpec text = ModelSpec.fromMap(textEntry);
        assertEquals(ModelFile.sha256(modelsDir.resolve(image.file())), image.sha256());
        try (OnnxModel model = OnnxModel.open(image, modelsDir)) {
            assertEquals(List.of("pixel_values"), model.inputNames());
            assertEquals(List.of("image_embeds"), model.outputNames());
        }
        try (OnnxModel model = OnnxModel.open(text, modelsDir)) {
            assertEquals(Set.of("input_ids", "attention_mask"), Set.copyOf(model.inputNames()));
            assertEquals(List.of("text_embeds"), model.outputNames());
            assertTrue(model.tokenInputs().hasMask());
        }
    }

    @Test
    public void wrongSha256IsTheUsualModelError() {
        Map<String, Object> entry = new HashMap<>(imageEntry);
        entry.put("sha256", "0".repeat(64));
        ModelSpec spec = ModelSpec.fromMap(entry);
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ClipImageEncoder.open(spec, modelsDir));
        assertTrue(e.getMessage(), e.getMessage().startsWith("model [" + TestClipModels.IMAGE_MODEL + "]: file ["));
        assertTrue(e.getMessage(), e.getMessage().contains("but the manifest expects " + "0".repeat(64) + " (corrupt or different file)"));
    }

    @Test
    public void encodersRefuseAModelOfAnotherTask() {
        ModelSpec image = ModelSpec.fromMap(imageEntry);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipTextEncoder.open(image, modelsDir));
        assertEquals("model [" + TestClipModels.IMAGE_MODEL + "] is a clip_image model, not clip_text", e.getMessage());
    }

    // ---- image encoder ----

    @Test
    public void uniformColourPointsAtItsDimension() {
        float[][] weights = TestClipModels.imageWeights();
        try (ClipImageEncoder encoder = ClipImageEncoder.open(ModelSpec.fromMap(imageEntry), modelsDir)) {
            assertEquals(TestClipModels.DIMENSION, encoder.dimension());
            for (int channel = 0; channel < 3; channel++) {
                float[] means = new float[3];
                means[channel] = 1.5f;
                float[] vector = encoder.embed(uniformImage(means), 1)[0];
                assertArrayEquals("channel " + channel, expectedImageVector(means, weights), vector, TOLERANCE);
                assertEquals(1f, length(vector), TOLERANCE);
                assertEquals(channel, TestClipModels.largest(vector));
            }
        }
    }

    @Test
    public void aBatchGivesOneIndependentRowPerImage() {
        float[][] weights = TestClipModels.imageWeights();
        float[] red = uniformImage(new float[] { 1, 0, 0 });
        float[] mixed = new float[3 * PLANE];
        Random random = new Random(7);
        double[] sums = new double[3];
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = random.nextFloat() * 2 - 0.5f;
            sums[i / PLANE] += mixed[i];
        }
        float[] mixedMeans = { (float) (sums[0] / PLANE), (float) (sums[1] / PLANE), (float) (sums[2] / PLANE) };
        float[] both = new float[6 * PLANE];
        System.arraycopy(red, 0, both, 0, red.length);
        System.arraycopy(mixed, 0, both, red.length, mixed.length);
        try (ClipImageEncoder encoder = ClipImageEncoder.open(ModelSpec.fromMap(imageEntry), modelsDir)) {
            float[][] vectors = encoder.embed(both, 2);
            assertEquals(2, vectors.length);
            assertArrayEquals(encoder.embed(red, 1)[0], vectors[0], TOLERANCE);
            assertArrayEquals(encoder.embed(mixed, 1)[0], vectors[1], TOLERANCE);
            assertArrayEquals(expectedImageVector(mixedMeans, weights), vectors[1], 1e-4f);
            assertEquals(0, encoder.embed(new float[0], 0).length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encoder.embed(red, 2));
            assertTrue(e.getMessage(), e.getMessage().contains("is not 2 images of 3x224x224"));
        }
    }

    @Test
    public void dynamicEmbeddingWidthIsLearntAtOpen() throws IOException {
        ModelSpec spec = ModelSpec.fromMap(TestClipModels.writeImageModel(modelsDir, "clip_test_image_dynamic", true));
        try (OnnxModel model = OnnxModel.open(spec, modelsDir)) {
            assertEquals(List.of("pixel_values"), model.inputNames());
            assertEquals(-1, model.outputShape(0)[1]);
        }
        try (ClipImageEncoder encoder = ClipImageEncoder.open(spec, modelsDir)) {
            assertEquals(TestClipModels.DIMENSION, encoder.dimension());
            float[] means = { 0, 0, 2 };
            assertArrayEquals(expectedImageVector(means, TestClipModels.imageWeights()), encoder.embed(uniformImage(means), 1)[0], TOLERANCE);
        }
    }

    // ---- text encoder ----

    @Test
    public void aRedPhotoPointsAlongDimensionZero() {
        long[] ids = tokens("a</w>", "red</w>", "photo</w>");
        try (ClipTextEncoder encoder = ClipTextEncoder.open(ModelSpec.fromMap(textEntry), modelsDir)) {
            assertEquals(TestClipModels.DIMENSION, encoder.dimension());
            assertEquals(77, encoder.contextLength());
            float[] vector = encoder.embed(new long[][] { ids })[0];
            assertEquals(0, TestClipModels.largest(vector));
            assertEquals(1f, length(vector), TOLERANCE);
            assertArrayEquals(expectedTextVector(ids, 5), vector, TOLERANCE);
        }
    }

    @Test
    public void paddingDoesNotChangeTheVectorThanksToTheMask() throws IOException {
        long[] ids = tokens("a</w>", "red</w>", "photo</w>");
        assertTrue("padding token 0 has a row of its own", length(TestClipModels.tokenRow(0)) > 0);
        float[] masked;
        try (ClipTextEncoder encoder = ClipTextEncoder.open(ModelSpec.fromMap(textEntry), modelsDir)) {
            masked = encoder.embed(new long[][] { ids })[0];
        }
        assertEquals("padding row adds nothing", 0f, masked[7], 0f);
        assertArrayEquals(expectedTextVector(ids, 5), masked, TOLERANCE);

        // A model without a mask input runs too, and sums the padding in: what the mask prevents.
        ModelSpec idsOnly = ModelSpec.fromMap(TestClipModels.writeTextModel(modelsDir, "clip_test_text_ids_only", TestClipModels.TextVariant.INT64_IDS_ONLY));
        try (ClipTextEncoder encoder = ClipTextEncoder.open(idsOnly, modelsDir)) {
            float[] unmasked = encoder.embed(new long[][] { ids })[0];
            assertArrayEquals(expectedTextVector(ids, 77), unmasked, TOLERANCE);
            assertEquals("the padding row dominates", 7, TestClipModels.largest(unmasked));
        }
    }

    @Test
    public void int32IdsAndFloatMasksGiveTheSameVectors() throws IOException {
        long[][] rows = { tokens("a</w>", "red</w>", "photo</w>"), tokens("a</w>", "blue</w>", "photo</w>") };
        float[][] expected;
        try (ClipTextEncoder encoder = ClipTextEncoder.open(ModelSpec.fromMap(textEntry), modelsDir)) {
            expected = encoder.embed(rows);
        }
        assertEquals(0, TestClipModels.largest(expected[0]));
        assertEquals(2, TestClipModels.largest(expected[1]));
        for (TestClipModels.TextVariant variant : List.of(TestClipModels.TextVariant.INT32_WITH_MASK, TestClipModels.TextVariant.FLOAT_MASK)) {
            ModelSpec spec = ModelSpec.fromMap(TestClipModels.writeTextModel(modelsDir, "clip_test_text_" + variant, variant));
            try (ClipTextEncoder encoder = ClipTextEncoder.open(spec, modelsDir)) {
                float[][] actual = encoder.embed(rows);
                assertEquals(2, actual.length);
                for (int i = 0; i < rows.length; i++) {
                    assertArrayEquals(variant + " row " + i, expected[i], actual[i], TOLERANCE);
                }
            }
        }
    }

    @Test
    public void rowsMustHaveTheContextLengthAndAnEndMarker() {
        try (ClipTextEncoder encoder = ClipTextEncoder.open(ModelSpec.fromMap(textEntry), modelsDir)) {
            IllegalArgumentException shortRow = assertThrows(IllegalArgumentException.class, () -> encoder.embed(new long[][] { new long[10] }));
            assertEquals("model [clip_test_text]: token row 0 has 10 ids, the model takes 77", shortRow.getMessage());
            long[] noEnd = new long[77];
            noEnd[0] = ClipTextEncoder.START_OF_TEXT;
            IllegalArgumentException unterminated = assertThrows(IllegalArgumentException.class, () -> encoder.embed(new long[][] { noEnd }));
            assertEquals("model [clip_test_text]: token row 0 has no end marker (49407)", unterminated.getMessage());
            assertEquals(0, encoder.embed(new long[0][]).length);
        }
    }

    @Test
    public void contextLengthMustMatchTheModel() {
        Map<String, Object> entry = new HashMap<>(textEntry);
        entry.put("input", Map.of("context_length", 64));
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ClipTextEncoder.open(ModelSpec.fromMap(entry), modelsDir));
        assertTrue(e.getMessage(), e.getMessage().contains("input [input_ids] has shape [-1, 77], the manifest describes [batch, 64]"));
    }

    // ---- output selection ----

    @Test
    public void perTokenOutputIsRefusedAtOpen() throws IOException {
        Map<String, Object> entry = new HashMap<>(
            TestClipModels.writeTextModel(modelsDir, "clip_test_text_per_token", TestClipModels.TextVariant.PER_TOKEN_OUTPUT_FIRST)
        );
        entry.put("output", Map.of("name", "last_hidden_state"));
        ModelUnavailableException named = assertThrows(ModelUnavailableException.class, () -> ClipTextEncoder.open(ModelSpec.fromMap(entry), modelsDir));
        assertEquals(
            "model [clip_test_text_per_token]: output [last_hidden_state] has shape [-1, 77, 8], one vector per token, which is not"
                + " supported; set output.name in the model manifest to the pooled embedding output (usually image_embeds or text_embeds)",
            named.getMessage()
        );

        entry.remove("output");
        ModelUnavailableException first = assertThrows(ModelUnavailableException.class, () -> ClipTextEncoder.open(ModelSpec.fromMap(entry), modelsDir));
        assertTrue(first.getMessage(), first.getMessage().contains("output [last_hidden_state] has shape [-1, 77, 8], one vector per token"));

        // Named, the pooled output is used although it is not the first one.
        entry.put("output", Map.of("name", "text_embeds"));
        long[] ids = tokens("a</w>", "green</w>", "photo</w>");
        try (ClipTextEncoder encoder = ClipTextEncoder.open(ModelSpec.fromMap(entry), modelsDir)) {
            assertArrayEquals(expectedTextVector(ids, 5), encoder.embed(new long[][] { ids })[0], TOLERANCE);
        }
    }

    @Test
    public void unknownOutputNameListsTheModelsOutputs() {
        Map<String, Object> entry = new HashMap<>(imageEntry);
        entry.put("output", Map.of("name", "pooler_output"));
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ClipImageEncoder.open(ModelSpec.fromMap(entry), modelsDir));
        assertEquals("model [clip_test_image] has no output [pooler_output]; its outputs are [image_embeds]", e.getMessage());
    }

    // ---- models of another role ----

    @Test
    public void aTextModelWithFloatIdsIsRefused() throws IOException {
        ModelSpec spec = ModelSpec.fromMap(WrongRoleModels.writeFloatIdsTextModel(modelsDir, "float_ids_text"));
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ClipTextEncoder.open(spec, modelsDir));
        assertTrue(e.getMessage(), e.getMessage().startsWith("model [float_ids_text]: token id input [input_ids] is FLOAT, expected int64 or int32"));
    }

    @Test
    public void theImageModelNamedAsTextModelIsRefused() {
        Map<String, Object> entry = new HashMap<>(imageEntry);
        entry.put("name", "image_as_text");
        entry.put("task", "clip_text");
        entry.remove("input");
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ClipTextEncoder.open(ModelSpec.fromMap(entry), modelsDir));
        assertTrue(e.getMessage(), e.getMessage().startsWith("model [image_as_text]: cannot tell which input takes the token ids"));
    }

    @Test
    public void theTextModelNamedAsImageModelIsRefused() {
        Map<String, Object> entry = new HashMap<>(textEntry);
        entry.put("name", "text_as_image");
        entry.put("task", "clip_image");
        entry.put("input", imageEntry.get("input"));
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ClipImageEncoder.open(ModelSpec.fromMap(entry), modelsDir));
        assertTrue(e.getMessage(), e.getMessage().startsWith("model [text_as_image]: a CLIP image encoder takes one input (pixels), this one takes ["));
    }

    @Test
    public void anImageInputOfAnotherSizeThanTheManifestsIsRefused() {
        Map<String, Object> entry = new HashMap<>(imageEntry);
        Map<String, Object> input = new HashMap<>(castMap(imageEntry.get("input")));
        input.put("width", 256);
        input.put("height", 256);
        entry.put("input", input);
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> ClipImageEncoder.open(ModelSpec.fromMap(entry), modelsDir));
        assertEquals(
            "model [clip_test_image]: input [pixel_values] has shape [-1, 3, 224, 224], a CLIP image encoder as the manifest describes it"
                + " takes [batch, 3, 256, 256] (input.height, input.width)",
            e.getMessage()
        );
    }

    @Test
    public void imagesRunInGroupsThatFitTheThreadsKeptBuffer() {
        try (ClipImageEncoder encoder = ClipImageEncoder.open(ModelSpec.fromMap(imageEntry), modelsDir)) {
            assertEquals(8, encoder.imagesPerRun());
            assertTrue(encoder.imagesPerRun() * 3 * PLANE <= OnnxModel.MAX_KEPT_INPUT_FLOATS);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }

    // ---- manifest for a test node ----

    @Test
    public void mainWritesAModelsFolderWithTheFaceModelsAndTheTestClipModels() throws IOException {
        Path out = Files.createTempDirectory(modelsDir, "node-models");
        TestClipModels.main(new String[] { out.toString(), TestModels.modelsDir().toString(), "models/manifest.json" });
        assertTrue("shared models are linked", Files.isRegularFile(out.resolve("face-detection/face_detection_yunet_2023mar.onnx")));
        assertTrue("tokenizer files are linked", Files.isRegularFile(out.resolve("clip-tokenizer/vocab.json")));
        ModelManifest manifest;
        try (InputStream in = Files.newInputStream(out.resolve("manifest.json"))) {
            manifest = ModelManifest.fromMap(XContentHelper.convertToMap(JsonXContent.jsonXContent, in, true));
        }
        assertEquals("face-detection/face_detection_yunet_2023mar.onnx", manifest.get("yunet_2023mar", ModelTask.FACE_DETECTION).file());
        manifest.get("mobilefacenet_ms1mv3", ModelTask.FACE_EMBEDDING);
        assertTrue(manifest.all().stream().noneMatch(spec -> spec.name().startsWith("clip_vit")));
        ModelSpec image = manifest.get(TestClipModels.IMAGE_MODEL, ModelTask.CLIP_IMAGE);
        ModelSpec text = manifest.get(TestClipModels.TEXT_MODEL, ModelTask.CLIP_TEXT);
        assertEquals(ModelFile.sha256(out.resolve(image.file())), image.sha256());
        assertEquals("generated files are the same on every run", imageEntry.get("sha256"), image.sha256());
        assertEquals(textEntry.get("sha256"), text.sha256());
        try (ClipTextEncoder encoder = ClipTextEncoder.open(text, out)) {
            assertEquals(TestClipModels.DIMENSION, encoder.dimension());
        }
    }

    // ---- helpers ----

    /** {@code <|startoftext|>}, the tokens, {@code <|endoftext|>}, zero padding to 77. */
    private static long[] tokens(String... words) {
        long[] ids = new long[TestClipModels.CONTEXT_LENGTH];
        ids[0] = 49406;
        for (int i = 0; i < words.length; i++) {
            ids[i + 1] = TestClipModels.tokenId(words[i]);
        }
        ids[words.length + 1] = 49407;
        return ids;
    }

    /** The unit sum of the embedding rows of the first {@code count} ids. */
    private static float[] expectedTextVector(long[] ids, int count) {
        float[] sum = new float[TestClipModels.DIMENSION];
        for (int i = 0; i < count; i++) {
            float[] row = TestClipModels.tokenRow(ids[i]);
            for (int d = 0; d < sum.length; d++) {
                sum[d] += row[d];
            }
        }
        return unit(sum);
    }

    private static float[] uniformImage(float[] channelValues) {
        float[] pixels = new float[3 * PLANE];
        for (int c = 0; c < 3; c++) {
            Arrays.fill(pixels, c * PLANE, (c + 1) * PLANE, channelValues[c]);
        }
        return pixels;
    }

    /** The unit vector of {@code means × weights}: what pooling and projection give for those channel means. */
    private static float[] expectedImageVector(float[] means, float[][] weights) {
        float[] vector = new float[weights[0].length];
        for (int c = 0; c < 3; c++) {
            for (int d = 0; d < vector.length; d++) {
                vector[d] += means[c] * weights[c][d];
            }
        }
        return unit(vector);
    }

    private static float[] unit(float[] vector) {
        float length = length(vector);
        float[] result = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            result[i] = vector[i] / length;
        }
        return result;
    }

    private static float length(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += v * v;
        }
        return (float) Math.sqrt(sum);
    }

}
