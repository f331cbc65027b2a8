package io.facesearch.query;

import io.facesearch.index.mapper.VectorFieldMapping;
import io.facesearch.ingest.VectorCompression;

import org.opensearch.index.query.QueryShardContext;
import org.opensearch.knn.index.SpaceType;

import java.util.OptionalInt;

/**
 * The score of a face found by a kNN search of a shard, as every face search of this plugin gives it:
 * {@code (1 + cosine) / 2}. The k-NN plugin scores a cosine space so already. In an inner-product space it scores
 * {@code 1 + dot} (or {@code 1 / (1 - dot)} below 0), and the vectors of a photo index compared there all have one
 * length: unit length for floats, {@link VectorCompression#int8SquaredLength} for 8-bit integers, so that the inner
 * product over the square of that length is the cosine.
 */
final class CosineScore {
    /** Scores of a space that gives them as they are meant: cosine, or one no photo index is made with. */
    static final CosineScore AS_GIVEN = new CosineScore(0);

    /** The square of the length every vector of the field has; 0 where scores are kept as they are. */
    private final double squaredLength;

    private CosineScore(double squaredLength) {
        this.squaredLength = squaredLength;
    }

    /** The scores of the k-NN plugin's search of {@code field} on the shard. */
    static CosineScore of(QueryShardContext shard, String field) {
        if (VectorFieldMapping.spaceInShard(shard, field) != SpaceType.INNER_PRODUCT) {
            return AS_GIVEN;
        }
        if (VectorFieldMapping.compressionInShard(shard, field) != VectorCompression.INT8) {
            return ofInnerProduct(1);
        }
        OptionalInt dimension = VectorFieldMapping.inShard(shard, field).map(VectorFieldMapping::dimension).orElse(OptionalInt.empty());
        return dimension.isPresent() ? ofInnerProduct(VectorCompression.int8SquaredLength(dimension.getAsInt())) : AS_GIVEN;
    }

    /** An inner-product space whose vectors all have the squared length given. */
    static CosineScore ofInnerProduct(double squaredLength) {
        return new CosineScore(squaredLength);
    }

    /** {@code (1 + cosine) / 2} of a face the k-NN plugin scored {@code knnScore}. */
    float of(float knnScore) {
        if (squaredLength == 0) {
            return knnScore;
        }
        double dot = knnScore >= 1 ? knnScore - 1.0 : 1.0 - 1.0 / knnScore;
        double cosine = Math.max(-1, Math.min(1, dot / squaredLength));
        return (float) ((1 + cosine) / 2);
    }
}
