package io.facesearch.transport;

import io.facesearch.common.JsonValues;

import org.opensearch.OpenSearchStatusException;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.TermQueryBuilder;
import org.opensearch.search.SearchModule;
import org.junit.Test;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** The bodies of detect, verify and identify: each field against a value of every other JSON type and out of its range. */
public class RequestBodyTests {
    private static final NamedXContentRegistry QUERIES = new NamedXContentRegistry(new SearchModule(Settings.EMPTY, List.of()).getNamedXContents());
    private static final byte[] PHOTO = { (byte) 0x89, 'P', 'N', 'G', 1, 2, 3 };
    private static final String IMAGE = "\"" + Base64.getEncoder().encodeToString(PHOTO) + "\"";

    @FunctionalInterface
    private interface Parse<T> {
        T parse(XContentParser parser) throws IOException;
    }

    private static <T> T parse(Parse<T> parse, String json) throws IOException {
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(QUERIES, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, json)) {
            return parse.parse(parser);
        }
    }

    private static String refusal(Parse<?> parse, String json) {
        String message = assertThrows(IllegalArgumentException.class, () -> parse(parse, json)).getMessage();
        assertTrue(message, JsonValues.speaksJson(message));
        return message;
    }

    /** {@code field} of a body that is otherwise valid ({@code others}) refuses every JSON type but {@code accepted}. */
    private static void assertTyped(Parse<?> parse, String others, String field, String expected, String... accepted) {
        for (Map.Entry<String, String> value : JsonValues.except(accepted).entrySet()) {
            assertEquals(
                "[" + field + "] must be " + expected + ", got " + value.getValue(),
                refusal(parse, "{" + others + "\"" + field + "\": " + value.getKey() + "}")
            );
        }
    }

    @Test
    public void detect() throws IOException {
        DetectRequest request = parse(
            DetectRequest::parse,
            "{\"image\": " + IMAGE + ", \"min_score\": 0.5, \"min_face_size\": 20, \"max_faces\": 3.0, \"include_embeddings\": true}"
        );
        assertArrayEquals(PHOTO, request.image().decode());
        assertEquals(0.5f, request.minScore(), 0);
        assertEquals(Integer.valueOf(20), request.minFaceSize());
        assertEquals(Integer.valueOf(3), request.maxFaces());
        assertTrue(request.includeEmbeddings());
        assertNull(parse(DetectRequest::parse, "{\"image\": " + IMAGE + "}").minScore());

        String image = "\"image\": " + IMAGE + ", ";
        assertTyped(DetectRequest::parse, "", "image", "a base64 string holding the photo", JsonValues.STRING);
        assertTyped(DetectRequest::parse, image, "min_score", "a number", JsonValues.FRACTION);
        assertTyped(DetectRequest::parse, image, "min_face_size", "an integer");
        assertTyped(DetectRequest::parse, image, "max_faces", "an integer");
        assertTyped(DetectRequest::parse, image, "include_embeddings", "true or false", JsonValues.BOOLEAN);

        assertEquals("[min_score] must be a number, got the string [NaN]", refusal(DetectRequest::parse, "{" + image + "\"min_score\": \"NaN\"}"));
        assertEquals("[min_score] must be a number, got the string [0.5]", refusal(DetectRequest::parse, "{" + image + "\"min_score\": \"0.5\"}"));
        assertEquals("[min_score] must be between 0 and 1, got 3", refusal(DetectRequest::parse, "{" + image + "\"min_score\": 3}"));
        assertEquals("[min_score] must be between 0 and 1, got -0.5", refusal(DetectRequest::parse, "{" + image + "\"min_score\": -0.5}"));
        assertEquals("[min_score] must be a finite number, got Infinity", refusal(DetectRequest::parse, "{" + image + "\"min_score\": 1e999}"));
        assertEquals("[max_faces] must be an integer, got 10.5", refusal(DetectRequest::parse, "{" + image + "\"max_faces\": 10.5}"));
        assertEquals("[max_faces] must be between 1 and 10000, got 0", refusal(DetectRequest::parse, "{" + image + "\"max_faces\": 0}"));
        assertEquals("[min_face_size] must be between 0 and 100000, got -1", refusal(DetectRequest::parse, "{" + image + "\"min_face_size\": -1}"));
        // the photo stays base64 until a worker decodes it: its errors come then, naming its field
        DetectRequest damaged = parse(DetectRequest::parse, "{\"image\": \"AAAA*AAA\"}");
        assertEquals(
            "[image] is not valid base64: illegal character '*' at position 4",
            assertThrows(IllegalArgumentException.class, () -> damaged.image().decode()).getMessage()
        );
        assertEquals("[image] is required", refusal(DetectRequest::parse, "{}"));
        assertEquals("request body must be a JSON object", refusal(DetectRequest::parse, "[1]"));
        assertTrue(refusal(DetectRequest::parse, "{" + image + "\"colour\": 1}").startsWith("unknown field [colour]"));
    }

    @Test
    public void verify() throws IOException {
        VerifyRequest request = parse(
            VerifyRequest::parse,
            "{\"image_a\": " + IMAGE + ", \"image_b\": " + IMAGE + ", \"face_a\": 1, \"face_b\": 0, \"threshold\": -0.2, \"min_score\": 1}"
        );
        assertEquals(Integer.valueOf(1), request.faceA());
        assertEquals(Integer.valueOf(0), request.faceB());
        assertEquals(-0.2f, request.threshold(), 0);
        assertEquals(1f, request.minScore(), 0);

        String images = "\"image_a\": " + IMAGE + ", \"image_b\": " + IMAGE + ", ";
        assertTyped(VerifyRequest::parse, "\"image_b\": " + IMAGE + ", ", "image_a", "a base64 string holding the photo", JsonValues.STRING);
        assertTyped(VerifyRequest::parse, "\"image_a\": " + IMAGE + ", ", "image_b", "a base64 string holding the photo", JsonValues.STRING);
        assertTyped(VerifyRequest::parse, images, "face_a", "an integer");
        assertTyped(VerifyRequest::parse, images, "face_b", "an integer");
        assertTyped(VerifyRequest::parse, images, "threshold", "a number", JsonValues.FRACTION);
        assertTyped(VerifyRequest::parse, images, "min_score", "a number", JsonValues.FRACTION);

        assertEquals("[threshold] must be between -1 and 1, got 7", refusal(VerifyRequest::parse, "{" + images + "\"threshold\": 7}"));
        assertEquals("[threshold] must be a number, got the string [NaN]", refusal(VerifyRequest::parse, "{" + images + "\"threshold\": \"NaN\"}"));
        assertEquals("[face_a] must be >= 0, got -1", refusal(VerifyRequest::parse, "{" + images + "\"face_a\": -1}"));
        assertEquals("[face_b] must be an integer, got 1.5", refusal(VerifyRequest::parse, "{" + images + "\"face_b\": 1.5}"));
        assertEquals("[min_score] must be between 0 and 1, got 1.01", refusal(VerifyRequest::parse, "{" + images + "\"min_score\": 1.01}"));
        assertEquals("[image_b] is required", refusal(VerifyRequest::parse, "{\"image_a\": " + IMAGE + "}"));
    }

    @Test
    public void identify() throws IOException {
        IdentifyRequest request = parse(
            IdentifyRequest::parse,
            "{\"index\": \"gallery\", \"vector\": [1, 0], \"k1\": 2, \"k2\": 4, \"threshold\": 0.5, \"identity_field\": \"who\","
                + " \"field\": \"people.vector\", \"filter\": {\"term\": {\"colour\": \"red\"}}}"
        );
        assertArrayEquals(new String[] { "gallery" }, request.indices());
        assertArrayEquals(new float[] { 1, 0 }, request.vector(), 0);
        assertEquals(2, request.k1());
        assertEquals(4, request.k2());
        assertEquals(0.5f, request.threshold(), 0);
        assertEquals("who", request.identityField());
        assertEquals("people.vector", request.field());
        assertEquals(new TermQueryBuilder("colour", "red"), request.filter());

        String vector = "\"index\": \"g\", \"vector\": [1, 0], ";
        assertTyped(IdentifyRequest::parse, "\"vector\": [1], ", "index", "a string", JsonValues.STRING);
        assertTyped(IdentifyRequest::parse, "\"index\": \"g\", ", "image", "a base64 string holding the photo", JsonValues.STRING);
        assertTyped(IdentifyRequest::parse, "\"index\": \"g\", ", "vector", "an array of numbers", JsonValues.ARRAY);
        assertTyped(IdentifyRequest::parse, vector, "k1", "an integer");
        assertTyped(IdentifyRequest::parse, vector, "k2", "an integer");
        assertTyped(IdentifyRequest::parse, vector, "threshold", "a number", JsonValues.FRACTION);
        assertTyped(IdentifyRequest::parse, vector, "identity_field", "a string", JsonValues.STRING);
        assertTyped(IdentifyRequest::parse, vector, "field", "a string", JsonValues.STRING);
        assertTyped(IdentifyRequest::parse, vector, "filter", "a query object", JsonValues.OBJECT);

        assertEquals("[k1] must be between 1 and 10000, got 0", refusal(IdentifyRequest::parse, "{" + vector + "\"k1\": 0}"));
        assertEquals("[k2] must be between 1 and 10000, got 10001", refusal(IdentifyRequest::parse, "{" + vector + "\"k2\": 10001}"));
        assertEquals("[k2] must be an integer, got 10.5", refusal(IdentifyRequest::parse, "{" + vector + "\"k2\": 10.5}"));
        assertEquals(
            "[k1] and [k2] must satisfy 1 <= k1 <= k2 <= 10000, got k1=5, k2=2",
            refusal(IdentifyRequest::parse, "{" + vector + "\"k1\": 5, \"k2\": 2}")
        );
        assertEquals("[threshold] must be between -1 and 1, got 2", refusal(IdentifyRequest::parse, "{" + vector + "\"threshold\": 2}"));
        assertEquals("[vector][1] must be a number, got null", refusal(IdentifyRequest::parse, "{\"index\": \"g\", \"vector\": [1, null]}"));
        assertEquals("[vector] must not be empty", refusal(IdentifyRequest::parse, "{\"index\": \"g\", \"vector\": []}"));
        assertEquals("[index] must not be empty", refusal(IdentifyRequest::parse, "{\"index\": \"\", \"vector\": [1]}"));
        assertEquals("[index] is required", refusal(IdentifyRequest::parse, "{\"vector\": [1]}"));
        assertEquals("exactly one of [image] and [vector] is required", refusal(IdentifyRequest::parse, "{\"index\": \"g\"}"));
        assertEquals(IdentifyRequest.Faces.MAIN, request.faces());
        assertNull(request.maxFaces());
        OpenSearchStatusException deep = assertThrows(
            OpenSearchStatusException.class,
            () -> parse(IdentifyRequest::parse, "{" + vector + "\"filter\": {\"terms\": {\"x\": " + "[".repeat(1100) + "]".repeat(1100) + "}}}")
        );
        assertEquals(RestStatus.BAD_REQUEST, deep.status());
        assertTrue(deep.getMessage(), deep.getMessage().contains("crosses a limit of the JSON parser: Document nesting depth"));
        OpenSearchStatusException number = assertThrows(
            OpenSearchStatusException.class,
            () -> parse(IdentifyRequest::parse, "{" + vector + "\"k2\": " + "1".repeat(1100) + "}")
        );
        assertEquals(RestStatus.BAD_REQUEST, number.status());
        assertTrue(number.getMessage(), number.getMessage().startsWith("[k2] crosses a limit of the JSON parser"));
    }

    @Test
    public void identifyFaces() throws IOException {
        String image = "\"index\": \"g\", \"image\": " + IMAGE + ", ";
        IdentifyRequest all = parse(
            IdentifyRequest::parse,
            "{" + image + "\"faces\": \"all\", \"min_score\": 0.7, \"min_face_size\": 12, \"max_faces\": 20}"
        );
        assertEquals(IdentifyRequest.Faces.ALL, all.faces());
        assertEquals(0.7f, all.minScore(), 0);
        assertEquals(Integer.valueOf(12), all.minFaceSize());
        assertEquals(Integer.valueOf(20), all.maxFaces());
        assertEquals(IdentifyRequest.Faces.MAIN, parse(IdentifyRequest::parse, "{" + image + "\"faces\": \"main\"}").faces());
        // the default stays the main face, with the node's detection options
        IdentifyRequest plain = parse(IdentifyRequest::parse, "{\"index\": \"g\", \"image\": " + IMAGE + "}");
        assertEquals(IdentifyRequest.Faces.MAIN, plain.faces());
        assertNull(plain.minScore());
        assertNull(plain.minFaceSize());

        assertTyped(IdentifyRequest::parse, image, "faces", "a string", JsonValues.STRING);
        assertTyped(IdentifyRequest::parse, image, "min_score", "a number", JsonValues.FRACTION);
        assertTyped(IdentifyRequest::parse, image, "min_face_size", "an integer");
        assertTyped(IdentifyRequest::parse, image, "max_faces", "an integer");
        for (String other : List.of("every", "ALL", "Main", "0", "main,all", " all")) {
            assertEquals(
                "[faces] must be [main] or [all], got [" + other + "]",
                refusal(IdentifyRequest::parse, "{" + image + "\"faces\": \"" + other + "\"}")
            );
        }
        assertEquals("[faces] must not be empty", refusal(IdentifyRequest::parse, "{" + image + "\"faces\": \"\"}"));
        assertEquals("[max_faces] must be between 1 and 10000, got 0", refusal(IdentifyRequest::parse, "{" + image + "\"max_faces\": 0}"));
        assertEquals(
            "[faces] chooses faces of an [image]; a [vector] is one face already",
            refusal(IdentifyRequest::parse, "{\"index\": \"g\", \"vector\": [1], \"faces\": \"all\"}")
        );
        assertEquals(
            "[max_faces] chooses faces of an [image]; a [vector] is one face already",
            refusal(IdentifyRequest::parse, "{\"index\": \"g\", \"vector\": [1], \"max_faces\": 3}")
        );
    }
}
