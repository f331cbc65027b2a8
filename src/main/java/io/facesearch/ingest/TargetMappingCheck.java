package io.facesearch.ingest;

import io.facesearch.index.mapper.VectorFieldMapping;

import org.opensearch.cluster.metadata.IndexMetadata;
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
    /** Vector field mapping per index UUID, mapping version and field: mappings change rarely. */
    private final Map<String, Optional<VectorFieldMapping>> parsed = new ConcurrentHashMap<>();

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
        Optional<VectorFieldMapping> cached = parsed.computeIfAbsent(key, k -> VectorFieldMapping.inMapping(metadata.mapping(), vectorField));
        if (cached.isEmpty()) {
            return;
        }
        VectorFieldMapping mapped = cached.get();
        if (mapped.isKnnVector() == false) {
            throw new IllegalArgumentException(
                "index [" + index + "] maps [" + vectorField + "] as [" + mapped.type() + "], not knn_vector; create the index with "
                    + "PUT _plugins/_face/index/" + index + " or map it as described in the README"
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
    }
}
