package io.facesearch.query;

import io.facesearch.common.EncodedPhoto;
import io.facesearch.common.FieldReader;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.stats.FaceStats;

import org.opensearch.core.common.ParsingException;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.QueryBuilder;

import java.io.IOException;
import java.util.function.Supplier;

/** Reads what the JSON forms of {@code face_match} and {@code clip_match} share. */
final class VectorMatchQueryParser {
    private VectorMatchQueryParser() {}

    /** Declares the options every vector query has; the query's own options follow. */
    static <B extends VectorMatchQueryBuilder.Builder<?, B>> void declareCommonOptions(QueryOptionsParser<B> options) {
        options.declare("vector", (B builder, float[] vector) -> builder.vector(vector), FieldReader::vector)
            .declare("image", (B builder, EncodedPhoto image) -> builder.image(image), FieldReader::encodedPhoto)
            .declare("field", (B builder, String field) -> builder.field(field), FieldReader::string)
            .declare(
                "k",
                (B builder, Integer k) -> builder.k(k),
                (parser, option) -> FieldReader.integer(parser, option, 1, VectorMatchQueryBuilder.MAX_K)
            )
            .declare(
                "ef_search",
                (B builder, Integer efSearch) -> builder.efSearch(efSearch),
                (parser, option) -> FieldReader.integer(parser, option, 1, VectorMatchQueryBuilder.MAX_EF_SEARCH)
            )
            .declare(KnnRescore.OPTION, (B builder, KnnRescore rescore) -> builder.rescore(rescore), KnnRescore::read)
            .declare(
                "min_similarity",
                (B builder, Float minSimilarity) -> builder.minSimilarity(minSimilarity),
                (parser, option) -> FieldReader.number(parser, option, -1, 1)
            )
            .declare("filter", (B builder, QueryBuilder filter) -> builder.filter(filter), FieldReader::query)
            .declare(
                "boost",
                (B builder, Float boost) -> builder.boost(boost),
                (parser, option) -> FieldReader.number(parser, option, 0, Float.POSITIVE_INFINITY)
            )
            .declare("_name", (B builder, String name) -> builder.queryName(name), FieldReader::string);
    }

    /**
     * Reads the options of a query into {@code builder} and builds it; every error is a 400 naming the option. A query
     * read is counted in the node's stats as a request of {@code source}: a search request is parsed once, on the
     * node that receives it, where the shards receive the query already read.
     */
    static <Q extends VectorMatchQueryBuilder<Q>, B extends VectorMatchQueryBuilder.Builder<Q, B>> Q parse(
        QueryOptionsParser<B> options,
        XContentParser parser,
        B builder,
        Supplier<FaceEngineService> engine,
        FaceStats.Source source
    ) throws IOException {
        FaceEngineService service = engine == null ? null : engine.get();
        if (service != null) {
            service.stats().request(source);
        }
        options.parse(parser, builder);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }
}
