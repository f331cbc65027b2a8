package io.facesearch.engine;

import io.facesearch.plugin.FaceSearchSettings;
import io.facesearch.stats.FaceStats;
import io.facesearch.threadpool.InferencePools;
import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.FaceEngineConfig;
import io.facesearch.vision.clip.ClipEngine;
import io.facesearch.vision.image.ImageDecoder;
import io.facesearch.vision.image.MemoryBudget;
import io.facesearch.vision.model.ModelManifest;
import io.facesearch.vision.model.ModelUnavailableException;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.util.concurrent.AbstractRunnable;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;
import org.opensearch.secure_sm.AccessController;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Owns the node's face models: loads them once at node start, shares them with every request, and
 * remembers why they could not be loaded so that every use reports the same clear error.
 */
public final class FaceEngineService implements Closeable {
    private static final Logger logger = LogManager.getLogger(FaceEngineService.class);
    static final String BUILT_IN_MANIFEST = "/io/facesearch/models/manifest.json";

    private final InferencePools pools;
    private final FaceStats stats = new FaceStats();
    private final Path modelsDir;
    private final String manifestSource;
    private final ModelManifest manifest;
    private final FaceEngineConfig config;
    private final FaceAnalyzer analyzer;
    private final RuntimeException failure;
    private final ClipEngine clip;
    /** Why CLIP cannot be used: not configured (illegal argument) or not loadable (model unavailable); null when it can. */
    private final RuntimeException clipFailure;
    /** Analyzers for model pairs other than the node default, opened on first use by a pipeline that names them. */
    private final Map<String, FaceAnalyzer> otherAnalyzers = new ConcurrentHashMap<>();

    private volatile float minScore;
    private volatile int minFaceSize;
    private volatile int maxFaces;
    private volatile float verifyThreshold;
    private volatile float identifyThreshold;

    /**
     * @param pools        where analyses run
     * @param decodeBudget where every photo reserves the memory its decoding needs
     */
    public FaceEngineService(Settings settings, Path configDir, ClusterSettings clusterSettings, InferencePools pools, MemoryBudget decodeBudget) {
        this.pools = pools;
        this.modelsDir = configDir.resolve(FaceSearchSettings.MODELS_PATH.get(settings)).toAbsolutePath().normalize();
        String manifestSetting = FaceSearchSettings.MODELS_MANIFEST.get(settings);
        this.manifestSource = manifestSetting.isEmpty() ? "built-in" : configDir.resolve(manifestSetting).toString();

        ModelManifest loadedManifest = null;
        FaceEngineConfig loadedConfig = null;
        FaceAnalyzer loadedAnalyzer = null;
        RuntimeException error = null;
        try {
            loadedManifest = readManifest(manifestSetting.isEmpty() ? null : configDir.resolve(manifestSetting));
            loadedConfig = new FaceEngineConfig(
                modelsDir,
                loadedManifest,
                FaceSearchSettings.DETECTOR_MODEL.get(settings),
                FaceSearchSettings.EMBEDDING_MODEL.get(settings),
                FaceSearchSettings.FLIP_AVERAGE.get(settings),
                FaceSearchSettings.MAX_PIXELS.get(settings),
                FaceSearchSettings.WORKING_MAX_PIXELS.get(settings),
                decodeBudget
            );
            FaceEngineConfig toLoad = loadedConfig;
            loadedAnalyzer = AccessController.doPrivileged(() -> FaceAnalyzer.open(toLoad));
            loadedAnalyzer.observeWith(stats);
            logger.info(
                "face models loaded from [{}]: detector [{}], embedder [{}] ({} dimensions)",
                modelsDir,
                loadedConfig.detector(),
                loadedConfig.embedder(),
                loadedAnalyzer.embedder().dimension()
            );
        } catch (RuntimeException e) {
            error = e instanceof ModelUnavailableException ? e : new ModelUnavailableException("face models cannot be loaded: " + e.getMessage(), e);
            logger.error("face models cannot be loaded; face APIs will answer with this error until the node restarts: {}", error.getMessage());
        }
        this.manifest = loadedManifest;
        this.config = loadedConfig;
        this.analyzer = loadedAnalyzer;
        this.failure = error;
        // loads the OpenCV natives (JPEG decoding, resize, warp) now rather than on the first photo
        logger.info("JPEG decoding: {}", ImageDecoder.jpegDecoder());

        String clipImage = FaceSearchSettings.CLIP_IMAGE_MODEL.get(settings);
        String clipText = FaceSearchSettings.CLIP_TEXT_MODEL.get(settings);
        ClipEngine loadedClip = null;
        RuntimeException clipError = null;
        if (clipImage.isEmpty() && clipText.isEmpty()) {
            clipError = new IllegalArgumentException(
                "CLIP is switched off on this node: no CLIP model is configured (set "
                    + FaceSearchSettings.CLIP_IMAGE_MODEL.getKey()
                    + " and "
                    + FaceSearchSettings.CLIP_TEXT_MODEL.getKey()
                    + ")"
            );
        } else if (loadedManifest == null) {
            clipError = error;
        } else {
            try {
                ModelManifest clipManifest = loadedManifest;
                loadedClip = AccessController.doPrivileged(
                    () -> ClipEngine.open(modelsDir, clipManifest, clipImage.isEmpty() ? null : clipImage, clipText.isEmpty() ? null : clipText)
                );
                logger.info("CLIP models loaded: image [{}], text [{}] ({} dimensions)", clipImage, clipText, loadedClip.dimension());
            } catch (RuntimeException e) {
                clipError = e instanceof ModelUnavailableException ? e : new ModelUnavailableException("CLIP models cannot be loaded: " + e.getMessage(), e);
                logger.error("CLIP models cannot be loaded; CLIP features will answer with this error until the node restarts: {}", clipError.getMessage());
            }
        }
        this.clip = loadedClip;
        this.clipFailure = clipError;

        this.minScore = FaceSearchSettings.MIN_SCORE.get(settings);
        this.minFaceSize = FaceSearchSettings.MIN_FACE_SIZE.get(settings);
        this.maxFaces = FaceSearchSettings.MAX_FACES.get(settings);
        this.verifyThreshold = FaceSearchSettings.VERIFY_THRESHOLD.get(settings);
        this.identifyThreshold = FaceSearchSettings.IDENTIFY_THRESHOLD.get(settings);
        clusterSettings.addSettingsUpdateConsumer(FaceSearchSettings.MIN_SCORE, value -> minScore = value);
        clusterSettings.addSettingsUpdateConsumer(FaceSearchSettings.MIN_FACE_SIZE, value -> minFaceSize = value);
        clusterSettings.addSettingsUpdateConsumer(FaceSearchSettings.MAX_FACES, value -> maxFaces = value);
        clusterSettings.addSettingsUpdateConsumer(FaceSearchSettings.VERIFY_THRESHOLD, value -> verifyThreshold = value);
        clusterSettings.addSettingsUpdateConsumer(FaceSearchSettings.IDENTIFY_THRESHOLD, value -> identifyThreshold = value);
    }

    static ModelManifest readManifest(Path file) {
        return AccessController.doPrivileged(() -> readManifestFile(file));
    }

    private static ModelManifest readManifestFile(Path file) {
        try (InputStream in = file == null ? FaceEngineService.class.getResourceAsStream(BUILT_IN_MANIFEST) : Files.newInputStream(file)) {
            if (in == null) {
                throw new ModelUnavailableException("the built-in model manifest is missing from the plugin");
            }
            Map<String, Object> json = XContentHelper.convertToMap(JsonXContent.jsonXContent, in, true);
            return ModelManifest.fromMap(json);
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot read the model manifest [" + (file == null ? "built-in" : file) + "]: " + e.getMessage(), e);
        }
    }

    /** The shared analyzer; throws the load error when the models could not be loaded. */
    public FaceAnalyzer analyzer() {
        if (failure != null) {
            throw failure;
        }
        return analyzer;
    }

    /**
     * The analyzer for a detector and embedder pair (null for the node default of either). Other pairs than the
     * default are loaded once, on first use, and kept for the life of the node.
     */
    public FaceAnalyzer analyzer(String detector, String embedder) {
        FaceAnalyzer defaults = analyzer();
        String detectorName = detector == null ? config.detector() : detector;
        String embedderName = embedder == null ? config.embedder() : embedder;
        if (detectorName.equals(config.detector()) && embedderName.equals(config.embedder())) {
            return defaults;
        }
        return otherAnalyzers.computeIfAbsent(detectorName + "\n" + embedderName, key -> {
            FaceEngineConfig pair = new FaceEngineConfig(
                config.modelsDir(),
                config.manifest(),
                detectorName,
                embedderName,
                config.flipAverage(),
                config.maxPixels(),
                config.workingMaxPixels(),
                config.decodeBudget()
            );
            FaceAnalyzer loaded = AccessController.doPrivileged(() -> FaceAnalyzer.open(pair));
            loaded.observeWith(stats);
            logger.info("face models loaded for a pipeline: detector [{}], embedder [{}]", detectorName, embedderName);
            return loaded;
        });
    }

    /** Runs a request's analysis on the {@code face_search} pool (a full queue rejects it with 429 through its handler). */
    public void executeSearch(AbstractRunnable task) {
        pools.executeSearch(task);
    }

    /**
     * Runs an ingest document's analysis on the {@code face_search_ingest} pool. Its queue holds only references to
     * documents a bulk request already holds in memory (photos are decoded by the worker threads, at most one per
     * thread), so it can be long enough for a whole bulk request without bounding memory any worse than the request
     * itself.
     */
    public void executeIngest(AbstractRunnable task) {
        pools.executeIngest(task);
    }

    /** What this node's face work has done since it started. */
    public FaceStats stats() {
        return stats;
    }

    /**
     * {@code listener}, counting in the stats the requests refused before any photo reached an analyzer because a
     * pool's queue was full (analyzers count their own failures).
     */
    public <T> ActionListener<T> countingRejections(ActionListener<T> listener) {
        return ActionListener.wrap(listener::onResponse, e -> {
            if (e instanceof OpenSearchRejectedExecutionException) {
                stats.requestFailed(e);
            }
            listener.onFailure(e);
        });
    }

    /** How many analyses may run at once on this node. */
    public int inferenceSlots() {
        return pools.slots();
    }

    /** How many analyses run now. */
    public int inferenceSlotsInUse() {
        return pools.slotsInUse();
    }

    /** Node defaults, with any of the request's own values taking precedence. */
    public DetectionOptions detectionOptions(Float requestMinScore, Integer requestMinFaceSize, Integer requestMaxFaces) {
        return new DetectionOptions(
            requestMinScore != null ? requestMinScore : minScore,
            requestMinFaceSize != null ? requestMinFaceSize : minFaceSize,
            requestMaxFaces != null ? requestMaxFaces : maxFaces
        );
    }

    public float verifyThreshold() {
        return verifyThreshold;
    }

    public float identifyThreshold() {
        return identifyThreshold;
    }

    public Path modelsDir() {
        return modelsDir;
    }

    public String manifestSource() {
        return manifestSource;
    }

    /** Null when the manifest itself could not be read. */
    public ModelManifest manifest() {
        return manifest;
    }

    /** Null when the manifest could not be read. */
    public FaceEngineConfig config() {
        return config;
    }

    /** Null when the models are loaded. */
    public RuntimeException failure() {
        return failure;
    }

    /** Whether CLIP models are configured and loaded. */
    public boolean clipEnabled() {
        return clip != null;
    }

    /**
     * The CLIP engine; throws an {@link IllegalArgumentException} when CLIP is not configured (a request asking
     * for it is wrong for this node) and the load error when it is configured but could not be loaded.
     */
    public ClipEngine clip() {
        if (clipFailure instanceof IllegalArgumentException) {
            // a new exception per request: callers may attach suppressed exceptions to what they catch
            throw new IllegalArgumentException(clipFailure.getMessage());
        }
        if (clipFailure != null) {
            throw clipFailure;
        }
        return clip;
    }

    /** Why CLIP cannot be used, or null. */
    public RuntimeException clipFailure() {
        return clipFailure;
    }

    @Override
    public void close() {
        if (analyzer != null) {
            analyzer.close();
        }
        otherAnalyzers.values().forEach(FaceAnalyzer::close);
        if (clip != null) {
            clip.close();
        }
    }
}
