package io.facesearch.query;

import io.facesearch.common.FieldReader;
import io.facesearch.plugin.FaceEngineService;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import org.opensearch.core.common.ParsingException;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;

import java.io.IOException;
import java.util.function.Supplier;

/** Reads a {@code clip_match} query from its JSON form; every error names the option at fault. */
public final class ClipMatchQueryParser {
    static final String KNOWN_FIELDS = "[text, image, vector, field, k, min_similarity, filter, boost, _name]";

    private ClipMatchQueryParser() {}

    public static ClipMatchQueryBuilder parse(XContentParser parser, Supplier<FaceEngineService> engine) throws IOException {
        String field = ClipMatchQueryBuilder.DEFAULT_FIELD;
        String text = null;
        byte[] image = null;
        float[] vector = null;
        int k = ClipMatchQueryBuilder.DEFAULT_K;
        Float minSimilarity = null;
        QueryBuilder filter = null;
        float boost = AbstractQueryBuilder.DEFAULT_BOOST;
        String queryName = null;

        String option;
        while ((option = QueryOptions.next(parser, ClipMatchQueryBuilder.NAME, KNOWN_FIELDS)) != null) {
            try {
                switch (option) {
                    case "text" -> text = FieldReader.string(parser, option);
                    case "image" -> image = FieldReader.photo(parser, option);
                    case "vector" -> vector = FieldReader.vector(parser, option);
                    case "field" -> field = FieldReader.string(parser, option);
                    case "k" -> k = FieldReader.integer(parser, option, 1, ClipMatchQueryBuilder.MAX_K);
                    case "min_similarity" -> minSimilarity = FieldReader.number(parser, option, -1, 1);
                    case "filter" -> filter = FieldReader.query(parser, option);
                    case "boost" -> boost = FieldReader.number(parser, option, 0, Float.POSITIVE_INFINITY);
                    case "_name" -> queryName = FieldReader.string(parser, option);
                    default -> throw QueryOptions.unknown(parser, ClipMatchQueryBuilder.NAME, option, KNOWN_FIELDS);
                }
            } catch (IllegalArgumentException | StreamConstraintsException e) {
                throw QueryOptions.refused(parser, ClipMatchQueryBuilder.NAME, e);
            }
        }
        try {
            return new ClipMatchQueryBuilder(engine, field, text, image, vector, k, minSimilarity, filter, null).boost(boost)
                .queryName(queryName);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }
}
