package io.facesearch.plugin;

import io.facesearch.vision.TestModels;

import org.opensearch.client.Request;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A corrupt model file: the node starts, and every use reports the same clear error instead of a wrong answer. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class CorruptModelTests extends FaceSearchIntegTestCase {
    private static Path modelsDir;

    @Override
    protected Path modelsDir() {
        return corruptModels();
    }

    @Override
    protected Settings extraNodeSettings() {
        return Settings.builder().put("face_search.detector.model", "yunet_2023mar").build();
    }

    /** The real embedder next to a detector file whose bytes were damaged. */
    private static synchronized Path corruptModels() {
        if (modelsDir == null) {
            try {
                Path dir = createTempDir();
                Path detector = dir.resolve("face-detection/face_detection_yunet_2023mar.onnx");
                Files.createDirectories(detector.getParent());
                byte[] bytes = Files.readAllBytes(TestModels.modelsDir().resolve("face-detection/face_detection_yunet_2023mar.onnx"));
                bytes[bytes.length / 2] ^= 0x5A;
                Files.write(detector, bytes);
                Path embedder = dir.resolve("face-recognition/mobilefacenet_paddlex_ms1mv3_128d.onnx");
                Files.createDirectories(embedder.getParent());
                Files.copy(TestModels.modelsDir().resolve("face-recognition/mobilefacenet_paddlex_ms1mv3_128d.onnx"), embedder);
                modelsDir = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return modelsDir;
    }

    public void testModelsApiSaysWhichFileIsCorrupt() throws IOException {
        Map<String, Object> body = nodeModels();
        assertEquals("failed", body.get("status"));
        String error = body.get("error").toString();
        assertTrue(error, error.contains("model [yunet_2023mar]"));
        assertTrue(error, error.contains("but the manifest expects 8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4"));
    }

    public void testDetectAnswersWithTheLoadErrorNotAWrongResult() throws IOException {
        String json = "{\"image\": \"" + base64("people/Barack_Obama/fr_obama.jpg") + "\"}";
        Map<?, ?> error = expectError(jsonRequest("POST", "/_plugins/_face/detect", json), 500);
        assertEquals("model_unavailable_exception", error.get("type"));
        assertTrue(error.get("reason").toString(), error.get("reason").toString().contains("corrupt or different file"));
    }
}
