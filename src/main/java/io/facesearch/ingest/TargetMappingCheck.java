package io.facesearch.ingest;

import io.facesearch.index.mapper.VectorFieldMapping;

import org.opensearch.cluster.service.ClusterService;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Refuses to write faces into an index whose mapping would not keep them searchable: faces not nested, or vectors
 * not knn_vector fields of the model's dimension. Such documents would be rejected one by one by the k-NN mapper
 * with a less helpful message, or, where the index does not map the fields, silently stored as an object of
 * plain floats that no kNN query can use.
 */
public final class TargetMappingCheck {
    private final Supplier<ClusterService> clusterService;
    /** Parsed field mapping per target mapping (see {@link TargetIndexMapping#key}) and field: mappings change rarely. */
    private final Map<String, Optional<Map<String, Object>>> parsed = new ConcurrentHashMap<>();

    public TargetMappingCheck(Supplier<ClusterService> clusterService) {
        this.clusterService = clusterService;
    }

    /**
     * @return how the field stores its vectors, so that they are written as it takes them; {@link VectorCompression#NONE}
     *         (floats) when there is nothing to check
     * @throws IllegalArgumentException when documents written to {@code index} would not map {@code vectorField} (a
     *                                  dotted path) as a knn_vector of {@code dimension}: it maps the field otherwise,
     *                                  or not at all, so that a document would map it dynamically
     */
    public VectorCompression check(String index, String vectorField, int dimension, String model) {
        Map<String, Object> embedding = mappedField(index, vectorField, "float, not knn_vector");
        if (embedding == null) {
            return VectorCompression.NONE;
        }
        VectorFieldMapping mapped = VectorFieldMapping.ofDefinition(embedding);
        if (mapped.isKnnVector() == false) {
            throw new IllegalArgumentException(
                "index [" + index + "] maps [" + vectorField + "] as [" + mapped.type() + "], not knn_vector; " + howToCreate(index)
            );
        }
        if (mapped.fits(dimension) == false) {
            throw new IllegalArgumentException(
                "index ["
                    + index
                    + "] maps ["
                    + vectorField
                    + "] with dimension "
                    + mapped.dimension().getAsInt()
                    + " but model ["
                    + model
                    + "] produces "
                    + dimension
                    + "-dimensional vectors"
            );
        }
        // a quantization no photo index is made with still takes floats; the k-NN plugin refuses what it cannot take
        return Objects.requireNonNullElse(VectorCompression.ofDefinition(embedding), VectorCompression.NONE);
    }

    /**
     * @throws IllegalArgumentException when documents written to {@code index} would not map {@code path} (a dotted
     *                                  path) as nested objects, one Lucene document per face, which the kNN search of
     *                                  each face's vector needs
     */
    public void checkNested(String index, String path) {
        Map<String, Object> objects = mappedField(index, path, "an object, not nested");
        if (objects != null && "nested".equals(objects.get("type")) == false) {
            Object type = objects.get("type") == null ? "object" : objects.get("type");
            throw new IllegalArgumentException(
                "index [" + index + "] maps [" + path + "] as [" + type + "], not nested: each face must be a nested object; "
                    + howToCreate(index)
            );
        }
    }

    /**
     * The mapping of {@code field} in the index that documents written to {@code index} go to, or null when there is
     * nothing to check (no index named, no cluster state, or a name no document can be written to).
     *
     * @param dynamically how a document would map the field when the index does not, for the error
     * @throws IllegalArgumentException when the field is not mapped
     */
    private Map<String, Object> mappedField(String index, String field, String dynamically) {
        ClusterService service = clusterService.get();
        if (index == null || service == null) {
            return null;
        }
        TargetIndexMapping target = TargetIndexMapping.of(service.state(), index);
        if (target == null) {
            return null;
        }
        if (parsed.size() > 10_000) {
            parsed.clear();
        }
        Optional<Map<String, Object>> cached = parsed.computeIfAbsent(
            target.key() + '/' + field,
            k -> Optional.ofNullable(fieldMapping(target.mapping().get(), field))
        );
        if (cached.isEmpty()) {
            throw notMapped(index, field, target.exists(), dynamically);
        }
        return cached.get();
    }

    private static IllegalArgumentException notMapped(String index, String field, boolean exists, String dynamically) {
        String where = exists
            ? "index [" + index + "] does not map [" + field + "]"
            : "index [" + index + "] does not exist and no index template maps [" + field + "]";
        return new IllegalArgumentException(
            where + ": a document written there would map it dynamically, as " + dynamically + ", and no kNN query could search it; "
                + howToCreate(index)
        );
    }

    private static String howToCreate(String index) {
        return "create the index with PUT _plugins/_face/index/" + index + " or with the mapping in the README";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fieldMapping(Map<String, Object> mapping, String vectorField) {
        Object node = mapping;
        for (String part : vectorField.split("\\.")) {
            node = child(node, part);
        }
        return node instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    private static Object child(Object node, String name) {
        if (node instanceof Map<?, ?> map && map.get("properties") instanceof Map<?, ?> properties) {
            return properties.get(name);
        }
        return null;
    }
}
