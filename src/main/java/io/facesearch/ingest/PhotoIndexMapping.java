package io.facesearch.ingest;

import io.facesearch.index.PhotoIndexSettings;
import io.facesearch.people.FacePersonFields;

import org.opensearch.common.settings.Settings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mapping of a photo index: one nested object per face with its identity vector in a k-NN
 * {@code knn_vector} field (HNSW graph, Lucene engine, cosine similarity), photo-level facts, the photo
 * itself as an unindexed binary field, identity labels of photos and faces, and, with CLIP, the photo's (and
 * optionally each face's) CLIP vector.
 */
public final class PhotoIndexMapping {
    /** The label of a whole photo, read by identify ({@code identity_field}) like a face's {@code identity}. */
    public static final String IDENTITY_FIELD = "identity";

    private PhotoIndexMapping() {}

    /**
     * The index settings every photo index needs besides its pipeline: the k-NN plugin's vector search, and the
     * vectors left out of the {@code _source} that searches and GETs return unless they ask for them.
     */
    public static Settings settings() {
        return Settings.builder().put("index.knn", true).put(PhotoIndexSettings.EXCLUDE_SOURCE_VECTORS.getKey(), true).build();
    }

    /**
     * @param clipField     top-level field of the photo's CLIP vector, or null without CLIP
     * @param clipDimension dimension of the CLIP vectors
     * @param faceClip      whether each face has a CLIP vector too ({@code targetField.clip})
     * @param compression   how the face vectors are stored in their graph; CLIP vectors are never compressed, as
     *                      their searches are few and their recall already lower
     * @param graph         how the graph of the face vectors is built; CLIP vectors keep the defaults
     */
    public static Map<String, Object> build(
        String imageField,
        String targetField,
        String photoField,
        int dimension,
        String clipField,
        int clipDimension,
        boolean faceClip,
        VectorCompression compression,
        HnswGraph graph
    ) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(imageField, Map.of("type", "binary"));
        properties.put(targetField, faces(dimension, clipField != null && faceClip ? clipDimension : 0, compression, graph));
        properties.put(photoField, photo());
        if (clipField != null) {
            properties.put(clipField, knnVector(clipDimension));
        }
        // labels are matched exactly, as identify votes by them, never analysed as text
        properties.putIfAbsent(IDENTITY_FIELD, keyword());
        return Map.of("properties", properties);
    }

    static Map<String, Object> faces(int dimension, int clipDimension, VectorCompression compression, HnswGraph graph) {
        Map<String, Object> face = new LinkedHashMap<>();
        face.put("index", Map.of("type", "integer"));
        face.put("score", Map.of("type", "float"));
        face.put("box", object(Map.of("x", floatType(), "y", floatType(), "width", floatType(), "height", floatType())));
        // landmarks are returned with the face but never searched
        face.put("landmarks", Map.of("type", "object", "enabled", false));
        face.put("quality", object(Map.of("size", floatType(), "sharpness", floatType(), "frontal", floatType())));
        face.put("embedding", knnVector(dimension, compression, graph));
        if (clipDimension > 0) {
            face.put("clip", knnVector(clipDimension));
        }
        face.put(IDENTITY_FIELD, keyword());
        // the person the face belongs to, and those it was said not to be, written by people clustering
        face.putAll(FacePersonFields.properties());
        Map<String, Object> faces = new LinkedHashMap<>();
        faces.put("type", "nested");
        faces.put("properties", face);
        return faces;
    }

    /** A {@code knn_vector} field of {@code dimension}, searched like the faces (HNSW, lucene, cosine), uncompressed. */
    public static Map<String, Object> knnVector(int dimension) {
        return knnVector(dimension, VectorCompression.NONE, HnswGraph.DEFAULT);
    }

    /**
     * A {@code knn_vector} field of {@code dimension} (HNSW, lucene) whose graph holds its vectors as
     * {@code compression} says: the lucene engine's {@code sq} encoder in the method's parameters, which keeps the
     * float vectors beside the quantized ones for rescoring, or the k-NN plugin's {@code byte} data type, compared by
     * inner product (cosine otherwise); its graph built as {@code graph} says.
     */
    public static Map<String, Object> knnVector(int dimension, VectorCompression compression, HnswGraph graph) {
        Map<String, Object> parameters = graph.parameters();
        if (compression.rescorable()) {
            parameters.put("encoder", compression.encoder());
        }
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("name", "hnsw");
        method.put("engine", "lucene");
        method.put("space_type", compression.spaceType());
        method.put("parameters", parameters);
        Map<String, Object> vector = new LinkedHashMap<>();
        vector.put("type", "knn_vector");
        vector.put("dimension", dimension);
        vector.putAll(compression.fieldParameters());
        vector.put("method", method);
        return vector;
    }

    static Map<String, Object> photo() {
        Map<String, Object> model = Map.of(
            "properties",
            Map.of(
                "detector",
                keyword(),
                "embedder",
                keyword(),
                "embedder_sha256",
                keyword(),
                "dimension",
                Map.of("type", "integer"),
                "flip_average",
                Map.of("type", "boolean"),
                "clip",
                keyword(),
                "clip_sha256",
                keyword()
            )
        );
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("width", Map.of("type", "integer"));
        properties.put("height", Map.of("type", "integer"));
        properties.put("format", keyword());
        properties.put("face_count", Map.of("type", "integer"));
        properties.put("model", model);
        return Map.of("properties", properties);
    }

    private static Map<String, Object> object(Map<String, Object> properties) {
        return Map.of("properties", properties);
    }

    private static Map<String, Object> floatType() {
        return Map.of("type", "float");
    }

    private static Map<String, Object> keyword() {
        return Map.of("type", "keyword");
    }
}
