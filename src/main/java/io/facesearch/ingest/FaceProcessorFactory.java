package io.facesearch.ingest;

import io.facesearch.plugin.FaceEngineService;
import io.facesearch.plugin.FaceSearchSettings;
import io.facesearch.vision.model.ModelTask;

import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.Processor;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds {@code face} processors from pipeline definitions. The common options {@code if}, {@code ignore_failure}
 * and {@code on_failure} are handled by OpenSearch around every processor.
 */
public final class FaceProcessorFactory implements Processor.Factory {
    public static final String DEFAULT_FIELD = "image";
    public static final String DEFAULT_TARGET_FIELD = "faces";
    public static final String DEFAULT_PHOTO_FIELD = "photo";
    public static final String DEFAULT_CLIP_FIELD = "clip";

    private final Supplier<FaceEngineService> engine;
    private final TargetMappingCheck mappingCheck;

    public FaceProcessorFactory(Supplier<FaceEngineService> engine, TargetMappingCheck mappingCheck) {
        this.engine = engine;
        this.mappingCheck = mappingCheck;
    }

    @Override
    public FaceProcessor create(Map<String, Processor.Factory> registry, String tag, String description, Map<String, Object> config) {
        String type = FaceProcessor.TYPE;
        String field = ConfigurationUtils.readStringProperty(type, tag, config, "field", DEFAULT_FIELD);
        String targetField = ConfigurationUtils.readStringProperty(type, tag, config, "target_field", DEFAULT_TARGET_FIELD);
        String photoField = ConfigurationUtils.readStringProperty(type, tag, config, "photo_field", DEFAULT_PHOTO_FIELD);
        boolean ignoreMissing = ConfigurationUtils.readBooleanProperty(type, tag, config, "ignore_missing", false);
        boolean removeImage = ConfigurationUtils.readBooleanProperty(type, tag, config, "remove_image", true);
        Float minScore = readOptionalFloat(tag, config, "min_score");
        Integer minFaceSize = ConfigurationUtils.readIntProperty(type, tag, config, "min_face_size", null);
        Integer maxFaces = ConfigurationUtils.readIntProperty(type, tag, config, "max_faces", null);
        String detector = ConfigurationUtils.readOptionalStringProperty(type, tag, config, "detector");
        boolean clip = ConfigurationUtils.readBooleanProperty(type, tag, config, "clip", false);
        String clipField = ConfigurationUtils.readStringProperty(type, tag, config, "clip_field", DEFAULT_CLIP_FIELD);
        boolean faceClip = ConfigurationUtils.readBooleanProperty(type, tag, config, "face_clip", false);
        String embedder = ConfigurationUtils.readOptionalStringProperty(type, tag, config, "embedder");

        if (minScore != null && (minScore < 0 || minScore > 1)) {
            throw ConfigurationUtils.newConfigurationException(type, tag, "min_score", "must be between 0 and 1, got " + minScore);
        }
        if (minFaceSize != null && minFaceSize < 0) {
            throw ConfigurationUtils.newConfigurationException(type, tag, "min_face_size", "must be >= 0, got " + minFaceSize);
        }
        if (maxFaces != null && maxFaces < 1) {
            throw ConfigurationUtils.newConfigurationException(type, tag, "max_faces", "must be >= 1, got " + maxFaces);
        }
        if (field.equals(targetField) || field.equals(photoField) || targetField.equals(photoField)) {
            throw ConfigurationUtils.newConfigurationException(
                type,
                tag,
                "target_field",
                "[field], [target_field] and [photo_field] must differ, got [" + field + "], [" + targetField + "], [" + photoField + "]"
            );
        }
        checkModel(tag, "detector", detector, ModelTask.FACE_DETECTION);
        checkModel(tag, "embedder", embedder, ModelTask.FACE_EMBEDDING);
        if (faceClip && clip == false) {
            throw ConfigurationUtils.newConfigurationException(type, tag, "face_clip", "needs [clip] to be true");
        }
        if (clip) {
            if (clipField.equals(field) || clipField.equals(targetField) || clipField.equals(photoField)) {
                throw ConfigurationUtils.newConfigurationException(
                    type,
                    tag,
                    "clip_field",
                    "must differ from [field], [target_field] and [photo_field], got [" + clipField + "]"
                );
            }
            checkClip(tag);
        }
        return new FaceProcessor(
            tag,
            description,
            engine,
            field,
            targetField,
            photoField,
            ignoreMissing,
            removeImage,
            minScore,
            minFaceSize,
            maxFaces,
            detector,
            embedder,
            clip,
            clipField,
            faceClip,
            mappingCheck
        );
    }

    /** Names a model the manifest does not know, or of the wrong task: a pipeline error, not a per-document one. */
    private void checkModel(String tag, String property, String name, ModelTask task) {
        FaceEngineService service = engine.get();
        if (name == null || service == null || service.manifest() == null) {
            return;
        }
        try {
            service.manifest().get(name, task);
        } catch (IllegalArgumentException e) {
            throw ConfigurationUtils.newConfigurationException(FaceProcessor.TYPE, tag, property, e.getMessage());
        }
    }

    /** A pipeline asking for CLIP vectors on a node that cannot make them is refused when it is stored. */
    private void checkClip(String tag) {
        FaceEngineService service = engine.get();
        if (service == null) {
            return;
        }
        RuntimeException failure = service.clipFailure();
        if (failure != null) {
            throw ConfigurationUtils.newConfigurationException(FaceProcessor.TYPE, tag, "clip", failure.getMessage());
        }
        if (service.clip().canEmbedImages() == false) {
            throw ConfigurationUtils.newConfigurationException(
                FaceProcessor.TYPE,
                tag,
                "clip",
                "no CLIP image model is configured on this node (set " + FaceSearchSettings.CLIP_IMAGE_MODEL.getKey() + ")"
            );
        }
    }

    private static Float readOptionalFloat(String tag, Map<String, Object> config, String key) {
        Object value = config.remove(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.floatValue();
        }
        throw ConfigurationUtils.newConfigurationException(FaceProcessor.TYPE, tag, key, "must be a number, got [" + value + "]");
    }
}
