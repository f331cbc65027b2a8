package io.facesearch.plugin;

import io.facesearch.vision.TestModels;

import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** A corrupt model file: the node starts, and every use reports the same clear error instead of a wrong answer. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class CorruptModelTests extends OpenSearchIntegTestCase {
    private static Path modelsDir;

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class);
    }

    @Override
    protected boolean addMockHttpTransport() {
        return false;
    }

    @Override
    protected Settings nodeSettings(int nodeOrdinal) {
        return Settings.builder()
            .put(super.nodeSettings(nodeOrdinal))
            .put(FaceSearchSettings.MODELS_PATH.getKey(), corruptModels().toString())
            .build();
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
        Response response = getRestClient().performRequest(new Request("GET", "/_plugins/_face/models"));
        Map<String, Object> body = parse(response.getEntity().getContent());
        assertEquals("failed", body.get("status"));
        String error = body.get("error").toString();
        assertTrue(error, error.contains("model [yunet_2023mar]"));
        assertTrue(error, error.contains("but the manifest expects 8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4"));
    }

    public void testDetectAnswersWithTheLoadErrorNotAWrongResult() throws IOException {
        Request request = new Request("POST", "/_plugins/_face/detect");
        request.setJsonEntity("{\"image\": \"" + Base64.getEncoder().encodeToString(TestModels.photo("people/Barack_Obama/fr_obama.jpg")) + "\"}");
        ResponseException e = expectThrows(ResponseException.class, () -> getRestClient().performRequest(request));
        assertEquals(500, e.getResponse().getStatusLine().getStatusCode());
        Map<?, ?> error = (Map<?, ?>) parse(e.getResponse().getEntity().getContent()).get("error");
        assertEquals("model_unavailable_exception", error.get("type"));
        assertTrue(error.get("reason").toString(), error.get("reason").toString().contains("corrupt or different file"));
    }

    private static Map<String, Object> parse(InputStream in) throws IOException {
        try (in) {
            return XContentHelper.convertToMap(JsonXContent.jsonXContent, in, false);
        }
    }
}
