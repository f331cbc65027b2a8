package io.facesearch.plugin;

import io.facesearch.vision.TestModels;
import io.facesearch.vision.model.ModelFile;

import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A manifest that names the detector as the embedder and a CLIP model that is a link out of the models folder: the
 * node starts, reports both as failed with the reason, and its answers name nothing outside the models folder.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class HostileModelFilesTests extends FaceSearchIntegTestCase {
    private static final String YUNET = "face-detection/face_detection_yunet_2023mar.onnx";
    private static final String SECRET = "a file outside the models folder\n";
    private static final String EMBEDDER_REFUSAL = "model [yunet_as_embedder]: a face embedder has one output, [batch, dimension]; this"
        + " model has 12: [cls_8, cls_16, cls_32, obj_8, obj_16, obj_32, bbox_8, bbox_16, bbox_32, kps_8, kps_16, kps_32]";
    private static final String CLIP_REFUSAL = "model [clip_outside]: file [clip/image.onnx] is refused: it leads outside the models"
        + " folder through a symbolic link";

    private static Path modelsDir;
    private static Path outsideDir;

    @Override
    protected Path modelsDir() {
        return hostileModels();
    }

    @Override
    protected Settings extraNodeSettings() {
        return Settings.builder()
            .put("face_search.models.manifest", hostileModels().resolve("manifest.json").toString())
            .put("face_search.detector.model", "yunet_2023mar")
            .put("face_search.embedding.model", "yunet_as_embedder")
            .put("face_search.clip.image_model", "clip_outside")
            .build();
    }

    /**
     * The real YuNet, named both as the detector and, with its true sha256, as the embedder; and a CLIP image model
     * whose file is a link to a file in another folder.
     */
    private static synchronized Path hostileModels() {
        if (modelsDir == null) {
            try {
                Path dir = createTempDir();
                Files.createDirectories(dir.resolve("face-detection"));
                Files.copy(TestModels.modelsDir().resolve(YUNET), dir.resolve(YUNET));
                outsideDir = createTempDir();
                Files.writeString(outsideDir.resolve("secret.onnx"), SECRET, StandardCharsets.UTF_8);
                Files.createDirectories(dir.resolve("clip"));
                Files.createSymbolicLink(dir.resolve("clip/image.onnx"), outsideDir.resolve("secret.onnx"));

                Map<String, Object> pixels = Map.of("width", 112, "height", 112, "channel_order", "bgr",
                    "mean", List.of(127.5, 127.5, 127.5), "std", List.of(127.5, 127.5, 127.5));
                Map<String, Object> detector = Map.of("name", "yunet_2023mar", "task", "face_detection", "architecture", "yunet",
                    "file", YUNET, "sha256", ModelFile.sha256(dir.resolve(YUNET)),
                    "input", Map.of("width", 640, "height", 640, "channel_order", "bgr", "mean", List.of(0, 0, 0), "std", List.of(1, 1, 1)));
                Map<String, Object> embedder = Map.of("name", "yunet_as_embedder", "task", "face_embedding", "architecture", "arcface",
                    "file", YUNET, "sha256", ModelFile.sha256(dir.resolve(YUNET)), "input", pixels);
                Map<String, Object> clip = Map.of("name", "clip_outside", "task", "clip_image", "architecture", "clip",
                    "file", "clip/image.onnx", "sha256", "0".repeat(64),
                    "input", Map.of("width", 224, "height", 224, "channel_order", "rgb", "mean", List.of(0, 0, 0), "std", List.of(1, 1, 1)));
                XContentBuilder manifest = JsonXContent.contentBuilder().map(Map.of("models", List.of(detector, embedder, clip)));
                Files.writeString(dir.resolve("manifest.json"), BytesReference.bytes(manifest).utf8ToString(), StandardCharsets.UTF_8);
                modelsDir = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return modelsDir;
    }

    @SuppressWarnings("unchecked")
    public void testModelsApiGivesTheReasonsAndNothingOutsideTheFolder() throws IOException {
        Response response = getRestClient().performRequest(new Request("GET", "/_plugins/_face/models"));
        String raw;
        try (InputStream in = response.getEntity().getContent()) {
            raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Object> nodes = (Map<String, Object>) XContentHelper.convertToMap(JsonXContent.jsonXContent, raw, false).get("nodes");
        Map<String, Object> body = (Map<String, Object>) nodes.values().iterator().next();
        assertEquals("failed", body.get("status"));
        assertEquals(EMBEDDER_REFUSAL, body.get("error"));
        Map<?, ?> embedder = (Map<?, ?>) body.get("embedder");
        assertEquals(false, embedder.get("loaded"));
        assertNull("no dimension of a refused embedder", embedder.get("dimension"));
        Map<?, ?> clip = (Map<?, ?>) body.get("clip");
        assertEquals(false, clip.get("enabled"));
        assertEquals(CLIP_REFUSAL, clip.get("reason"));

        assertFalse(raw, raw.contains(outsideDir.toString()));
        assertFalse(raw, raw.contains(outsideDir.toRealPath().toString()));
        assertFalse(raw, raw.contains("secret"));
        assertFalse(raw, raw.contains(ModelFile.sha256(outsideDir.resolve("secret.onnx"))));
    }

    public void testDetectAnswersWithTheRefusal() throws IOException {
        String json = "{\"image\": \"" + base64("people/Barack_Obama/fr_obama.jpg") + "\"}";
        Map<?, ?> error = expectError(jsonRequest("POST", "/_plugins/_face/detect", json), 500);
        assertEquals("model_unavailable_exception", error.get("type"));
        assertEquals(EMBEDDER_REFUSAL, error.get("reason"));
    }
}
