package io.facesearch.query;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;
import io.facesearch.plugin.FaceEngineService;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import org.opensearch.core.common.ParsingException;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;

import java.io.IOException;
import java.util.function.Supplier;

/** Reads a {@code face_match} query from its JSON form; every error names the option at fault. */
public final class FaceMatchQueryParser {
    static final String KNOWN_FIELDS = "[field, vector, image, face, k, min_similarity, filter, inner_hits, boost, _name]";

    private FaceMatchQueryParser() {}

    public static FaceMatchQueryBuilder parse(XContentParser parser, Supplier<FaceEngineService> engine) throws IOException {
        String field = FaceMatchQueryBuilder.DEFAULT_FIELD;
        float[] vector = null;
        byte[] image = null;
        FaceReference reference = null;
        int k = FaceMatchQueryBuilder.DEFAULT_K;
        Float minSimilarity = null;
        QueryBuilder filter = null;
        InnerHits innerHits = InnerHits.DEFAULT;
        float boost = AbstractQueryBuilder.DEFAULT_BOOST;
        String queryName = null;

        String option;
        while ((option = QueryOptions.next(parser, FaceMatchQueryBuilder.NAME, KNOWN_FIELDS)) != null) {
            try {
                switch (option) {
                    case "field" -> field = FieldReader.string(parser, option);
                    case "vector" -> vector = FieldReader.vector(parser, option);
                    case "image" -> image = FieldReader.photo(parser, option);
                    case "face" -> reference = readReference(parser);
                    case "k" -> k = FieldReader.integer(parser, option, 1, FaceMatchQueryBuilder.MAX_K);
                    case "min_similarity" -> minSimilarity = FieldReader.number(parser, option, -1, 1);
                    case "filter" -> filter = FieldReader.query(parser, option);
                    case "inner_hits" -> innerHits = readInnerHits(parser);
                    case "boost" -> boost = FieldReader.number(parser, option, 0, Float.POSITIVE_INFINITY);
                    case "_name" -> queryName = FieldReader.string(parser, option);
                    default -> throw QueryOptions.unknown(parser, FaceMatchQueryBuilder.NAME, option, KNOWN_FIELDS);
                }
            } catch (IllegalArgumentException | StreamConstraintsException e) {
                throw QueryOptions.refused(parser, FaceMatchQueryBuilder.NAME, e);
            }
        }
        try {
            FaceMatchQueryBuilder query = new FaceMatchQueryBuilder(
                engine,
                field,
                vector,
                image,
                reference,
                k,
                minSimilarity,
                filter,
                innerHits.name(),
                innerHits.size(),
                null
            );
            return query.boost(boost).queryName(queryName);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }

    /** The matching faces returned with each photo, under {@code name}; none when the name is null. */
    private record InnerHits(String name, int size) {
        static final InnerHits DEFAULT = new InnerHits(FaceMatchQueryBuilder.NAME, FaceMatchQueryBuilder.DEFAULT_INNER_HITS_SIZE);
    }

    /** {@code false} (none), {@code true} (the default) or {@code {"name": ..., "size": ...}}. */
    private static InnerHits readInnerHits(XContentParser parser) throws IOException {
        if (parser.currentToken() == XContentParser.Token.VALUE_BOOLEAN) {
            return parser.booleanValue() ? InnerHits.DEFAULT : new InnerHits(null, InnerHits.DEFAULT.size());
        }
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw FieldValues.invalid("inner_hits", "must be an object or a boolean, got " + FieldReader.describe(parser, "inner_hits"));
        }
        String name = InnerHits.DEFAULT.name();
        int size = InnerHits.DEFAULT.size();
        while (parser.nextToken() != XContentParser.Token.END_OBJECT) {
            String key = parser.currentName();
            parser.nextToken();
            switch (key) {
                case "name" -> name = FieldReader.string(parser, "inner_hits.name");
                case "size" -> size = FieldReader.integer(parser, "inner_hits.size", 0, Integer.MAX_VALUE);
                default -> throw QueryOptions.unknown(parser, FaceMatchQueryBuilder.NAME, "inner_hits." + key, "[name, size]");
            }
        }
        return new InnerHits(name, size);
    }

    /** {@code {"index": ..., "id": ..., "face": 0}}: a face already indexed. */
    private static FaceReference readReference(XContentParser parser) throws IOException {
        FieldReader.startObject(parser, "face");
        String index = null;
        String id = null;
        int face = 0;
        while (parser.nextToken() != XContentParser.Token.END_OBJECT) {
            String key = parser.currentName();
            parser.nextToken();
            switch (key) {
                case "index" -> index = FieldReader.string(parser, "face.index");
                case "id" -> id = FieldReader.string(parser, "face.id");
                case "face" -> face = FieldReader.integer(parser, "face.face", 0, Integer.MAX_VALUE);
                default -> throw QueryOptions.unknown(parser, FaceMatchQueryBuilder.NAME, "face." + key, "[index, id, face]");
            }
        }
        return new FaceReference(index, id, face);
    }
}
