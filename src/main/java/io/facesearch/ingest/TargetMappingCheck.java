package io.facesearch.ingest;

import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.MappingMetadata;
import org.opensearch.cluster.service.ClusterService;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Refuses to write vectors into an index whose mapping expects another dimension: such documents would be
 * rejected one by one by the k-NN mapper with a less helpful message, or, for a dynamically mapped field,
 * silently stored as plain floats that no kNN query can use.
 */
public final class TargetMappingCheck {
    private final Supplier<ClusterService> clusterService;
    /** Parsed vector field mapping per index UUID, mapping version and field: mappings change rarely. */
    private final Map<String, Optional<Map<String, Object>>> parsed = new ConcurrentHashMap<>();

    public TargetMappingCheck(Supplier<ClusterService> clusterService) {
        this.clusterService = clusterService;
    }

    /**
     * @throws IllegalArgumentException when {@code index} exists and maps {@code vectorField} (a dotted path) with a
     *                                  dimension other than {@code dimension}, or not as a knn_vector
     */
    public void check(String index, String vectorField, int dimension, String model) {
        ClusterService service = clusterService.get();
        if (index == null || service == null) {
            return;
        }
        IndexMetadata metadata = service.state().metadata().index(index);
        if (metadata == null || metadata.mapping() == null) {
            return;
        }
        if (parsed.size() > 10_000) {
            parsed.clear();
        }
        String key = metadata.getIndexUUID() + '/' + metadata.getMappingVersion() + '/' + vectorField;
        Optional<Map<String, Object>> cached = parsed.computeIfAbsent(
            key,
            k -> Optional.ofNullable(fieldMapping(metadata.mapping(), vectorField))
        );
        if (cached.isEmpty()) {
            return;
        }
        Map<String, Object> embedding = cached.get();
        Object type = embedding.get("type");
        if ("knn_vector".equals(type) == false) {
            throw new IllegalArgumentException(
                "index [" + index + "] maps [" + vectorField + "] as [" + type + "], not knn_vector; create the index with "
                    + "PUT _plugins/_face/index/" + index + " or map it as described in the README"
            );
        }
        Object mapped = embedding.get("dimension");
        if (mapped instanceof Number number && number.intValue() != dimension) {
            throw new IllegalArgumentException(
                "index ["
                    + index
                    + "] maps ["
                    + vectorField
                    + "] with dimension "
                    + number.intValue()
                    + " but model ["
                    + model
                    + "] produces "
                    + dimension
                    + "-dimensional vectors"
            );
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fieldMapping(MappingMetadata mapping, String vectorField) {
        Object node = mapping.sourceAsMap();
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
