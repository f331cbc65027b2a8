package io.facesearch.common;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import org.opensearch.OpenSearchStatusException;
import org.opensearch.common.CheckedFunction;
import org.opensearch.common.xcontent.XContentConstraints;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentLocation;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads the value at the parser's current token as the type a field must have, with the rules of
 * {@link FieldValues}: the REST bodies and the query parsers share it, so a field means the same everywhere. Type
 * and range errors are {@link IllegalArgumentException}s naming the field (400); a string above the parser's length
 * limit is a 413 naming the field and the limit, and the parser's other limits a 400 naming the field.
 */
public final class FieldReader {
    private FieldReader() {}

    /**
     * Reads a request body, which must be a JSON object, with {@code read}. A limit of the JSON parser crossed
     * anywhere in it is the client's error, not a failure of the node.
     */
    public static <T> T body(XContentParser parser, CheckedFunction<XContentParser, T, IOException> read) throws IOException {
        try {
            if (parser.nextToken() != XContentParser.Token.START_OBJECT) {
                throw new IllegalArgumentException("request body must be a JSON object");
            }
            return read.apply(parser);
        } catch (StreamConstraintsException e) {
            throw limitCrossed(parser, e);
        }
    }

    /** Checks that the value opens an object, whose fields the caller then reads. */
    public static void startObject(XContentParser parser, String field) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw FieldValues.invalid(field, "must be an object, got " + describe(parser, field));
        }
    }

    /** A query, such as a filter, in the query DSL. */
    public static QueryBuilder query(XContentParser parser, String field) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw FieldValues.invalid(field, "must be a query object, got " + describe(parser, field));
        }
        try {
            return AbstractQueryBuilder.parseInnerQueryBuilder(parser);
        } catch (StackOverflowError e) {
            // OpenSearch parses queries recursively on the network thread: a query nested a few hundred deep, still
            // under the parser's depth limit, would exhaust its stack and take the node down with the error
            throw FieldValues.invalid(field, "is nested too deeply to be parsed");
        }
    }

    /** A non-empty string. */
    public static String string(XContentParser parser, String field) throws IOException {
        return FieldValues.string(value(parser, field), field);
    }

    public static boolean bool(XContentParser parser, String field) throws IOException {
        return FieldValues.bool(value(parser, field), field);
    }

    /** A whole number within [min, max]. */
    public static int integer(XContentParser parser, String field, int min, int max) throws IOException {
        return FieldValues.integer(value(parser, field), field, min, max);
    }

    /** A finite number within [min, max] (infinite bounds: none). */
    public static float number(XContentParser parser, String field, float min, float max) throws IOException {
        return FieldValues.number(value(parser, field), field, min, max);
    }

    /** A non-empty array of finite numbers; an element's error names it as {@code [field][i]}. */
    public static float[] vector(XContentParser parser, String field) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            throw FieldValues.invalid(field, "must be an array of numbers, got " + describe(parser, field));
        }
        float[] vector = new float[16];
        int length = 0;
        while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
            if (length == vector.length) {
                vector = Arrays.copyOf(vector, 2 * length);
            }
            String element = field + "][" + length;
            vector[length++] = number(parser, element, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        }
        if (length == 0) {
            throw FieldValues.invalid(field, "must not be empty");
        }
        return Arrays.copyOf(vector, length);
    }

    /** A photo given as base64, kept encoded: a worker thread decodes it, not the thread that reads the request. */
    public static EncodedPhoto encodedPhoto(XContentParser parser, String field) throws IOException {
        if (parser.currentToken() != XContentParser.Token.VALUE_STRING) {
            throw FieldValues.invalid(field, "must be a base64 string holding the photo, got " + describe(parser, field));
        }
        return new EncodedPhoto(field, text(parser, field));
    }

    /** The value at the parser as it reads in JSON, for an error about it. */
    public static String describe(XContentParser parser, String field) throws IOException {
        return FieldValues.describe(value(parser, field));
    }

    /**
     * The current value as a Java object. Of an object or an array only the shape matters: a field that takes one
     * reads it itself, and for any other field it is an error.
     */
    private static Object value(XContentParser parser, String field) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> text(parser, field);
            case VALUE_NUMBER -> parser.numberValue();
            case VALUE_BOOLEAN -> parser.booleanValue();
            case VALUE_NULL -> null;
            case START_OBJECT -> Map.of();
            case START_ARRAY -> List.of();
            case VALUE_EMBEDDED_OBJECT -> parser.binaryValue();
            default -> throw FieldValues.invalid(field, "has no value");
        };
    }

    private static String text(XContentParser parser, String field) throws IOException {
        try {
            return parser.text();
        } catch (StreamConstraintsException e) {
            throw tooLong("[" + field + "]");
        }
    }

    /**
     * A limit of the JSON parser crossed where the parser stands: 413 for a string longer than it reads, 400 for
     * the others (nesting depth, length of a number or a name), each naming the field, or inside an array, where
     * there is no field name, the position.
     */
    public static OpenSearchStatusException limitCrossed(XContentParser parser, StreamConstraintsException e) throws IOException {
        XContentLocation location = parser.getTokenLocation();
        String where = parser.currentName() != null
            ? "[" + parser.currentName() + "]"
            : "the value at line " + location.lineNumber + ", column " + location.columnNumber;
        // the exception is the same for every limit; only its message says which
        if (e.getOriginalMessage().startsWith("String value length")) {
            return tooLong(where);
        }
        return new OpenSearchStatusException("{} crosses a limit of the JSON parser: {}", RestStatus.BAD_REQUEST, where, e.getOriginalMessage());
    }

    /** The parser's own message names its internals, not the request, so it is left out. */
    private static OpenSearchStatusException tooLong(String where) {
        return new OpenSearchStatusException(
            "{} is longer than {} characters, the most a JSON string may hold (system property {})",
            RestStatus.REQUEST_ENTITY_TOO_LARGE,
            where,
            XContentConstraints.DEFAULT_MAX_STRING_LEN,
            XContentConstraints.DEFAULT_MAX_STRING_LEN_PROPERTY
        );
    }
}
