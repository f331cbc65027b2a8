package io.facesearch.query;

import io.facesearch.common.EncodedPhoto;
import io.facesearch.common.JsonValues;

import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.Strings;
import org.opensearch.core.common.io.stream.NamedWriteableAwareStreamInput;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.TermQueryBuilder;
import org.junit.Test;

import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** The clip_match DSL: defaults, every option, round trips through JSON and the wire, and errors that name the option. */
public class ClipMatchQueryParserTests {
    private static final byte[] PHOTO = { (byte) 0x89, 'P', 'N', 'G', 1, 2, 3 };

    private static ClipMatchQueryBuilder clipMatch(String options) throws IOException {
        return (ClipMatchQueryBuilder) QueryDsl.parse("{\"clip_match\":" + options + "}");
    }

    private static String parseError(String options) {
        return assertThrows(ParsingException.class, () -> clipMatch(options)).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue("[" + message + "] should mention [" + part + "]", message.contains(part));
        }
    }

    private static QueryBuilder viaJson(QueryBuilder query) throws IOException {
        return QueryDsl.parse(Strings.toString(MediaTypeRegistry.JSON, query));
    }

    private static QueryBuilder viaWire(QueryBuilder query) throws IOException {
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            out.writeNamedWriteable(query);
            try (StreamInput in = new NamedWriteableAwareStreamInput(out.bytes().streamInput(), QueryDsl.WRITEABLES)) {
                return in.readNamedWriteable(QueryBuilder.class);
            }
        }
    }

    @Test
    public void textWithDefaults() throws IOException {
        ClipMatchQueryBuilder query = clipMatch("{\"text\":\"a red car at the beach\"}");
        assertEquals("a red car at the beach", query.text());
        assertNull(query.image());
        assertNull(query.vector());
        assertEquals("clip", query.field());
        assertEquals(10, query.k());
        assertNull(query.efSearch());
        assertNull(query.minSimilarity());
        assertNull(query.filter());
        assertEquals(1.0f, query.boost(), 0);
        assertNull(query.queryName());
    }

    @Test
    public void everyOption() throws IOException {
        ClipMatchQueryBuilder query = clipMatch(
            "{\"text\":\"red\",\"field\":\"faces.clip\",\"k\":25,\"ef_search\":100,\"min_similarity\":0.2,"
                + "\"filter\":{\"term\":{\"colour\":\"red\"}},\"boost\":2.5,\"_name\":\"by_colour\"}"
        );
        assertEquals("faces.clip", query.field());
        assertEquals(25, query.k());
        assertEquals(Integer.valueOf(100), query.efSearch());
        assertEquals(0.2f, query.minSimilarity(), 0);
        assertEquals(new TermQueryBuilder("colour", "red"), query.filter());
        assertEquals(2.5f, query.boost(), 0);
        assertEquals("by_colour", query.queryName());
    }

    @Test
    public void imageAsPlainBase64OrDataUri() throws IOException {
        String base64 = Base64.getEncoder().encodeToString(PHOTO);
        assertArrayEquals(PHOTO, clipMatch("{\"image\":\"" + base64 + "\"}").image().decode());
        assertArrayEquals(PHOTO, clipMatch("{\"image\":\"data:image/png;base64," + base64 + "\"}").image().decode());
    }

    @Test
    public void vector() throws IOException {
        ClipMatchQueryBuilder query = clipMatch("{\"vector\":[0.5,-1,2e-3,0]}");
        assertArrayEquals(new float[] { 0.5f, -1f, 0.002f, 0f }, query.vector(), 0);
        assertNull(query.text());
    }

    @Test
    public void kAndMinSimilarityBounds() throws IOException {
        assertEquals(1, clipMatch("{\"text\":\"red\",\"k\":1}").k());
        assertEquals(10_000, clipMatch("{\"text\":\"red\",\"k\":10000}").k());
        assertEquals(-1f, clipMatch("{\"text\":\"red\",\"min_similarity\":-1}").minSimilarity(), 0);
        assertEquals(1f, clipMatch("{\"text\":\"red\",\"min_similarity\":1}").minSimilarity(), 0);
    }

    @Test
    public void roundTripsThroughJsonAndTheWire() throws IOException {
        String base64 = Base64.getEncoder().encodeToString(PHOTO);
        for (String options : List.of(
            "{\"text\":\"a photo of something green\"}",
            "{\"image\":\"" + base64 + "\",\"k\":3}",
            "{\"vector\":[0.25,-0.5,1],\"field\":\"faces.clip\",\"min_similarity\":-0.3}",
            "{\"vector\":[1,0],\"ef_search\":256}",
            "{\"text\":\"red\",\"k\":7,\"min_similarity\":0.4,\"filter\":{\"bool\":{\"must_not\":{\"term\":{\"colour\":\"red\"}}}},"
                + "\"boost\":3,\"_name\":\"q\"}"
        )) {
            ClipMatchQueryBuilder query = clipMatch(options);
            QueryBuilder fromJson = viaJson(query);
            assertEquals(options, query, fromJson);
            assertEquals(options, query.hashCode(), fromJson.hashCode());
            QueryBuilder fromWire = viaWire(query);
            assertEquals(options, query, fromWire);
            assertEquals(options, query.hashCode(), fromWire.hashCode());
        }
    }

    @Test
    public void queriesThatDifferInAnyOptionAreNotEqual() throws IOException {
        ClipMatchQueryBuilder query = clipMatch("{\"text\":\"red\",\"k\":5,\"min_similarity\":0.1}");
        for (String other : List.of(
            "{\"text\":\"blue\",\"k\":5,\"min_similarity\":0.1}",
            "{\"text\":\"red\",\"k\":6,\"min_similarity\":0.1}",
            "{\"text\":\"red\",\"k\":5,\"min_similarity\":0.2}",
            "{\"text\":\"red\",\"k\":5}",
            "{\"text\":\"red\",\"k\":5,\"min_similarity\":0.1,\"field\":\"faces.clip\"}",
            "{\"text\":\"red\",\"k\":5,\"min_similarity\":0.1,\"filter\":{\"match_all\":{}}}",
            "{\"text\":\"red\",\"k\":5,\"min_similarity\":0.1,\"boost\":2}",
            "{\"text\":\"red\",\"k\":5,\"min_similarity\":0.1,\"ef_search\":5}",
            "{\"vector\":[1,0],\"k\":5,\"min_similarity\":0.1}"
        )) {
            assertNotEquals(other, query, clipMatch(other));
        }
    }

    @Test
    public void aQueryWaitingForItsVectorIsNotSent() throws IOException {
        // rewritten on a coordinating node, the text waits for its vector (the embedding is never run here)
        QueryBuilder pending = clipMatch("{\"text\":\"red\"}").rewrite(QueryDsl.coordinatorContext());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> viaWire(pending));
        assertMentions(e.getMessage(), "[clip_match]", "before its vector is computed");
    }

    @Test
    public void exactlyOneInput() {
        String expected = "[clip_match] needs exactly one of [text], [image] and [vector]";
        assertMentions(parseError("{}"), expected, "got 0");
        assertMentions(parseError("{\"k\":5}"), expected);
        assertMentions(parseError("{\"text\":\"red\",\"vector\":[1,0]}"), expected, "got 2");
        assertMentions(parseError("{\"text\":\"red\",\"image\":\"AAAA\"}"), expected, "got 2");
        assertMentions(parseError("{\"text\":\"red\",\"image\":\"AAAA\",\"vector\":[1]}"), expected, "got 3");
    }

    @Test
    public void emptyInputs() {
        assertMentions(parseError("{\"text\":\"\"}"), "[clip_match] [text] must not be empty");
        assertMentions(parseError("{\"text\":\"  \\n\"}"), "[clip_match] [text] must not be empty");
        assertMentions(parseError("{\"vector\":[]}"), "[clip_match] [vector] must not be empty");
        assertMentions(parseError("{\"text\":\"red\",\"field\":\"\"}"), "[clip_match] [field] must not be empty");
    }

    @Test
    public void badK() {
        assertMentions(parseError("{\"text\":\"red\",\"k\":0}"), "[clip_match] [k] must be between 1 and 10000, got 0");
        assertMentions(parseError("{\"text\":\"red\",\"k\":10001}"), "[clip_match] [k] must be between 1 and 10000, got 10001");
        assertMentions(parseError("{\"text\":\"red\",\"k\":-3}"), "[clip_match] [k] must be between 1 and 10000, got -3");
        assertMentions(parseError("{\"text\":\"red\",\"k\":2.5}"), "[clip_match] [k] must be an integer, got 2.5");
        assertMentions(parseError("{\"text\":\"red\",\"k\":\"ten\"}"), "[clip_match] [k] must be an integer, got the string [ten]");
        assertMentions(parseError("{\"text\":\"red\",\"k\":null}"), "[clip_match] [k] must be an integer, got null");
        assertMentions(parseError("{\"text\":\"red\",\"ef_search\":0}"), "[clip_match] [ef_search] must be between 1 and 10000, got 0");
    }

    @Test
    public void badMinSimilarity() {
        assertMentions(parseError("{\"text\":\"red\",\"min_similarity\":1.5}"), "[clip_match] [min_similarity] must be between -1 and 1, got 1.5");
        assertMentions(parseError("{\"text\":\"red\",\"min_similarity\":-2}"), "[clip_match] [min_similarity] must be between -1 and 1, got -2");
        assertMentions(parseError("{\"text\":\"red\",\"min_similarity\":\"high\"}"), "[clip_match] [min_similarity] must be a number");
    }

    @Test
    public void unknownField() {
        assertMentions(
            parseError("{\"text\":\"red\",\"size\":3}"),
            "[clip_match] unknown field [size]",
            "known fields: [text, vector, image, field, k, ef_search, rescore, min_similarity, filter, boost, _name]"
        );
        assertMentions(parseError("{\"text\":\"red\",\"inner_hits\":{}}"), "[clip_match] unknown field [inner_hits]");
    }

    @Test
    public void wrongTypes() {
        assertMentions(parseError("{\"text\":5}"), "[clip_match] [text] must be a string, got 5");
        assertMentions(parseError("{\"text\":[\"red\"]}"), "[clip_match] [text] must be a string, got an array");
        assertMentions(parseError("{\"image\":{\"data\":\"AAAA\"}}"), "[clip_match] [image] must be a base64 string holding the photo, got an object");
        assertMentions(parseError("{\"text\":\"red\",\"field\":true}"), "[clip_match] [field] must be a string, got true");
        assertMentions(parseError("{\"vector\":\"1,0\"}"), "[clip_match] [vector] must be an array of numbers, got the string [1,0]");
        assertMentions(parseError("{\"vector\":[1,\"x\",0]}"), "[clip_match] [vector][1] must be a number, got the string [x]");
        assertMentions(parseError("{\"vector\":[1,[0]]}"), "[clip_match] [vector][1] must be a number, got an array");
        assertMentions(parseError("{\"text\":\"red\",\"filter\":\"colour:red\"}"), "[clip_match] [filter] must be a query object");
        assertMentions(parseError("{\"text\":\"red\",\"boost\":\"x\"}"), "[clip_match] [boost] must be a number");
        assertMentions(parseError("{\"text\":\"red\",\"_name\":1}"), "[clip_match] [_name] must be a string");
    }

    @Test
    public void everyOptionRefusesEveryWrongType() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("text", "a string");
        expected.put("image", "a base64 string holding the photo");
        expected.put("vector", "an array of numbers");
        expected.put("field", "a string");
        expected.put("k", "an integer");
        expected.put("ef_search", "an integer");
        expected.put("min_similarity", "a number");
        expected.put("filter", "a query object");
        expected.put("boost", "a number");
        expected.put("_name", "a string");
        Map<String, String> accepted = Map.of("text", JsonValues.STRING, "image", JsonValues.STRING, "vector", JsonValues.ARRAY,
            "field", JsonValues.STRING, "min_similarity", JsonValues.FRACTION, "filter", JsonValues.OBJECT, "boost", JsonValues.FRACTION,
            "_name", JsonValues.STRING);
        for (Map.Entry<String, String> option : expected.entrySet()) {
            String name = option.getKey();
            String other = name.equals("text") ? "\"vector\":[1,0]," : "\"text\":\"red\",";
            for (Map.Entry<String, String> value : JsonValues.except(accepted.getOrDefault(name, "")).entrySet()) {
                String message = parseError("{" + other + "\"" + name + "\":" + value.getKey() + "}");
                assertEquals("[clip_match] [" + name + "] must be " + option.getValue() + ", got " + value.getValue(), message);
                assertTrue(message, JsonValues.speaksJson(message));
            }
        }
    }

    @Test
    public void numbersAreFiniteJsonNumbersInRange() throws IOException {
        assertEquals("[clip_match] [min_similarity] must be a number, got the string [NaN]", parseError("{\"text\":\"red\",\"min_similarity\":\"NaN\"}"));
        assertEquals("[clip_match] [min_similarity] must be a number, got the string [0.5]", parseError("{\"text\":\"red\",\"min_similarity\":\"0.5\"}"));
        assertEquals("[clip_match] [min_similarity] must be a finite number, got Infinity", parseError("{\"text\":\"red\",\"min_similarity\":1e400}"));
        assertEquals("[clip_match] [k] must be an integer, got the string [10]", parseError("{\"text\":\"red\",\"k\":\"10\"}"));
        assertEquals("[clip_match] [k] must be between 1 and 10000, got 99999999999", parseError("{\"text\":\"red\",\"k\":99999999999}"));
        assertEquals("[clip_match] [boost] must be >= 0, got -1", parseError("{\"text\":\"red\",\"boost\":-1}"));
        assertEquals("[clip_match] [boost] must be a finite number, got Infinity", parseError("{\"text\":\"red\",\"boost\":1e400}"));
        assertEquals("[clip_match] [vector][1] must be a finite number, got Infinity", parseError("{\"vector\":[1,1e400]}"));
        assertEquals(10, clipMatch("{\"text\":\"red\",\"k\":10.0}").k());
    }

    @Test
    public void aBuilderRefusesNotANumber() {
        IllegalArgumentException e = assertThrows(
            IllegalArgumentException.class,
            () -> ClipMatchQueryBuilder.builder(null).text("red").minSimilarity(Float.NaN).build()
        );
        assertEquals("[clip_match] [min_similarity] must be between -1 and 1, got NaN", e.getMessage());
    }

    @Test
    public void badBase64NamesTheImage() throws IOException {
        assertMentions(decodeError("{\"image\":\"not base64!\"}"), "[clip_match] [image] is not valid base64: illegal character '!' at position 10");
        assertMentions(decodeError("{\"image\":\"AB*D\"}"), "[clip_match] [image] is not valid base64: illegal character '*' at position 2");
        assertMentions(decodeError("{\"image\":\"data:image/png,AAAA\"}"), "[clip_match] [image] is a data URI without ';base64,'");
    }

    /** A photo is kept as sent while the search request is read: the worker that embeds it decodes it. */
    private static String decodeError(String json) throws IOException {
        EncodedPhoto photo = clipMatch(json).image();
        return assertThrows(IllegalArgumentException.class, () -> QueryPhotos.bytes(ClipMatchQueryBuilder.NAME, photo)).getMessage();
    }

    @Test
    public void badFilterIsReported() {
        ParsingException e = assertThrows(
            ParsingException.class,
            () -> clipMatch("{\"text\":\"red\",\"filter\":{\"no_such_query\":{}}}")
        );
        assertMentions(e.getMessage(), "no_such_query");
    }
}
