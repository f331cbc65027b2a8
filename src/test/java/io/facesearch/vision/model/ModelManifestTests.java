package io.facesearch.vision.model;

import io.facesearch.vision.TestModels;

import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class ModelManifestTests {

    @Test
    public void everyManifestModelMatchesItsSharedFile() throws IOException {
        ModelManifest manifest = TestModels.manifest();
        assertTrue(manifest.all().size() >= 7);
        for (ModelSpec spec : manifest.all()) {
            Path file = TestModels.modelsDir().resolve(spec.file());
            boolean clip = spec.task() == ModelTask.CLIP_IMAGE || spec.task() == ModelTask.CLIP_TEXT;
            // No CLIP weights can be had on these machines; the manifest still names them for models/fetch.
            if (clip && Files.exists(file) == false) {
                continue;
            }
            assertTrue("missing " + file, Files.exists(file));
            assertEquals(spec.name(), spec.sha256(), ModelFile.sha256(file));
        }
    }

    @Test
    public void clipEntriesDescribeThePublicViTB32Exports() throws IOException {
        ModelManifest manifest = TestModels.manifest();
        ModelSpec image = manifest.get("clip_vit_b32_image", ModelTask.CLIP_IMAGE);
        assertEquals(224, image.inputWidth());
        assertEquals(224, image.inputHeight());
        assertEquals(false, image.bgr());
        assertArrayEquals(new float[] { 255 * 0.48145466f, 255 * 0.4578275f, 255 * 0.40821073f }, image.mean(), 1e-4f);
        assertArrayEquals(new float[] { 255 * 0.26862954f, 255 * 0.26130258f, 255 * 0.27577711f }, image.std(), 1e-4f);
        assertEquals("image_embeds", image.outputName());
        assertNull(image.tokenizer());

        ModelSpec text = manifest.get("clip_vit_b32_text", ModelTask.CLIP_TEXT);
        assertEquals(77, text.contextLength());
        assertEquals("text_embeds", text.outputName());
        assertNull(text.mean());
        assertEquals(TokenizerSpec.CLIP_BPE, text.tokenizer());
        // The tokenizer files are in the shared models folder: check them like model files.
        assertEquals(text.tokenizer().vocabSha256(), ModelFile.sha256(TestModels.modelsDir().resolve(text.tokenizer().vocab())));
        assertEquals(text.tokenizer().mergesSha256(), ModelFile.sha256(TestModels.modelsDir().resolve(text.tokenizer().merges())));
        for (ModelSpec clip : List.of(image, text)) {
            assertTrue(clip.url(), clip.url().startsWith("https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/d15189d7028b43f1d3e65039190477f6af591c2a/onnx/"));
            assertTrue(clip.licence(), clip.licence().startsWith("MIT"));
        }
    }

    private static Map<String, Object> textEntry() {
        Map<String, Object> entry = new HashMap<>();
        entry.put("name", "words");
        entry.put("task", "clip_text");
        entry.put("architecture", "clip");
        entry.put("file", "t.onnx");
        entry.put("sha256", "00");
        return entry;
    }

    @Test
    public void textModelsNeedNoPixelFields() {
        Map<String, Object> entry = textEntry();
        entry.put("input", Map.of("context_length", 64));
        entry.put("output", Map.of("name", "text_embeds"));
        ModelSpec spec = ModelSpec.fromMap(entry);
        assertEquals(ModelTask.CLIP_TEXT, spec.task());
        assertEquals(64, spec.contextLength());
        assertEquals(0, spec.inputWidth());
        assertNull(spec.mean());
        assertNull(spec.std());
        assertEquals("text_embeds", spec.outputName());
        assertEquals(TokenizerSpec.CLIP_BPE, spec.tokenizer());
    }

    @Test
    public void textContextLengthDefaultsTo77() {
        Map<String, Object> entry = textEntry();
        assertEquals(77, ModelSpec.fromMap(entry).contextLength());
        assertNull("no output.name: the first output", ModelSpec.fromMap(entry).outputName());
        entry.put("input", Map.of());
        assertEquals(77, ModelSpec.fromMap(entry).contextLength());
        entry.put("input", Map.of("context_length", 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromMap(entry));
        assertEquals("model [words]: field [input.context_length] must be a positive integer", e.getMessage());
        entry.put("input", Map.of("context_length", 7.5));
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromMap(entry));
        assertEquals("model [words]: field [input.context_length] must be a positive integer", e.getMessage());
    }

    @Test
    public void tokenizerFilesDefaultToTheStandardClipFiles() {
        Map<String, Object> entry = textEntry();
        entry.put("tokenizer", Map.of("merges", "clip-tokenizer/merges.txt"));
        assertEquals(TokenizerSpec.CLIP_BPE, ModelSpec.fromMap(entry).tokenizer());
        String sha = "AB".repeat(32);
        entry.put("tokenizer", Map.of("vocab", "mine/vocab.json", "vocab_sha256", sha));
        TokenizerSpec custom = ModelSpec.fromMap(entry).tokenizer();
        assertEquals(new TokenizerSpec("mine/vocab.json", "ab".repeat(32), "clip-tokenizer/merges.txt", TokenizerSpec.CLIP_BPE.mergesSha256()), custom);
    }

    @Test
    public void badTokenizerEntriesNameTheField() {
        Map<String, Object> entry = textEntry();
        entry.put("tokenizer", "clip-tokenizer");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromMap(entry));
        assertEquals("model [words]: field [tokenizer] must be an object", e.getMessage());

        entry.put("tokenizer", Map.of("vocab", 3));
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromMap(entry));
        assertEquals("model [words]: field [tokenizer.vocab] must be a non-empty string", e.getMessage());

        entry.put("tokenizer", Map.of("merges", "other/merges.txt"));
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromMap(entry));
        assertEquals("model [words]: field [tokenizer.merges_sha256] must be the file's sha256 (64 hex digits)", e.getMessage());

        entry.put("tokenizer", Map.of("vocab_sha256", "not-a-sha"));
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromMap(entry));
        assertEquals("model [words]: field [tokenizer.vocab_sha256] must be the file's sha256 (64 hex digits)", e.getMessage());
    }

    @Test
    public void imageModelsStillNeedTheirPixelFields() {
        Map<String, Object> entry = textEntry();
        entry.put("task", "clip_image");
        entry.put("input", Map.of("height", 224, "channel_order", "rgb", "mean", List.of(0, 0, 0), "std", List.of(1, 1, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromMap(entry));
        assertEquals("model [words]: field [input.width] must be a number", e.getMessage());
        entry.remove("input");
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromMap(entry));
        assertEquals("model [words]: field [input] must be an object", e.getMessage());
        entry.put("task", "face_embedding");
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromMap(entry));
        assertEquals("model [words]: field [input] must be an object", e.getMessage());
    }

    @Test
    public void outputNameAndTaskAreChecked() {
        Map<String, Object> entry = textEntry();
        entry.put("output", Map.of("name", 12));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromMap(entry));
        assertEquals("model [words]: field [output.name] must be a non-empty string", e.getMessage());
        entry.remove("output");
        entry.put("task", "clip_audio");
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromMap(entry));
        assertEquals("model [words]: unknown model task [clip_audio]", e.getMessage());
    }

    @Test
    public void lookUpChecksNameAndTask() {
        ModelManifest manifest = TestModels.manifest();
        assertEquals("face-detection/face_detection_yunet_2023mar.onnx", manifest.get("yunet_2023mar", ModelTask.FACE_DETECTION).file());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> manifest.get("nope", ModelTask.FACE_DETECTION));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("model [nope] is not in the model manifest"));
        IllegalArgumentException wrongTask = assertThrows(IllegalArgumentException.class, () -> manifest.get("yunet_2023mar", ModelTask.FACE_EMBEDDING));
        assertTrue(wrongTask.getMessage(), wrongTask.getMessage().contains("is a face_detection model, not face_embedding"));
    }

    @Test
    public void badEntriesNameTheModelAndTheField() {
        Map<String, Object> entry = new HashMap<>();
        entry.put("name", "broken");
        entry.put("task", "face_detection");
        entry.put("architecture", "yunet");
        entry.put("file", "x.onnx");
        entry.put("sha256", "00");
        entry.put("input", Map.of("width", 640, "height", 640, "channel_order", "bgr", "mean", List.of(0, 0, 0), "std", List.of(1, 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromMap(entry));
        assertEquals("model [broken]: field [input.std] must be a list of 3 numbers", e.getMessage());
        entry.put("input", Map.of("width", 640, "height", 640, "channel_order", "yuv", "mean", List.of(0, 0, 0), "std", List.of(1, 1, 1)));
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromMap(entry));
        assertTrue(e.getMessage(), e.getMessage().contains("input.channel_order must be bgr or rgb"));
        assertThrows(IllegalArgumentException.class, () -> ModelManifest.fromMap(Map.of("models", List.of(entry, entry))));
    }

    @Test
    public void missingFileIsAClearModelError() {
        ModelSpec spec = TestModels.manifest().get("yunet_2023mar", ModelTask.FACE_DETECTION);
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class, () -> OnnxModel.open(spec, Path.of("/nonexistent-models")));
        assertTrue(e.getMessage(), e.getMessage().contains("does not exist (check face_search.models.path"));
    }
}
