package io.facesearch.plugin;

import io.facesearch.common.FieldValues;
import io.facesearch.vision.image.ImageDecoder;

import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Setting.Property;

import java.util.List;
import java.util.function.Function;

/** Node settings of the plugin ({@code face_search.*} in opensearch.yml). */
public final class FaceSearchSettings {
    private FaceSearchSettings() {}

    /** Folder holding the model files; relative paths resolve against the node's config folder. */
    public static final Setting<String> MODELS_PATH = Setting.simpleString(
        "face_search.models.path",
        "face-search/models",
        Property.NodeScope
    );

    /** A model manifest file replacing the one built into the plugin (empty: the built-in one). */
    public static final Setting<String> MODELS_MANIFEST = Setting.simpleString("face_search.models.manifest", "", Property.NodeScope);

    public static final Setting<String> DETECTOR_MODEL = Setting.simpleString(
        "face_search.detector.model",
        "yunet_n_dynamic",
        Property.NodeScope
    );

    public static final Setting<String> EMBEDDING_MODEL = Setting.simpleString(
        "face_search.embedding.model",
        "mobilefacenet_ms1mv3",
        Property.NodeScope
    );

    /** CLIP image model by manifest name; empty (the default) switches CLIP off. */
    public static final Setting<String> CLIP_IMAGE_MODEL = Setting.simpleString("face_search.clip.image_model", "", Property.NodeScope);

    /** CLIP text model by manifest name; empty (the default) switches text search off. */
    public static final Setting<String> CLIP_TEXT_MODEL = Setting.simpleString("face_search.clip.text_model", "", Property.NodeScope);

    public static final Setting<Boolean> FLIP_AVERAGE = Setting.boolSetting(
        "face_search.embedding.flip_average",
        false,
        Property.NodeScope
    );

    /** Largest {@code min_face_size} a setting, request or processor may ask for: far beyond any photo's side. */
    public static final int MIN_FACE_SIZE_LIMIT = 100_000;

    /** Largest {@code max_faces} a setting, request or processor may ask for. */
    public static final int MAX_FACES_LIMIT = 10_000;

    /** Default minimum detector score; requests may ask for another. */
    public static final Setting<Float> MIN_SCORE = floatSetting("face_search.detector.min_score", 0.6f, 0f, 1f);

    /** Default minimum face size (shorter box side, pixels of the original photo). */
    public static final Setting<Integer> MIN_FACE_SIZE = intSetting("face_search.detector.min_face_size", 0, 0, MIN_FACE_SIZE_LIMIT);

    public static final Setting<Integer> MAX_FACES = intSetting("face_search.detector.max_faces", 100, 1, MAX_FACES_LIMIT);

    /** Cosine similarity at or above which two faces are the same person. */
    public static final Setting<Float> VERIFY_THRESHOLD = floatSetting("face_search.verify.threshold", 0.3f, -1f, 1f);

    /**
     * Mean cosine similarity the winning identity's votes must reach in identify. Stricter than verification:
     * a 1:N search meets many more strangers, and at 0.43 about 1% of people not enrolled are given a name
     * (measured with qa/bench identify on the shared identification split).
     */
    public static final Setting<Float> IDENTIFY_THRESHOLD = floatSetting("face_search.identify.threshold", 0.43f, -1f, 1f);

    /** Photos whose header declares more pixels are rejected before they are decoded. */
    public static final Setting<Long> MAX_PIXELS = Setting.longSetting(
        "face_search.image.max_pixels",
        ImageDecoder.DEFAULT_MAX_PIXELS,
        1,
        Property.NodeScope
    );

    /** Larger photos are decoded subsampled to at most this many pixels, bounding memory per photo. */
    public static final Setting<Long> WORKING_MAX_PIXELS = Setting.longSetting(
        "face_search.image.working_max_pixels",
        ImageDecoder.DEFAULT_WORKING_MAX_PIXELS,
        1,
        ImageDecoder.WORKING_MAX_PIXELS_LIMIT,
        Property.NodeScope
    );

    /**
     * A dynamic float setting within [min, max]. Setting.floatSetting lets NaN through its bounds and names only
     * the bound crossed; this one refuses NaN and names the whole range, like a request field.
     */
    private static Setting<Float> floatSetting(String key, float defaultValue, float min, float max) {
        return dynamic(key, Float.toString(defaultValue), value -> FieldValues.between(Float.parseFloat(value), min, max, key));
    }

    /** A dynamic integer setting within [min, max], refused with the whole range named, like a request field. */
    private static Setting<Integer> intSetting(String key, int defaultValue, int min, int max) {
        return dynamic(key, Integer.toString(defaultValue), value -> FieldValues.between(Integer.parseInt(value), min, max, key));
    }

    private static <T> Setting<T> dynamic(String key, String defaultValue, Function<String, T> parse) {
        return new Setting<>(key, defaultValue, parse, Property.NodeScope, Property.Dynamic);
    }

    public static List<Setting<?>> all() {
        return List.of(
            MODELS_PATH,
            MODELS_MANIFEST,
            DETECTOR_MODEL,
            EMBEDDING_MODEL,
            FLIP_AVERAGE,
            CLIP_IMAGE_MODEL,
            CLIP_TEXT_MODEL,
            MIN_SCORE,
            MIN_FACE_SIZE,
            MAX_FACES,
            VERIFY_THRESHOLD,
            IDENTIFY_THRESHOLD,
            MAX_PIXELS,
            WORKING_MAX_PIXELS
        );
    }
}
