package io.facesearch.query;

import io.facesearch.plugin.FaceEngineService;
import io.facesearch.vision.image.Base64Photo;

import org.opensearch.core.common.ParsingException;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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

        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token != XContentParser.Token.FIELD_NAME) {
                throw error(parser, "expects an object of options " + KNOWN_FIELDS);
            }
            String option = parser.currentName();
            parser.nextToken();
            switch (option) {
                case "text" -> text = string(parser, option);
                case "image" -> image = photo(parser, option);
                case "vector" -> vector = floats(parser, option);
                case "field" -> field = string(parser, option);
                case "k" -> k = integer(parser, option);
                case "min_similarity" -> minSimilarity = number(parser, option);
                case "filter" -> filter = query(parser, option);
                case "boost" -> boost = number(parser, option);
                case "_name" -> queryName = string(parser, option);
                default -> throw error(parser, "unknown field [" + option + "]; known fields: " + KNOWN_FIELDS);
            }
        }
        try {
            return new ClipMatchQueryBuilder(engine, field, text, image, vector, k, minSimilarity, filter, null).boost(boost)
                .queryName(queryName);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }

    private static String string(XContentParser parser, String option) throws IOException {
        if (parser.currentToken() != XContentParser.Token.VALUE_STRING) {
            throw error(parser, "[" + option + "] must be a string, got " + describe(parser));
        }
        return parser.text();
    }

    private static byte[] photo(XContentParser parser, String option) throws IOException {
        try {
            return Base64Photo.decode(string(parser, option), ClipMatchQueryBuilder.NAME + "] [" + option);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }

    private static int integer(XContentParser parser, String option) throws IOException {
        if (parser.currentToken() != XContentParser.Token.VALUE_NUMBER) {
            throw error(parser, "[" + option + "] must be an integer, got " + describe(parser));
        }
        try {
            return parser.intValue(false);
        } catch (IllegalArgumentException e) {
            throw error(parser, "[" + option + "] must be an integer, got [" + parser.text() + "]");
        }
    }

    private static float number(XContentParser parser, String option) throws IOException {
        if (parser.currentToken() != XContentParser.Token.VALUE_NUMBER) {
            throw error(parser, "[" + option + "] must be a number, got " + describe(parser));
        }
        return parser.floatValue();
    }

    private static float[] floats(XContentParser parser, String option) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            throw error(parser, "[" + option + "] must be an array of numbers, got " + describe(parser));
        }
        List<Float> values = new ArrayList<>();
        while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
            values.add(number(parser, option + "][" + values.size()));
        }
        float[] result = new float[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = values.get(i);
        }
        return result;
    }

    private static QueryBuilder query(XContentParser parser, String option) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw error(parser, "[" + option + "] must be a query object, got " + describe(parser));
        }
        return AbstractQueryBuilder.parseInnerQueryBuilder(parser);
    }

    /** The value at the parser, as the user wrote it where that is short, otherwise its kind. */
    private static String describe(XContentParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> "the string [" + parser.text() + "]";
            case VALUE_NUMBER -> "the number [" + parser.text() + "]";
            case VALUE_BOOLEAN -> "[" + parser.text() + "]";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> String.valueOf(parser.currentToken());
        };
    }

    private static ParsingException error(XContentParser parser, String message) {
        return new ParsingException(parser.getTokenLocation(), "[" + ClipMatchQueryBuilder.NAME + "] " + message);
    }
}
