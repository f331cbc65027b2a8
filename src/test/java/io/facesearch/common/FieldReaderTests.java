package io.facesearch.common;

import org.opensearch.OpenSearchStatusException;
import org.opensearch.common.CheckedFunction;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentConstraints;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.common.xcontent.cbor.CborXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.MatchAllQueryBuilder;
import org.opensearch.search.SearchModule;
import org.junit.Test;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Map;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** Reading typed fields from JSON: each reader against a value of every other JSON type, with messages in JSON terms. */
public class FieldReaderTests {
    /** OpenSearch's own queries, for filters. */
    private static final NamedXContentRegistry QUERIES = new NamedXContentRegistry(new SearchModule(Settings.EMPTY, List.of()).getNamedXContents());

    @FunctionalInterface
    private interface Read<T> {
        T read(XContentParser parser, String field) throws IOException;
    }

    /** Reads the value of {@code json} (the value of field "f") with {@code read}. */
    private static <T> T read(XContent xContent, String json, Read<T> read) throws IOException {
        try (XContentParser parser = xContent.createParser(QUERIES, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, json)) {
            return read(parser, read);
        }
    }

    private static <T> T read(XContentParser parser, Read<T> read) throws IOException {
        assertEquals(XContentParser.Token.START_OBJECT, parser.nextToken());
        assertEquals(XContentParser.Token.FIELD_NAME, parser.nextToken());
        parser.nextToken();
        return read.read(parser, parser.currentName());
    }

    /** Reads field "f" of a CBOR body, which (like SMILE) can carry NaN and infinities as numbers, unlike JSON. */
    private static <T> T readCbor(double value, Read<T> read) throws IOException {
        XContentBuilder cbor = CborXContent.contentBuilder().startObject().field("f", value).endObject();
        try (
            XContentParser parser = CborXContent.cborXContent.createParser(
                NamedXContentRegistry.EMPTY,
                DeprecationHandler.THROW_UNSUPPORTED_OPERATION,
                BytesReference.bytes(cbor).streamInput()
            )
        ) {
            return read(parser, read);
        }
    }

    private static <T> T read(String value, Read<T> read) throws IOException {
        return read(JsonXContent.jsonXContent, "{\"f\": " + value + "}", read);
    }

    private static String refusal(String value, Read<?> read) {
        return assertThrows(IllegalArgumentException.class, () -> read(value, read)).getMessage();
    }

    /** Every JSON type but the one {@code read} takes is refused, named as in JSON; never a parser token or a Java class. */
    private static void assertRefusesOtherTypes(Read<?> read, String expected, String... accepted) {
        for (Map.Entry<String, String> other : JsonValues.except(accepted).entrySet()) {
            String message = refusal(other.getKey(), read);
            assertEquals("[f] must be " + expected + ", got " + other.getValue(), message);
            assertTrue(message, JsonValues.speaksJson(message));
        }
    }

    @Test
    public void string() throws IOException {
        assertEquals("photos", read("\"photos\"", FieldReader::string));
        assertRefusesOtherTypes(FieldReader::string, "a string", JsonValues.STRING);
        assertEquals("[f] must be a string, got 5", refusal("5", FieldReader::string));
        assertEquals("[f] must not be empty", refusal("\"\"", FieldReader::string));
    }

    @Test
    public void bool() throws IOException {
        assertTrue(read("true", FieldReader::bool));
        assertFalse(read("false", FieldReader::bool));
        assertRefusesOtherTypes(FieldReader::bool, "true or false", JsonValues.BOOLEAN);
        assertEquals("[f] must be true or false, got the string [true]", refusal("\"true\"", FieldReader::bool));
    }

    @Test
    public void integer() throws IOException {
        Read<Integer> k = (parser, field) -> FieldReader.integer(parser, field, 1, 10_000);
        assertEquals(10, (int) read("10", k));
        assertEquals(10, (int) read("10.0", k));
        assertEquals(2000, (int) read("2e3", k));
        assertRefusesOtherTypes(k, "an integer");
        assertEquals("[f] must be an integer, got the string [10]", refusal("\"10\"", k));
        assertEquals("[f] must be an integer, got 10.5", refusal("10.5", k));
        assertEquals("[f] must be between 1 and 10000, got 0", refusal("0", k));
        assertEquals("[f] must be between 1 and 10000, got 10001", refusal("10001", k));
        assertEquals("[f] must be between 1 and 10000, got 99999999999999999999", refusal("99999999999999999999", k));
        assertEquals("[f] must be an integer, got Infinity", refusal("1e400", k));
    }

    @Test
    public void number() throws IOException {
        Read<Float> similarity = (parser, field) -> FieldReader.number(parser, field, -1, 1);
        assertEquals(0.5f, read("0.5", similarity), 0);
        assertEquals(-1f, read("-1", similarity), 0);
        assertRefusesOtherTypes(similarity, "a number", JsonValues.FRACTION);
        assertEquals("[f] must be a number, got the string [NaN]", refusal("\"NaN\"", similarity));
        assertEquals("[f] must be a number, got the string [0.5]", refusal("\"0.5\"", similarity));
        assertEquals("[f] must be a number, got the string [Infinity]", refusal("\"Infinity\"", similarity));
        assertEquals("[f] must be between -1 and 1, got 10.5", refusal("10.5", similarity));
        assertEquals("[f] must be a finite number, got Infinity", refusal("1e400", similarity));
        assertEquals("[f] must be a finite number, got -Infinity", refusal("-1e400", similarity));
    }

    @Test
    public void notANumberAsANumber() throws IOException {
        Read<Float> similarity = (parser, field) -> FieldReader.number(parser, field, -1, 1);
        assertEquals(0.5f, readCbor(0.5, similarity), 0);
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> readCbor(Double.NaN, similarity));
        assertEquals("[f] must be a finite number, got NaN", nan.getMessage());
        Read<Float> any = (parser, field) -> FieldReader.number(parser, field, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class, () -> readCbor(Double.POSITIVE_INFINITY, any));
        assertEquals("[f] must be a finite number, got Infinity", inf.getMessage());
        Read<Integer> k = (parser, field) -> FieldReader.integer(parser, field, 1, 10_000);
        IllegalArgumentException nanK = assertThrows(IllegalArgumentException.class, () -> readCbor(Double.NaN, k));
        assertEquals("[f] must be an integer, got NaN", nanK.getMessage());
    }

    @Test
    public void vector() throws IOException {
        assertArrayEquals(new float[] { 0.5f, -1f, 0.002f, 0f }, read("[0.5, -1, 2e-3, 0]", FieldReader::vector), 0);
        float[] hundred = read("[" + "0.25,".repeat(99) + "1]", FieldReader::vector);
        assertEquals(100, hundred.length);
        assertEquals(1f, hundred[99], 0);
        assertRefusesOtherTypes(FieldReader::vector, "an array of numbers", JsonValues.ARRAY);
        assertEquals("[f] must not be empty", refusal("[]", FieldReader::vector));
        assertEquals("[f][1] must be a number, got the string [x]", refusal("[1, \"x\", 0]", FieldReader::vector));
        assertEquals("[f][1] must be a number, got an array", refusal("[1, [0]]", FieldReader::vector));
        assertEquals("[f][0] must be a number, got null", refusal("[null]", FieldReader::vector));
        assertEquals("[f][2] must be a finite number, got Infinity", refusal("[1, 2, 1e400]", FieldReader::vector));
        assertEquals("[f][0] must be a finite number, got 1.0E39", refusal("[1e39]", FieldReader::vector));
    }

    @Test
    public void photo() throws IOException {
        byte[] bytes = { (byte) 0x89, 'P', 'N', 'G', 1, 2, 3 };
        String base64 = Base64.getEncoder().encodeToString(bytes);
        assertArrayEquals(bytes, read("\"" + base64 + "\"", FieldReader::encodedPhoto).decode());
        assertArrayEquals(bytes, read("\"data:image/png;base64," + base64 + "\"", FieldReader::encodedPhoto).decode());
        assertRefusesOtherTypes(FieldReader::encodedPhoto, "a base64 string holding the photo", JsonValues.STRING);
        // kept as sent while the request is read; its decoder names the field
        EncodedPhoto broken = read("\"AAAA*AAA\"", FieldReader::encodedPhoto);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, broken::decode);
        assertEquals("[f] is not valid base64: illegal character '*' at position 4", e.getMessage());
    }

    @Test
    public void startObject() throws IOException {
        read("{}", (parser, field) -> {
            FieldReader.startObject(parser, field);
            return null;
        });
        assertRefusesOtherTypes((parser, field) -> {
            FieldReader.startObject(parser, field);
            return null;
        }, "an object", JsonValues.OBJECT);
    }

    @Test
    public void query() throws IOException {
        assertEquals(new MatchAllQueryBuilder(), read("{\"match_all\": {}}", FieldReader::query));
        assertRefusesOtherTypes(FieldReader::query, "a query object", JsonValues.OBJECT);
    }

    private static <T> T body(String json, CheckedFunction<XContentParser, T, IOException> read) throws IOException {
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(QUERIES, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, json)) {
            return FieldReader.body(parser, read);
        }
    }

    @Test
    public void bodyMustBeAnObject() throws IOException {
        for (String json : new String[] { "[1, 2]", "\"text\"", "12", "null" }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> body(json, XContentParser::map));
            assertEquals("request body must be a JSON object", e.getMessage());
        }
        assertEquals(Map.of("a", 1), body("{\"a\": 1}", XContentParser::map));
    }

    @Test
    public void theParsersOtherLimitsAreBadRequestsNamingTheField() {
        OpenSearchStatusException number = assertThrows(
            OpenSearchStatusException.class,
            () -> body("{\"k\": " + "1".repeat(1500) + "}", XContentParser::map)
        );
        assertEquals(RestStatus.BAD_REQUEST, number.status());
        assertTrue(number.getMessage(), number.getMessage().startsWith("[k] crosses a limit of the JSON parser: Number value length (1500)"));
        OpenSearchStatusException depth = assertThrows(
            OpenSearchStatusException.class,
            () -> body("{\"filter\": " + "[".repeat(1200) + "]".repeat(1200) + "}", XContentParser::map)
        );
        assertEquals(RestStatus.BAD_REQUEST, depth.status());
        assertTrue(
            depth.getMessage(),
            depth.getMessage().startsWith("the value at line 1, column 1011 crosses a limit of the JSON parser: Document nesting depth (1001)")
        );
    }

    @Test
    public void aStringAboveTheParserLimitIsTooLargeNamingTheField() {
        int limit = XContentConstraints.DEFAULT_MAX_STRING_LEN;
        String json = "{\"image\": \"" + "A".repeat(limit + 4) + "\"}";
        String expected = "[image] is longer than " + limit + " characters, the most a JSON string may hold (system property "
            + XContentConstraints.DEFAULT_MAX_STRING_LEN_PROPERTY + ")";
        OpenSearchStatusException e = assertThrows(OpenSearchStatusException.class, () -> read(JsonXContent.jsonXContent, json, FieldReader::encodedPhoto));
        assertEquals(RestStatus.REQUEST_ENTITY_TOO_LARGE, e.status());
        assertEquals(expected, e.getMessage());
        // read as a whole, as the body of PUT _plugins/_face/index is
        OpenSearchStatusException map = assertThrows(OpenSearchStatusException.class, () -> body(json, XContentParser::map));
        assertEquals(RestStatus.REQUEST_ENTITY_TOO_LARGE, map.status());
        assertEquals(expected, map.getMessage());
    }
}
