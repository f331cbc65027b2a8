package io.facesearch.plugin;

import org.opensearch.client.Request;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The plugin's wiring in an in-JVM node: settings, thread pool, model loading and the REST endpoints. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class FaceRestApiTests extends FaceSearchIntegTestCase {

    public void testModelsApiReportsLoadedModels() throws IOException {
        Map<String, Object> body = nodeModels();
        assertEquals("loaded", body.get("status"));
        Map<?, ?> embedder = (Map<?, ?>) body.get("embedder");
        assertEquals("mobilefacenet_ms1mv3", embedder.get("name"));
        assertEquals(128, embedder.get("dimension"));
        assertEquals("6ced4e0c36abba9dd24b48d725f7dbb94089f75b3d3445d3d67b85157cb64743", embedder.get("sha256"));
        assertEquals("yunet_n_dynamic", ((Map<?, ?>) body.get("detector")).get("name"));
        Map<?, ?> clip = (Map<?, ?>) body.get("clip");
        assertEquals(false, clip.get("enabled"));
        assertTrue(clip.toString(), clip.get("reason").toString().contains("CLIP is switched off"));
        assertTrue(clip.toString(), clip.get("reason").toString().contains("face_search.clip.image_model"));
    }

    public void testDetectFindsBothPeopleOfATwoPersonPhoto() throws IOException {
        Request request = new Request("POST", "/_plugins/_face/detect");
        request.setJsonEntity("{\"image\": \"" + base64("group/fr_two_people.jpg") + "\"}");
        Map<String, Object> body = call(request);
        assertEquals(2, body.get("face_count"));
        Map<?, ?> image = (Map<?, ?>) body.get("image");
        assertEquals(1126, image.get("width"));
        assertEquals(661, image.get("height"));
        assertEquals("jpeg", image.get("format"));
        List<?> faces = (List<?>) body.get("faces");
        Map<?, ?> first = (Map<?, ?>) faces.get(0);
        assertTrue(((Number) first.get("score")).doubleValue() > 0.6);
        assertEquals(5, ((Map<?, ?>) first.get("landmarks")).size());
        assertNull("embedding only when asked for", first.get("embedding"));
    }

    public void testVerifySamePersonAndDifferentPeople() throws IOException {
        Map<String, Object> same = verify("people/Barack_Obama/fr_obama.jpg", "people/Barack_Obama/fr_obama2.jpg");
        assertEquals(true, same.get("same_person"));
        assertTrue(((Number) same.get("similarity")).doubleValue() > 0.5);
        Map<String, Object> different = verify("people/Barack_Obama/fr_obama.jpg", "people/Kit_Harington/fr_john1.jpeg");
        assertEquals(false, different.get("same_person"));
        assertEquals(0, ((Map<?, ?>) different.get("face_a")).get("index"));
    }

    public void testBadInputGivesAClearBadRequest() throws IOException {
        assertError("{\"image\": \"" + Base64.getEncoder().encodeToString("hello, not an image".getBytes()) + "\"}", "invalid_image_exception", "not a supported image");
        assertError("{\"image\": \"@@not base64@@\"}", "illegal_argument_exception", "[image] is not valid base64");
        assertError("{\"image\": 12}", "illegal_argument_exception", "[image] must be a base64 string");
        assertError("{}", "illegal_argument_exception", "[image] is required");
        assertError("{\"image\": \"AAAA\", \"colour\": 1}", "illegal_argument_exception", "unknown field [colour]");
        assertError("[1, 2]", "illegal_argument_exception", "must be a JSON object");
        assertError("{\"image\": \"" + base64("people/Barack_Obama/fr_obama.jpg") + "\", \"min_score\": 2}", "illegal_argument_exception", "[min_score] must be between 0 and 1");
    }

    public void testVerifyWithoutAFaceSaysWhichPhoto() throws IOException {
        String json = "{\"image_a\": \"" + base64("people/Barack_Obama/fr_obama.jpg") + "\", \"image_b\": \"" + base64("noface/skimage_coffee.png") + "\"}";
        Map<?, ?> error = expectError(jsonRequest("POST", "/_plugins/_face/verify", json), 400);
        assertEquals("no_face_found_exception", error.get("type"));
        assertTrue(error.get("reason").toString(), error.get("reason").toString().contains("[image_b]"));
    }

    public void testVerifyNamesTheBadPhoto() throws IOException {
        String json = "{\"image_a\": \"" + base64("people/Barack_Obama/fr_obama.jpg") + "\", \"image_b\": \"" + base64("odd/truncated_50pct.jpg") + "\"}";
        Map<?, ?> error = expectError(jsonRequest("POST", "/_plugins/_face/verify", json), 400);
        assertEquals("invalid_image_exception", error.get("type"));
        assertTrue(error.get("reason").toString(), error.get("reason").toString().startsWith("[image_b]: JPEG image is truncated"));
    }

    /**
     * Photos reserve their decoding memory in the plugin's own breaker, which the node lists with its other breakers
     * and whose limit is the standard dynamic breaker setting: a photo that needs more than the limit is a 400.
     */
    public void testDecodingMemoryIsReservedInTheFaceSearchBreaker() throws IOException {
        Map<?, ?> breaker = faceSearchBreaker();
        assertTrue(breaker.toString(), ((Number) breaker.get("limit_size_in_bytes")).longValue() > 0);
        assertEquals(breaker.toString(), 0, ((Number) breaker.get("estimated_size_in_bytes")).longValue());

        String photo = "{\"image\": \"" + base64("odd/fr_obama-1080p.jpg") + "\"}";
        call(jsonRequest("PUT", "/_cluster/settings", "{\"transient\": {\"breaker.face_search.limit\": \"1mb\"}}"));
        try {
            Map<?, ?> error = expectError(jsonRequest("POST", "/_plugins/_face/detect", photo), 400);
            assertEquals("invalid_image_exception", error.get("type"));
            assertTrue(error.get("reason").toString(), error.get("reason").toString().contains("[breaker.face_search.limit]"));
        } finally {
            call(jsonRequest("PUT", "/_cluster/settings", "{\"transient\": {\"breaker.face_search.limit\": null}}"));
        }
        assertEquals(1, call(jsonRequest("POST", "/_plugins/_face/detect", photo)).get("face_count"));
        assertEquals(0, ((Number) faceSearchBreaker().get("estimated_size_in_bytes")).longValue());
    }

    private Map<?, ?> faceSearchBreaker() throws IOException {
        Map<?, ?> nodes = (Map<?, ?>) call(new Request("GET", "/_nodes/stats/breaker")).get("nodes");
        Map<?, ?> node = (Map<?, ?>) nodes.values().iterator().next();
        Map<?, ?> breaker = (Map<?, ?>) ((Map<?, ?>) node.get("breakers")).get("face_search");
        assertNotNull("the face_search breaker is listed: " + node.get("breakers"), breaker);
        return breaker;
    }

    private void assertError(String json, String type, String reasonFragment) throws IOException {
        Map<?, ?> error = expectError(jsonRequest("POST", "/_plugins/_face/detect", json), 400);
        assertEquals(json, type, error.get("type"));
        assertTrue(error.get("reason").toString(), error.get("reason").toString().contains(reasonFragment));
    }

    private Map<String, Object> verify(String a, String b) throws IOException {
        Request request = new Request("POST", "/_plugins/_face/verify");
        request.setJsonEntity("{\"image_a\": \"" + base64(a) + "\", \"image_b\": \"" + base64(b) + "\"}");
        return call(request);
    }
}
