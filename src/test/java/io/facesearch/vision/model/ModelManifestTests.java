package io.facesearch.vision.model;

import io.facesearch.vision.TestModels;

import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class ModelManifestTests {

    @Test
    public void everyManifestModelMatchesItsSharedFile() throws IOException {
        ModelManifest manifest = TestModels.manifest();
        assertTrue(manifest.all().size() >= 5);
        for (ModelSpec spec : manifest.all()) {
            Path file = TestModels.modelsDir().resolve(spec.file());
            assertTrue("missing " + file, Files.exists(file));
            assertEquals(spec.name(), spec.sha256(), OnnxModel.sha256(file));
        }
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
