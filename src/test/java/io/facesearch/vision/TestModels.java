package io.facesearch.vision;

import io.facesearch.vision.image.MemoryBudget;
import io.facesearch.vision.model.ModelManifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;

/** Where tests find the shared models and photos, and the project's model manifest. */
public final class TestModels {
    private TestModels() {}

    public static Path modelsDir() {
        return Path.of(System.getProperty("face_search.models.dir", "../shared/models")).toAbsolutePath().normalize();
    }

    public static Path facesDir() {
        return Path.of(System.getProperty("face_search.faces.dir", "../shared/faces")).toAbsolutePath().normalize();
    }

    public static ModelManifest manifest() {
        try (InputStream in = Files.newInputStream(Path.of("models/manifest.json"))) {
            Map<String, Object> json = XContentHelper.convertToMap(JsonXContent.jsonXContent, in, true);
            return ModelManifest.fromMap(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static FaceEngineConfig config(String detector, boolean flipAverage) {
        return new FaceEngineConfig(modelsDir(), manifest(), detector, "mobilefacenet_ms1mv3", flipAverage, 100_000_000L, 16_000_000L, MemoryBudget.UNLIMITED);
    }

    private static FaceAnalyzer sharedAnalyzer;

    /** One analyzer with the default models (no flip averaging), shared by the engine tests of this JVM. */
    public static synchronized FaceAnalyzer analyzer() {
        if (sharedAnalyzer == null) {
            sharedAnalyzer = FaceAnalyzer.open(config("yunet_2023mar", false));
        }
        return sharedAnalyzer;
    }

    public static byte[] photo(String relativePath) {
        try {
            return Files.readAllBytes(facesDir().resolve(relativePath));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
