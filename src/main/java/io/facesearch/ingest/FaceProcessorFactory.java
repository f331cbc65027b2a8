package io.facesearch.ingest;

import io.facesearch.common.FieldValues;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.plugin.FaceSearchSettings;
import io.facesearch.vision.model.ModelTask;

import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.Processor;

import java.util.Map;
import java.util.function.BiFunction;
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
        String field = option(tag, config, "field", DEFAULT_FIELD, FieldValues::string);
        String targetField = option(tag, config, "target_field", DEFAULT_TARGET_FIELD, FieldValues::string);
        String photoField = option(tag, config, "photo_field", DEFAULT_PHOTO_FIELD, FieldValues::string);
        boolean ignoreMissing = option(tag, config, "ignore_missing", false, FieldValues::bool);
        boolean removeImage = option(tag, config, "remove_image", true, FieldValues::bool);
        Float minScore = option(tag, config, "min_score", null, (value, key) -> FieldValues.number(value, key, 0, 1));
        Integer minFaceSize = option(tag, config, "min_face_size", null, integerWithin(0, FaceSearchSettings.MIN_FACE_SIZE_LIMIT));
        Integer maxFaces = option(tag, config, "max_faces", null, integerWithin(1, FaceSearchSettings.MAX_FACES_LIMIT));
        String detector = option(tag, config, "detector", null, FieldValues::string);
        boolean clip = option(tag, config, "clip", false, FieldValues::bool);
        String clipField = option(tag, config, "clip_field", DEFAULT_CLIP_FIELD, FieldValues::string);
        boolean faceClip = option(tag, config, "face_clip", false, FieldValues::bool);
        String embedder = option(tag, config, "embedder", null, FieldValues::string);

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

    private static BiFunction<Object, String, Integer> integerWithin(int min, int max) {
        return (value, key) -> FieldValues.integer(value, key, min, max);
    }

    /**
     * Takes option {@code key} out of the processor's config, read by {@code read} with the rules every request
     * field follows: a value given, null too, has the option's type or the pipeline is refused.
     */
    private static <T> T option(String tag, Map<String, Object> config, String key, T defaultValue, BiFunction<Object, String, T> read) {
        if (config.containsKey(key) == false) {
            return defaultValue;
        }
        Object value = config.remove(key);
        try {
            return read.apply(value, key);
        } catch (IllegalArgumentException e) {
            // the field checks word a refusal "[key] reason", and a pipeline error puts the "[key] " in front itself
            String prefix = "[" + key + "] ";
            String reason = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
            throw ConfigurationUtils.newConfigurationException(FaceProcessor.TYPE, tag, key, reason);
        }
    }
}
