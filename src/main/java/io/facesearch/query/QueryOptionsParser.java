package io.facesearch.query;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import org.opensearch.core.ParseField;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.xcontent.ObjectParser;
import org.opensearch.core.xcontent.XContentParseException;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The options object of one of the plugin's queries, or of an object inside one, read by an {@link ObjectParser}
 * into a builder {@code V}. Each option's value is read by the shared typed-field rules ({@link FieldReader}), so
 * that every error is a 400 naming the query and the option, with its path inside the query ({@code [face.index]}),
 * rather than the object parser's own wording; an unknown option's error lists the known ones.
 *
 * @param <V> what the options are read into
 */
final class QueryOptionsParser<V> {
    /** Reads the value at the parser as option {@code option} (its path inside the query). */
    @FunctionalInterface
    interface OptionReader<T> {
        T read(XContentParser parser, String option) throws IOException;
    }

    private final String query;
    private final String prefix;
    private final List<String> known = new ArrayList<>();
    private final ObjectParser<V, Void> parser;

    /**
     * @param query  the query's name, which starts its errors
     * @param object the path inside the query of the object read, null for the query's own options
     */
    QueryOptionsParser(String query, String object) {
        this.query = query;
        this.prefix = object == null ? "" : object + ".";
        // the value is read into a builder the caller gives, never made here
        this.parser = new ObjectParser<>(query, (value, option, ignored) -> {
            throw FieldValues.unknownField(prefix + option, knownOptions());
        }, null);
    }

    <T> QueryOptionsParser<V> declare(String option, BiConsumer<V, T> setter, OptionReader<T> reader) {
        known.add(option);
        parser.declareField(
            setter,
            (xContent, context) -> reader.read(xContent, prefix + option),
            new ParseField(option),
            // every kind of value reaches the reader, which refuses a wrong one in its own words
            ObjectParser.ValueType.VALUE_OBJECT_ARRAY
        );
        return this;
    }

    /** The options declared, as an unknown one's error lists them: {@code [a, b, c]}. */
    String knownOptions() {
        return known.toString();
    }

    /** Reads an object inside a query into {@code value}: its errors are reported by the query's {@link #parse}. */
    V parseObject(XContentParser xContent, V value) throws IOException {
        return parser.parse(xContent, value, null);
    }

    /** Reads a query's options into {@code value}; an option refused is a {@link ParsingException} naming it. */
    V parse(XContentParser xContent, V value) throws IOException {
        try {
            return parser.parse(xContent, value, null);
        } catch (StreamConstraintsException e) {
            throw FieldReader.limitCrossed(xContent, e);
        } catch (IllegalArgumentException e) {
            throw refused(xContent, e);
        }
    }

    /**
     * The error of an option refused while it was read, which the object parser wraps once per object around it: a
     * type or range error, named as an error of the query; a limit of the JSON parser crossed inside it, the
     * client's error too; any other error (a filter's own) as it is.
     */
    private RuntimeException refused(XContentParser xContent, IllegalArgumentException e) throws IOException {
        Throwable cause = e;
        while (cause instanceof XContentParseException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof StreamConstraintsException limit) {
            return FieldReader.limitCrossed(xContent, limit);
        }
        if (cause instanceof IllegalArgumentException refused) {
            return new ParsingException(xContent.getTokenLocation(), "[" + query + "] " + refused.getMessage(), refused);
        }
        return cause instanceof RuntimeException other ? other : e;
    }
}
