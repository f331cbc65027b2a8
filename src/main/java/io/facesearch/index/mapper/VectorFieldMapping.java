package io.facesearch.index.mapper;

import io.facesearch.ingest.VectorCompression;

import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.knn.common.KNNConstants;
import org.opensearch.knn.index.SpaceType;
import org.opensearch.knn.index.engine.KNNMethodContext;
import org.opensearch.knn.index.mapper.KNNVectorFieldMapper;
import org.opensearch.knn.index.mapper.KNNVectorFieldType;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How an index maps a field meant to hold vectors: its type and, for a k-NN vector, its dimension. The one reading
 * of a vector field's dimension in the plugin: the queries read it on each shard from the k-NN plugin's field type;
 * ingest, which runs on nodes that may hold no shard of the target index, reads the same parameter from the mapping
 * that documents written to the index meet, in the cluster state.
 *
 * @param type      the mapped type, {@value #KNN_VECTOR} for a k-NN vector
 * @param dimension the vector dimension; empty for a field of another type, and, in the cluster state's mapping, for a
 *                  k-NN vector that takes its dimension from a trained model
 */
public record VectorFieldMapping(String type, OptionalInt dimension) {
    public static final String KNN_VECTOR = KNNVectorFieldMapper.CONTENT_TYPE;

    /** The field as the shard's mapping has it; empty when the shard's index does not map it. */
    public static Optional<VectorFieldMapping> inShard(QueryShardContext shard, String field) {
        MappedFieldType type = shard.fieldMapper(field);
        if (type == null) {
            return Optional.empty();
        }
        OptionalInt dimension = type instanceof KNNVectorFieldType knn
            ? OptionalInt.of(knn.getKnnMappingConfig().getDimension())
            : OptionalInt.empty();
        return Optional.of(new VectorFieldMapping(type.typeName(), dimension));
    }

    /**
     * How the k-NN plugin compresses the vectors of {@code field} in the shard's graph; {@link VectorCompression#NONE}
     * for floats, and for a field that is no k-NN vector (refused by the query anyway).
     */
    public static VectorCompression compressionInShard(QueryShardContext shard, String field) {
        return shard.fieldMapper(field) instanceof KNNVectorFieldType knn
            ? VectorCompression.of(knn.getVectorDataType(), knn.getKnnMappingConfig().getCompressionLevel())
            : VectorCompression.NONE;
    }

    /**
     * The k-NN plugin's space the shard compares the vectors of {@code field} in; null for a field that is no k-NN
     * vector, or whose vectors come from a trained model rather than a method.
     */
    public static SpaceType spaceInShard(QueryShardContext shard, String field) {
        return shard.fieldMapper(field) instanceof KNNVectorFieldType knn
            ? knn.getKnnMappingConfig().getKnnMethodContext().map(KNNMethodContext::getSpaceType).orElse(null)
            : null;
    }

    /** The field as its definition in a mapping ({@code {"type": "knn_vector", "dimension": 128, ...}}) has it. */
    public static VectorFieldMapping ofDefinition(Map<?, ?> definition) {
        // an object mapping names no type
        String type = definition.get("type") instanceof String name ? name : "object";
        OptionalInt dimension = KNN_VECTOR.equals(type) && definition.get(KNNConstants.DIMENSION) instanceof Number number
            ? OptionalInt.of(number.intValue())
            : OptionalInt.empty();
        return new VectorFieldMapping(type, dimension);
    }

    public boolean isKnnVector() {
        return KNN_VECTOR.equals(type);
    }

    /** Whether vectors of {@code vectorDimension} fit the field: its dimension, or any when the mapping does not say. */
    public boolean fits(int vectorDimension) {
        return dimension.isEmpty() || dimension.getAsInt() == vectorDimension;
    }
}
