package io.facesearch.index;

import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The vector fields that reads of an index leave out of {@code _source} unless asked: every knn_vector field of an
 * index with {@link PhotoIndexSettings#EXCLUDE_SOURCE_VECTORS} on, read from its mapping in the cluster state.
 */
final class HiddenVectorFields {
    /** The knn_vector fields per index UUID and mapping version: mappings change rarely. */
    private final Map<String, Set<String>> byMapping = new ConcurrentHashMap<>();

    /** The hidden vector fields of all {@code indices}, full dotted paths; empty when none hides its vectors. */
    Set<String> of(ClusterState state, String[] indices) {
        Set<String> fields = new TreeSet<>();
        for (String name : indices) {
            IndexMetadata index = state.metadata().index(name);
            if (index != null && PhotoIndexSettings.EXCLUDE_SOURCE_VECTORS.get(index.getSettings())) {
                fields.addAll(vectorFields(index));
            }
        }
        return fields;
    }

    private Set<String> vectorFields(IndexMetadata index) {
        if (index.mapping() == null) {
            return Set.of();
        }
        if (byMapping.size() > 10_000) {
            byMapping.clear();
        }
        return byMapping.computeIfAbsent(index.getIndexUUID() + '/' + index.getMappingVersion(), key -> {
            Set<String> fields = new TreeSet<>();
            collect(index.mapping().sourceAsMap(), "", fields);
            return Set.copyOf(fields);
        });
    }

    /** Adds the knn_vector fields under {@code node} (a mapping object with {@code properties}), named from {@code prefix}. */
    static void collect(Map<?, ?> node, String prefix, Set<String> into) {
        if ((node.get("properties") instanceof Map<?, ?>) == false) {
            return;
        }
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) node.get("properties")).entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> field) {
                String path = prefix + entry.getKey();
                if ("knn_vector".equals(field.get("type"))) {
                    into.add(path);
                }
                collect(field, path + '.', into);
            }
        }
    }
}
