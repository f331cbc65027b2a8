package io.facesearch.people;

import io.facesearch.index.PhotoIndexSettings;
import io.facesearch.ingest.PhotoIndexMapping;

import org.opensearch.common.settings.Settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The index persons are kept in: one document per person, its id the person's id. By default {@code {photo
 * index}-people}; its centroid is a {@code knn_vector} of the faces' dimension and space, so persons can be searched
 * by face like photos.
 */
public final class PeopleIndex {
    public static final String SUFFIX = "-people";

    public static final String NAME = "name";
    public static final String NAMED = "named";
    /** Set once a user merged or split the person: a full run keeps it as it is, like a named person. */
    public static final String EDITED = "edited";
    public static final String FACE_COUNT = "face_count";
    public static final String PHOTO_COUNT = "photo_count";
    public static final String REPRESENTATIVE = "representative";
    public static final String CENTROID = "centroid";
    public static final String MODEL = "model";
    public static final String PHOTO_INDICES = "photo_indices";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";

    private PeopleIndex() {}

    /** The people index of a photo index, when no other is named. */
    public static String defaultFor(String photoIndex) {
        return photoIndex + SUFFIX;
    }

    /** One shard (persons are few next to faces), a replica where there is a second node, k-NN search of centroids. */
    public static Settings settings() {
        return Settings.builder()
            .put("index.number_of_shards", 1)
            .put("index.auto_expand_replicas", "0-1")
            .put("index.knn", true)
            .put(PhotoIndexSettings.EXCLUDE_SOURCE_VECTORS.getKey(), true)
            .build();
    }

    public static Map<String, Object> mapping(int dimension) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(NAME, keyword());
        properties.put(NAMED, Map.of("type", "boolean"));
        properties.put(EDITED, Map.of("type", "boolean"));
        properties.put(FACE_COUNT, Map.of("type", "integer"));
        properties.put(PHOTO_COUNT, Map.of("type", "integer"));
        properties.put(
            REPRESENTATIVE,
            Map.of("properties", Map.of("index", keyword(), "id", keyword(), "face", Map.of("type", "integer")))
        );
        properties.put(CENTROID, PhotoIndexMapping.knnVector(dimension));
        properties.put(
            MODEL,
            Map.of("properties", Map.of("embedder", keyword(), "embedder_sha256", keyword(), "dimension", Map.of("type", "integer")))
        );
        properties.put(PHOTO_INDICES, keyword());
        properties.put(CREATED_AT, Map.of("type", "date"));
        properties.put(UPDATED_AT, Map.of("type", "date"));
        // persons are written only by the plugin: a field it does not know is a mistake, not something to map
        return Map.of("dynamic", "strict", "properties", properties);
    }

    /** The fields a person's answer leaves out: the centroid is 128 numbers or more, and an identity vector. */
    public static List<String> hiddenFields() {
        return List.of(CENTROID);
    }

    private static Map<String, Object> keyword() {
        return Map.of("type", "keyword");
    }
}
