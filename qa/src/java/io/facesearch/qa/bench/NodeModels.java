package io.facesearch.qa.bench;

import io.facesearch.plugin.FaceSearchSettings;
import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.FaceEngineConfig;
import io.facesearch.vision.image.MemoryBudget;
import io.facesearch.vision.image.ImageDecoder;
import io.facesearch.vision.model.ModelManifest;

import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The models a node runs, as its {@code GET _plugins/_face/models} reports them, and the same models opened in
 * this JVM ({@link #openAnalyzer(Path)}) so that a benchmark can time raw inference on the photos it sent the
 * node: same detector, embedder, flip averaging, detection defaults and manifest.
 */
final class NodeModels {
    /** The models of the node the benchmark talks to (every node reports under its id; {@code _local} is that one). */
    static final String MODELS_PATH = "/_plugins/_face/_local/models";
    private static final String BUILT_IN_MANIFEST = "/io/facesearch/models/manifest.json";
    private static final String MAX_PIXELS_SETTING = FaceSearchSettings.MAX_PIXELS.getKey();
    private static final String WORKING_MAX_PIXELS_SETTING = FaceSearchSettings.WORKING_MAX_PIXELS.getKey();

    private final String detector;
    private final String embedder;
    private final String dimension;
    private final String embedderSha256;
    private final boolean flipAverage;
    private final String nodeModelsPath;
    private final String manifestSource;
    private final float minScore;
    private final int minFaceSize;
    private final int maxFaces;
    private final double verifyThreshold;
    private final long maxPixels;
    private final long workingMaxPixels;

    private NodeModels(Map<String, Object> models, Map<String, Object> nodeSettings) {
        if ("loaded".equals(models.get("status")) == false) {
            throw new BenchException("the node's face models are not loaded: " + models.get("error"));
        }
        this.detector = string(models, "detector.name");
        this.embedder = string(models, "embedder.name");
        this.dimension = String.valueOf(NodeHttpClient.at(models, "embedder.dimension"));
        this.embedderSha256 = string(models, "embedder.sha256");
        this.flipAverage = Boolean.parseBoolean(string(models, "embedder.flip_average"));
        this.nodeModelsPath = string(models, "models_path");
        this.manifestSource = String.valueOf(NodeHttpClient.at(models, "manifest"));
        this.minScore = Float.parseFloat(string(models, "defaults.min_score"));
        this.minFaceSize = Integer.parseInt(string(models, "defaults.min_face_size"));
        this.maxFaces = Integer.parseInt(string(models, "defaults.max_faces"));
        this.verifyThreshold = Double.parseDouble(string(models, "defaults.verify_threshold"));
        this.maxPixels = longSetting(nodeSettings, MAX_PIXELS_SETTING, ImageDecoder.DEFAULT_MAX_PIXELS);
        this.workingMaxPixels = longSetting(nodeSettings, WORKING_MAX_PIXELS_SETTING, ImageDecoder.DEFAULT_WORKING_MAX_PIXELS);
    }

    /**
     * Reads the node's {@code GET _plugins/_face/models} (fails when its models are not loaded) and the image size
     * limits of its {@code opensearch.yml} ({@code GET _nodes/_local/settings}; the defaults when not set there), so
     * that photos are decoded in this JVM at the same working size as on the node.
     */
    static NodeModels read(NodeHttpClient client) {
        Map<String, Object> models = NodeHttpClient.localNode(client.getJson(MODELS_PATH));
        if (models == null) {
            throw new BenchException("GET " + MODELS_PATH + " answered no node");
        }
        Map<String, Object> node = NodeHttpClient.localNode(client.getJson("/_nodes/_local/settings?flat_settings=true"));
        Object settings = node == null ? null : node.get("settings");
        @SuppressWarnings("unchecked")
        Map<String, Object> flat = settings instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return new NodeModels(models, flat);
    }

    private static long longSetting(Map<String, Object> flatSettings, String key, long defaultValue) {
        Object v = flatSettings.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new BenchException("the node's " + key + " is not a whole number: [" + v + "]");
        }
    }

    String detector() {
        return detector;
    }

    String embedder() {
        return embedder;
    }

    /** The embedder's vector dimension. */
    int dimension() {
        try {
            return Integer.parseInt(dimension);
        } catch (NumberFormatException e) {
            throw new BenchException("GET " + MODELS_PATH + " has no whole [embedder.dimension]: [" + dimension + "]");
        }
    }

    String embedderSha256() {
        return embedderSha256;
    }

    boolean flipAverage() {
        return flipAverage;
    }

    float minScore() {
        return minScore;
    }

    double verifyThreshold() {
        return verifyThreshold;
    }

    /** The node's default detection options (min score, min face size, max faces). */
    DetectionOptions detectionOptions() {
        return new DetectionOptions(minScore, minFaceSize, maxFaces);
    }

    /** One line for the report. */
    String describe() {
        return String.format(
            Locale.ROOT,
            "detector %s, embedder %s (%s-d, flip_average=%s); min_score %s, min_face_size %d, max_faces %d, verify threshold %s; "
                + "max_pixels %d, working_max_pixels %d; models_path %s; manifest %s",
            detector,
            embedder,
            dimension,
            flipAverage,
            minScore,
            minFaceSize,
            maxFaces,
            verifyThreshold,
            maxPixels,
            workingMaxPixels,
            nodeModelsPath,
            manifestSource
        );
    }

    /**
     * Opens the node's detector and embedder in this JVM from {@code modelsDir} (normally the folder the node was
     * started with; the files are checked against the manifest's sha256 either way). Prints a note when the node
     * reports another folder.
     */
    FaceAnalyzer openAnalyzer(Path modelsDir) throws IOException {
        if (Path.of(nodeModelsPath).toAbsolutePath().normalize().equals(modelsDir.toAbsolutePath().normalize()) == false) {
            VerifyBenchmark.say(
                "note: the node reads its models from %s, this run opens %s (files are checked against the same sha256)",
                nodeModelsPath,
                modelsDir
            );
        }
        FaceEngineConfig config = new FaceEngineConfig(
            modelsDir,
            readManifest(manifestSource),
            detector,
            embedder,
            flipAverage,
            maxPixels,
            workingMaxPixels,
            MemoryBudget.UNLIMITED
        );
        try {
            return FaceAnalyzer.open(config);
        } catch (RuntimeException e) {
            throw new BenchException("could not open the node's models in-process from " + modelsDir + ": " + e.getMessage(), e);
        }
    }

    private static ModelManifest readManifest(String source) throws IOException {
        InputStream in;
        if (source == null || source.equals("built-in") || source.equals("null")) {
            in = NodeModels.class.getResourceAsStream(BUILT_IN_MANIFEST);
            if (in == null) {
                throw new BenchException("the plugin's built-in manifest " + BUILT_IN_MANIFEST + " is not on the classpath (target/classes)");
            }
        } else {
            in = Files.newInputStream(Path.of(source));
        }
        try (InputStream stream = in) {
            return ModelManifest.fromMap(XContentHelper.convertToMap(JsonXContent.jsonXContent, stream, true));
        }
    }

    private static String string(Map<String, Object> json, String path) {
        Object v = NodeHttpClient.at(json, path);
        if (v == null) {
            throw new BenchException("GET " + MODELS_PATH + " has no [" + path + "]");
        }
        return v.toString();
    }
}
