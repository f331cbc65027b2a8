package io.facesearch.rest;

import io.facesearch.vision.image.Base64Photo;

import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;

/** Reads typed request fields, failing with the field name and the reason (reported as 400). */
final class RequestFields {
    private RequestFields() {}

    /** A photo given as base64 (plain, MIME with line breaks, or a {@code data:image/...;base64,} URI). */
    static byte[] photo(XContentParser parser, String field) throws IOException {
        if (parser.currentToken() != XContentParser.Token.VALUE_STRING) {
            throw new IllegalArgumentException("[" + field + "] must be a base64 string holding the photo, got " + parser.currentToken());
        }
        return Base64Photo.decode(parser.text(), field);
    }

    static float floatValue(XContentParser parser, String field) throws IOException {
        if (parser.currentToken() != XContentParser.Token.VALUE_NUMBER) {
            throw new IllegalArgumentException("[" + field + "] must be a number, got " + parser.currentToken());
        }
        return parser.floatValue();
    }

    static int intValue(XContentParser parser, String field) throws IOException {
        if (parser.currentToken() != XContentParser.Token.VALUE_NUMBER) {
            throw new IllegalArgumentException("[" + field + "] must be an integer, got " + parser.currentToken());
        }
        double value = parser.doubleValue();
        if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("[" + field + "] must be an integer, got " + value);
        }
        return (int) value;
    }

    static boolean booleanValue(XContentParser parser, String field) throws IOException {
        if (parser.currentToken() != XContentParser.Token.VALUE_BOOLEAN) {
            throw new IllegalArgumentException("[" + field + "] must be true or false, got " + parser.currentToken());
        }
        return parser.booleanValue();
    }

    static void startObject(XContentParser parser) throws IOException {
        if (parser.nextToken() != XContentParser.Token.START_OBJECT) {
            throw new IllegalArgumentException("request body must be a JSON object");
        }
    }

    static IllegalArgumentException unknownField(String field, String known) {
        return new IllegalArgumentException("unknown field [" + field + "]; known fields: " + known);
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("[" + field + "] is required");
        }
        return value;
    }
}
