package io.facesearch.ingest;

import io.facesearch.common.FieldValues;
import io.facesearch.common.ProcessorOptions;
import io.facesearch.engine.FaceEngineService;
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
        ProcessorOptions options = new ProcessorOptions(type, tag, config);
        String field = options.take("field", DEFAULT_FIELD, FieldValues::string);
        String targetField = options.take("target_field", DEFAULT_TARGET_FIELD, FieldValues::string);
        String photoField = options.take("photo_field", DEFAULT_PHOTO_FIELD, FieldValues::string);
        boolean ignoreMissing = options.take("ignore_missing", false, FieldValues::bool);
        boolean removeImage = options.take("remove_image", true, FieldValues::bool);
        Float minScore = options.take("min_score", null, ProcessorOptions.numberWithin(0, 1));
        Integer minFaceSize = options.take("min_face_size", null, ProcessorOptions.integerWithin(0, FaceSearchSettings.MIN_FACE_SIZE_LIMIT));
        Integer maxFaces = options.take("max_faces", null, ProcessorOptions.integerWithin(1, FaceSearchSettings.MAX_FACES_LIMIT));
        String detector = options.take("detector", null, FieldValues::string);
        boolean clip = options.take("clip", false, FieldValues::bool);
        String clipField = options.take("clip_field", DEFAULT_CLIP_FIELD, FieldValues::string);
        boolean faceClip = options.take("face_clip", false, FieldValues::bool);
        String embedder = options.take("embedder", null, FieldValues::string);

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
}
