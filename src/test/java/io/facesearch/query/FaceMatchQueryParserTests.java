package io.facesearch.query;

import io.facesearch.common.JsonValues;

import org.opensearch.OpenSearchStatusException;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.Strings;
import org.opensearch.core.rest.RestStatus;
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
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** The face_match DSL: every option read with its type and range, errors that name the option and never a parser token. */
public class FaceMatchQueryParserTests {
    private static final byte[] PHOTO = { (byte) 0x89, 'P', 'N', 'G', 1, 2, 3 };
    /** The one input every case but those about the inputs gives. */
    private static final String VECTOR = "\"vector\":[1,0],";

    private static FaceMatchQueryBuilder faceMatch(String options) throws IOException {
        return (FaceMatchQueryBuilder) QueryDsl.parse("{\"face_match\":" + options + "}");
    }

    private static String parseError(String options) {
        String message = assertThrows(ParsingException.class, () -> faceMatch(options)).getMessage();
        assertTrue(message, JsonValues.speaksJson(message));
        return message;
    }

    @Test
    public void everyOption() throws IOException {
        FaceMatchQueryBuilder query = faceMatch(
            "{\"vector\":[0.5,-1],\"field\":\"people.vector\",\"k\":25,\"ef_search\":64,\"min_similarity\":0.2,"
                + "\"filter\":{\"term\":{\"colour\":\"red\"}},\"inner_hits\":{\"name\":\"who\",\"size\":1},\"expand_nested_docs\":true,"
                + "\"boost\":2.5,\"_name\":\"by_face\"}"
        );
        assertArrayEquals(new float[] { 0.5f, -1f }, query.vector(), 0);
        assertEquals("people.vector", query.field());
        assertEquals(25, query.k());
        assertEquals(Integer.valueOf(64), query.efSearch());
        assertEquals(0.2f, query.minSimilarity(), 0);
        assertEquals(new TermQueryBuilder("colour", "red"), query.filter());
        assertEquals("who", query.innerHitsName());
        assertEquals(1, query.innerHitsSize());
        assertTrue(query.expandNestedDocs());
        assertEquals(2.5f, query.boost(), 0);
        assertEquals("by_face", query.queryName());
        String json = Strings.toString(MediaTypeRegistry.JSON, query);
        assertTrue(json, json.contains("\"inner_hits\":{\"name\":\"who\",\"size\":1}"));
        assertTrue(json, json.contains(Strings.toString(MediaTypeRegistry.JSON, new TermQueryBuilder("colour", "red"))));
        assertEquals(query, QueryDsl.parse(json));
    }

    @Test
    public void defaultsAndTheOtherInputs() throws IOException {
        FaceMatchQueryBuilder byVector = faceMatch("{\"vector\":[1,0]}");
        assertEquals(FaceMatchQueryBuilder.DEFAULT_FIELD, byVector.field());
        assertEquals(FaceMatchQueryBuilder.DEFAULT_K, byVector.k());
        assertNull(byVector.efSearch());
        assertNull(byVector.minSimilarity());
        assertNull(byVector.filter());
        assertEquals(FaceMatchQueryBuilder.NAME, byVector.innerHitsName());
        assertEquals(FaceMatchQueryBuilder.DEFAULT_INNER_HITS_SIZE, byVector.innerHitsSize());
        assertFalse(byVector.expandNestedDocs());
        assertEquals(1.0f, byVector.boost(), 0);
        assertNull(byVector.queryName());
        // every face of a photo, unless a size is given
        assertEquals(FaceMatchQueryBuilder.EXPANDED_INNER_HITS_SIZE, faceMatch("{\"vector\":[1,0],\"expand_nested_docs\":true}").innerHitsSize());
        assertEquals(5, faceMatch("{\"vector\":[1,0],\"expand_nested_docs\":true,\"inner_hits\":{\"size\":5}}").innerHitsSize());
        assertFalse(faceMatch("{\"vector\":[1,0],\"expand_nested_docs\":false}").expandNestedDocs());
        // inner hits named by the query's name, so that two face_match queries can share a search
        assertEquals("kit", faceMatch("{\"vector\":[1,0],\"_name\":\"kit\"}").innerHitsName());
        assertEquals("who", faceMatch("{\"vector\":[1,0],\"_name\":\"kit\",\"inner_hits\":{\"name\":\"who\"}}").innerHitsName());
        assertNull(faceMatch("{\"vector\":[1,0],\"_name\":\"kit\",\"inner_hits\":false}").innerHitsName());
        assertEquals(10, faceMatch("{\"vector\":[1,0],\"k\":10.0}").k());
        String base64 = Base64.getEncoder().encodeToString(PHOTO);
        FaceMatchQueryBuilder byImage = faceMatch("{\"image\":\"data:image/png;base64," + base64 + "\"}");
        assertTrue(Strings.toString(MediaTypeRegistry.JSON, byImage).contains(base64));
        FaceMatchQueryBuilder byFace = faceMatch("{\"face\":{\"index\":\"photos\",\"id\":\"42\",\"face\":1},\"inner_hits\":false}");
        assertTrue(Strings.toString(MediaTypeRegistry.JSON, byFace).contains("\"face\":{\"index\":\"photos\",\"id\":\"42\",\"face\":1}"));
        assertTrue(Strings.toString(MediaTypeRegistry.JSON, byFace).contains("\"inner_hits\":false"));
        FaceMatchQueryBuilder defaultInnerHits = faceMatch("{\"vector\":[1,0],\"inner_hits\":true}");
        assertTrue(Strings.toString(MediaTypeRegistry.JSON, defaultInnerHits).contains("\"inner_hits\":{\"name\":\"face_match\",\"size\":3}"));
    }

    @Test
    public void everyOptionRefusesEveryWrongType() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("vector", "an array of numbers");
        expected.put("image", "a base64 string holding the photo");
        expected.put("face", "an object");
        expected.put("field", "a string");
        expected.put("k", "an integer");
        expected.put("ef_search", "an integer");
        expected.put("min_similarity", "a number");
        expected.put("filter", "a query object");
        expected.put("inner_hits", "an object or a boolean");
        expected.put("expand_nested_docs", "true or false");
        expected.put("boost", "a number");
        expected.put("_name", "a string");
        Map<String, String> accepted = Map.of(
            "vector", JsonValues.ARRAY,
            "image", JsonValues.STRING,
            "face", JsonValues.OBJECT,
            "field", JsonValues.STRING,
            "min_similarity", JsonValues.FRACTION,
            "filter", JsonValues.OBJECT,
            "inner_hits", JsonValues.OBJECT,
            "expand_nested_docs", JsonValues.BOOLEAN,
            "boost", JsonValues.FRACTION,
            "_name", JsonValues.STRING
        );
        for (Map.Entry<String, String> option : expected.entrySet()) {
            String name = option.getKey();
            String input = name.equals("vector") ? "\"image\":\"AAAA\"," : VECTOR;
            for (Map.Entry<String, String> value : JsonValues.except(accepted.getOrDefault(name, ""), JsonValues.BOOLEAN).entrySet()) {
                assertEquals(
                    "[face_match] [" + name + "] must be " + option.getValue() + ", got " + value.getValue(),
                    parseError("{" + input + "\"" + name + "\":" + value.getKey() + "}")
                );
            }
            if (name.equals("inner_hits") == false && name.equals("expand_nested_docs") == false) {
                assertEquals(
                    "[face_match] [" + name + "] must be " + option.getValue() + ", got true",
                    parseError("{" + input + "\"" + name + "\":true}")
                );
            }
        }
    }

    @Test
    public void theFaceReferenceIsTypedToo() {
        for (Map.Entry<String, String> value : JsonValues.except(JsonValues.STRING).entrySet()) {
            assertEquals(
                "[face_match] [face.index] must be a string, got " + value.getValue(),
                parseError("{\"face\":{\"index\":" + value.getKey() + ",\"id\":\"42\"}}")
            );
            assertEquals(
                "[face_match] [face.id] must be a string, got " + value.getValue(),
                parseError("{\"face\":{\"index\":\"photos\",\"id\":" + value.getKey() + "}}")
            );
        }
        for (Map.Entry<String, String> value : JsonValues.except().entrySet()) {
            assertEquals(
                "[face_match] [face.face] must be an integer, got " + value.getValue(),
                parseError("{\"face\":{\"index\":\"photos\",\"id\":\"42\",\"face\":" + value.getKey() + "}}")
            );
        }
        assertEquals("[face_match] [face.id] must be a string, got 42", parseError("{\"face\":{\"index\":\"photos\",\"id\":42}}"));
        assertEquals("[face_match] [face.face] must be >= 0, got -1", parseError("{\"face\":{\"index\":\"photos\",\"id\":\"42\",\"face\":-1}}"));
        assertEquals("[face_match] [face.index] must not be empty", parseError("{\"face\":{\"index\":\"\",\"id\":\"42\"}}"));
        assertEquals("[face_match] [face] needs [index] and [id]", parseError("{\"face\":{\"index\":\"photos\"}}"));
        assertEquals(
            "[face_match] unknown field [face.doc]; known fields: [index, id, face]",
            parseError("{\"face\":{\"index\":\"photos\",\"doc\":\"42\"}}")
        );
    }

    @Test
    public void innerHitsOptionsAreTyped() {
        for (Map.Entry<String, String> value : JsonValues.except(JsonValues.STRING).entrySet()) {
            assertEquals(
                "[face_match] [inner_hits.name] must be a string, got " + value.getValue(),
                parseError("{" + VECTOR + "\"inner_hits\":{\"name\":" + value.getKey() + "}}")
            );
        }
        for (Map.Entry<String, String> value : JsonValues.except().entrySet()) {
            assertEquals(
                "[face_match] [inner_hits.size] must be an integer, got " + value.getValue(),
                parseError("{" + VECTOR + "\"inner_hits\":{\"size\":" + value.getKey() + "}}")
            );
        }
        assertEquals("[face_match] [inner_hits.size] must be >= 0, got -1", parseError("{" + VECTOR + "\"inner_hits\":{\"size\":-1}}"));
        assertEquals(
            "[face_match] unknown field [inner_hits.from]; known fields: [name, size]",
            parseError("{" + VECTOR + "\"inner_hits\":{\"from\":1}}")
        );
    }

    @Test
    public void rescoreIsABooleanOrAnOversampleFactorInTheKnnPluginsBounds() throws IOException {
        assertNull(faceMatch("{" + VECTOR + "\"k\":5}").rescore());
        assertEquals(KnnRescore.OFF, faceMatch("{" + VECTOR + "\"rescore\":false}").rescore());
        assertEquals(KnnRescore.DEFAULT, faceMatch("{" + VECTOR + "\"rescore\":true}").rescore());
        assertEquals(KnnRescore.DEFAULT, faceMatch("{" + VECTOR + "\"rescore\":{}}").rescore());
        FaceMatchQueryBuilder oversampled = faceMatch("{" + VECTOR + "\"rescore\":{\"oversample_factor\":2.5}}");
        assertEquals(KnnRescore.oversample(2.5f), oversampled.rescore());
        String json = Strings.toString(MediaTypeRegistry.JSON, oversampled);
        assertTrue(json, json.contains("\"rescore\":{\"oversample_factor\":2.5}"));
        assertEquals(oversampled, QueryDsl.parse(json));
        assertTrue(Strings.toString(MediaTypeRegistry.JSON, faceMatch("{" + VECTOR + "\"rescore\":false}")).contains("\"rescore\":false"));

        assertEquals(
            "[face_match] [rescore.oversample_factor] must be between 1 and 100, got 0.5",
            parseError("{" + VECTOR + "\"rescore\":{\"oversample_factor\":0.5}}")
        );
        assertEquals(
            "[face_match] [rescore.oversample_factor] must be between 1 and 100, got 101",
            parseError("{" + VECTOR + "\"rescore\":{\"oversample_factor\":101}}")
        );
        assertEquals(
            "[face_match] [rescore.oversample_factor] must be a number, got the string [3]",
            parseError("{" + VECTOR + "\"rescore\":{\"oversample_factor\":\"3\"}}")
        );
        assertEquals(
            "[face_match] unknown field [rescore.factor]; known fields: [oversample_factor]",
            parseError("{" + VECTOR + "\"rescore\":{\"factor\":3}}")
        );
        for (Map.Entry<String, String> value : JsonValues.except(JsonValues.OBJECT, JsonValues.BOOLEAN).entrySet()) {
            assertEquals(
                "[face_match] [rescore] must be an object or a boolean, got " + value.getValue(),
                parseError("{" + VECTOR + "\"rescore\":" + value.getKey() + "}")
            );
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KnnRescore.oversample(Float.NaN));
        assertEquals("[rescore.oversample_factor] must be between 1.0 and 100.0, got NaN", e.getMessage());
    }

    @Test
    public void numbersAreFiniteJsonNumbersInRange() {
        assertEquals("[face_match] [min_similarity] must be a number, got the string [NaN]", parseError("{" + VECTOR + "\"min_similarity\":\"NaN\"}"));
        assertEquals("[face_match] [min_similarity] must be a number, got the string [0.3]", parseError("{" + VECTOR + "\"min_similarity\":\"0.3\"}"));
        assertEquals("[face_match] [min_similarity] must be between -1 and 1, got 1.5", parseError("{" + VECTOR + "\"min_similarity\":1.5}"));
        assertEquals("[face_match] [min_similarity] must be a finite number, got -Infinity", parseError("{" + VECTOR + "\"min_similarity\":-1e999}"));
        assertEquals("[face_match] [k] must be an integer, got 10.5", parseError("{" + VECTOR + "\"k\":10.5}"));
        assertEquals("[face_match] [k] must be an integer, got the string [10]", parseError("{" + VECTOR + "\"k\":\"10\"}"));
        assertEquals("[face_match] [k] must be between 1 and 10000, got 0", parseError("{" + VECTOR + "\"k\":0}"));
        assertEquals("[face_match] [k] must be between 1 and 10000, got 10001", parseError("{" + VECTOR + "\"k\":10001}"));
        assertEquals("[face_match] [ef_search] must be between 1 and 10000, got 0", parseError("{" + VECTOR + "\"ef_search\":0}"));
        assertEquals("[face_match] [ef_search] must be an integer, got 64.5", parseError("{" + VECTOR + "\"ef_search\":64.5}"));
        assertEquals("[face_match] [boost] must be >= 0, got -2", parseError("{" + VECTOR + "\"boost\":-2}"));
        assertEquals("[face_match] [vector][1] must be a number, got the string [NaN]", parseError("{\"vector\":[1,\"NaN\"]}"));
        assertEquals("[face_match] [vector][0] must be a finite number, got Infinity", parseError("{\"vector\":[1e400]}"));
        assertEquals("[face_match] [vector] must not be empty", parseError("{\"vector\":[]}"));
        assertEquals("[face_match] [field] must not be empty", parseError("{" + VECTOR + "\"field\":\"\"}"));
        assertEquals("[face_match] [_name] must not be empty", parseError("{" + VECTOR + "\"_name\":\"\"}"));
    }

    @Test
    public void aLimitOfTheJsonParserIsABadRequest() {
        OpenSearchStatusException e = assertThrows(
            OpenSearchStatusException.class,
            () -> faceMatch("{" + VECTOR + "\"k\":" + "9".repeat(1200) + "}")
        );
        assertEquals(RestStatus.BAD_REQUEST, e.status());
        assertTrue(e.getMessage(), e.getMessage().startsWith("[k] crosses a limit of the JSON parser: Number value length (1200)"));
        OpenSearchStatusException deep = assertThrows(
            OpenSearchStatusException.class,
            () -> faceMatch("{" + VECTOR + "\"filter\":{\"terms\":{\"x\":" + "[".repeat(1100) + "]".repeat(1100) + "}}}")
        );
        assertEquals(RestStatus.BAD_REQUEST, deep.status());
        assertTrue(deep.getMessage(), deep.getMessage().contains("crosses a limit of the JSON parser: Document nesting depth"));
    }

    @Test
    public void inputsAndUnknownFields() {
        assertEquals("[face_match] needs exactly one of [vector], [image], [face] and [person], got 0", parseError("{}"));
        assertEquals(
            "[face_match] needs exactly one of [vector], [image], [face] and [person], got 2",
            parseError("{\"vector\":[1,0],\"face\":{\"index\":\"photos\",\"id\":\"42\"}}")
        );
        assertEquals(
            "[face_match] unknown field [size]; known fields: " + FaceMatchQueryParser.KNOWN_FIELDS,
            parseError("{" + VECTOR + "\"size\":3}")
        );
        // a photo is kept as sent while the search request is read; the worker that embeds it decodes it
        IllegalArgumentException badBase64 = assertThrows(
            IllegalArgumentException.class,
            () -> QueryPhotos.bytes(FaceMatchQueryBuilder.NAME, faceMatch("{\"image\":\"AA*A\"}").image())
        );
        assertEquals("[face_match] [image] is not valid base64: illegal character '*' at position 2", badBase64.getMessage());
    }

    @Test
    public void theBuilderChecksWhatOtherCallersGiveIt() {
        float[] vector = { 1, 0 };
        assertEquals(
            "[face_match] [min_similarity] must be between -1 and 1, got NaN",
            assertThrows(
                IllegalArgumentException.class,
                () -> FaceMatchQueryBuilder.builder(null).vector(vector).minSimilarity(Float.NaN).build()
            ).getMessage()
        );
        assertEquals(
            "[face_match] [vector] must not be empty",
            assertThrows(IllegalArgumentException.class, () -> FaceMatchQueryBuilder.forVector(new float[0], "faces.embedding", 10, null, null, 0))
                .getMessage()
        );
        assertEquals(
            "[face_match] [inner_hits] needs a non-empty [name] and a [size] >= 0, got [identify] and -1",
            assertThrows(IllegalArgumentException.class, () -> FaceMatchQueryBuilder.forVector(vector, "faces.embedding", 10, null, "identify", -1))
                .getMessage()
        );
        assertEquals(
            "[face_match] [k] must be between 1 and 10000, got 0",
            assertThrows(IllegalArgumentException.class, () -> FaceMatchQueryBuilder.forVector(vector, "faces.embedding", 0, null, null, 0))
                .getMessage()
        );
        assertEquals(
            "[face_match] [ef_search] must be between 1 and 10000, got 10001",
            assertThrows(IllegalArgumentException.class, () -> FaceMatchQueryBuilder.builder(null).vector(vector).efSearch(10_001).build())
                .getMessage()
        );
        assertEquals(
            "[face_match] needs exactly one of [vector], [image], [face] and [person], got 2",
            assertThrows(
                IllegalArgumentException.class,
                () -> FaceMatchQueryBuilder.builder(null).vector(vector).face(new FaceReference("photos", "42", 0)).build()
            ).getMessage()
        );
    }
}
