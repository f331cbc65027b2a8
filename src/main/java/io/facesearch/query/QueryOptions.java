package io.facesearch.query;

import io.facesearch.common.FieldReader;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import org.opensearch.core.common.ParsingException;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;

/** Walks the options object of one of the plugin's queries; its errors carry the query's name and the parser's location. */
final class QueryOptions {
    private QueryOptions() {}

    /** The name of the next option, the parser moved on to its value; null at the end of the object. */
    static String next(XContentParser parser, String query, String knownFields) throws IOException {
        try {
            XContentParser.Token token = parser.nextToken();
            if (token == XContentParser.Token.END_OBJECT) {
                return null;
            }
            if (token != XContentParser.Token.FIELD_NAME) {
                throw error(parser, query, "expects an object of options " + knownFields, null);
            }
            String option = parser.currentName();
            parser.nextToken();
            return option;
        } catch (StreamConstraintsException e) {
            throw FieldReader.limitCrossed(parser, e);
        }
    }

    /**
     * An option refused while it was read: a type or range error, named as an error of the query, or a limit of the
     * JSON parser crossed inside it, which is the client's error too rather than a failure of the node.
     */
    static RuntimeException refused(XContentParser parser, String query, Exception e) throws IOException {
        if (e instanceof StreamConstraintsException limit) {
            return FieldReader.limitCrossed(parser, limit);
        }
        return error(parser, query, e.getMessage(), e);
    }

    static ParsingException unknown(XContentParser parser, String query, String option, String knownFields) {
        return error(parser, query, "unknown field [" + option + "]; known fields: " + knownFields, null);
    }

    /** {@code [query] message}, at the parser's location. */
    private static ParsingException error(XContentParser parser, String query, String message, Exception cause) {
        return new ParsingException(parser.getTokenLocation(), "[" + query + "] " + message, cause);
    }
}
