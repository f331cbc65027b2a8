package io.facesearch.qa;

import io.facesearch.qa.bench.IngestCorpus;

import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.rest.OpenSearchRestTestCase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;

/**
 * Base of the real-node tests ({@code *IT}): the node is started by {@code qa/node start} before failsafe runs and its
 * address is {@code tests.rest.cluster}; the shared photo folder is {@code face_search.faces.dir}.
 */
public abstract class FaceSearchRestTestCase extends OpenSearchRestTestCase {

    /** Of the default embedder, mobilefacenet_ms1mv3. */
    protected static final int EMBEDDING_DIMENSION = 128;

    /** The whole reason for a photo of 0 bytes, before the prefix that says where the photo was. */
    protected static final String EMPTY_IMAGE_REASON = "image is empty (0 bytes)";

    /**
     * The broken files of {@code <faces>/odd}, each with its reason: the whole reason for the empty file, a fragment of it
     * for the others. Wherever such a file is sent it must be refused with 400 {@code invalid_image_exception}, the reason
     * prefixed with where the photo was: {@code [image]: } (detect), {@code [image_a]: } / {@code [image_b]: } (verify),
     * {@code field [image]: } (ingest).
     */
    protected static final Map<String, String> BROKEN_ODD_FILES = Map.of(
        "odd/zero_bytes.jpg", EMPTY_IMAGE_REASON,
        "odd/not_an_image.jpg", "not a supported image",
        "odd/truncated_header_only.jpg", "truncated",
        "odd/skimage_truncated.jpg", "truncated",
        "odd/truncated_50pct.jpg", "truncated"
    );

    /**
     * What is wrong with the outcome of sending one of {@link #BROKEN_ODD_FILES}, or null when it is right: 400
     * {@code invalid_image_exception} with the reason {@code prefix} + the file's reason (exactly, for the empty file).
     */
    protected static String brokenFileProblem(String file, String prefix, int status, String errorType, String reason) {
        String expected = BROKEN_ODD_FILES.get(file);
        assertNotNull(file + " is not one of the broken files " + BROKEN_ODD_FILES.keySet(), expected);
        String got = status + " " + errorType + ": " + reason;
        if (status != 400 || "invalid_image_exception".equals(errorType) == false) {
            return file + ": expected 400 invalid_image_exception, got " + got;
        }
        if (reason == null || reason.startsWith(prefix) == false) {
            return file + ": the reason should start with [" + prefix + "], got " + got;
        }
        String detail = reason.substring(prefix.length());
        boolean whole = expected.equals(EMPTY_IMAGE_REASON);
        if (whole ? detail.equals(expected) == false : detail.contains(expected) == false) {
            return file + ": the reason should be [" + prefix + "] followed by " + (whole ? "" : "a text containing ") + "[" + expected
                + "], got " + got;
        }
        return null;
    }

    /** The node is shared by every IT class and is stopped by Maven afterwards; each class removes what it creates itself. */
    @Override
    protected boolean preserveClusterUponCompletion() {
        return true;
    }

    @Override
    protected boolean preserveIndicesUponCompletion() {
        return true;
    }

    @Override
    protected boolean preserveTemplatesUponCompletion() {
        return true;
    }

    @Override
    protected boolean preserveClusterSettings() {
        return true;
    }

    /** How long the client waits for one answer, as a time value ("180s"); null keeps the client's default of 60 s. */
    protected String clientSocketTimeout() {
        return null;
    }

    @Override
    protected Settings restClientSettings() {
        Settings.Builder settings = Settings.builder().put(super.restClientSettings());
        if (clientSocketTimeout() != null) {
            settings.put(CLIENT_SOCKET_TIMEOUT, clientSocketTimeout());
        }
        return settings.build();
    }

    // --- photos ------------------------------------------------------------------------------------------------

    protected static Path facesDir() {
        String dir = System.getProperty("face_search.faces.dir");
        assertNotNull("system property face_search.faces.dir (the shared photo folder) is not set", dir);
        Path path = Paths.get(dir);
        assertTrue("photo folder " + path + " does not exist", Files.isDirectory(path));
        return path;
    }

    protected static String base64Photo(String relativePath) throws IOException {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(facesDir().resolve(relativePath)));
    }

    /** A JSON string literal (the strings here are base64, paths and plain names, but quote properly anyway). */
    protected static String jsonString(String s) {
        return IngestCorpus.jsonString(s);
    }

    // --- requests ----------------------------------------------------------------------------------------------

    /** Status and parsed body of a request, whatever the status (an empty map when the answer has no body). */
    protected record Answer(int status, Map<String, Object> body) {
        public Map<String, Object> error() {
            return asMap(body.get("error"));
        }

        public String errorType() {
            return error() == null ? null : String.valueOf(error().get("type"));
        }

        public String errorReason() {
            return error() == null ? null : String.valueOf(error().get("reason"));
        }
    }

    /** Sends a request and returns its answer, whatever the status; {@code params} are name, value, name, value... */
    protected static Answer call(String method, String endpoint, String jsonBody, String... params) throws IOException {
        Request request = new Request(method, endpoint);
        for (int i = 0; i + 1 < params.length; i += 2) {
            request.addParameter(params[i], params[i + 1]);
        }
        if (jsonBody != null) {
            request.setJsonEntity(jsonBody);
        }
        Response response;
        try {
            response = client().performRequest(request);
        } catch (ResponseException e) {
            response = e.getResponse();
        }
        int status = response.getStatusLine().getStatusCode();
        Map<String, Object> body = response.getEntity() == null || "HEAD".equals(method) ? Map.of() : entityAsMap(response);
        return new Answer(status, body);
    }

    /**
     * {@link #call}, asserting the answer is 200 or 201. A 429 (memory short right now, on a 1 GB node that holds the
     * garbage of a long ingest) is retried after a pause, as clients are told to.
     */
    protected static Answer callOk(String method, String endpoint, String jsonBody, String... params) throws IOException {
        Answer answer = call(method, endpoint, jsonBody, params);
        for (int attempt = 1; answer.status() == 429 && attempt < 5; attempt++) {
            try {
                Thread.sleep(1000L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            answer = call(method, endpoint, jsonBody, params);
        }
        return assertOk(method + " " + endpoint, answer);
    }

    /** Asserts the answer is 200 or 201 and returns it; {@code what} names the request in the failure message. */
    protected static Answer assertOk(String what, Answer answer) {
        assertThat(what + ": " + abbreviate(answer.body()), answer.status(), is(oneOf(200, 201)));
        return answer;
    }

    /** The models of the node the tests talk to, as {@code GET _plugins/_face/_local/models} reports them under its id. */
    protected static Map<String, Object> localModels() throws IOException {
        Answer answer = callOk("GET", "/_plugins/_face/_local/models", null);
        Map<String, Object> nodes = asMap(answer.body().get("nodes"));
        assertEquals("one node answers: " + answer.body(), 1, nodes.size());
        return asMap(nodes.values().iterator().next());
    }

    protected static Answer detect(String relativePath) throws IOException {
        return call("POST", "/_plugins/_face/detect", "{\"image\":" + jsonString(base64Photo(relativePath)) + "}");
    }

    /**
     * Waits for the cluster to be yellow or green (60 s at most), asserts it is, and returns the health; {@code when}
     * names the moment in the failure message.
     */
    protected static Map<String, Object> assertHealthy(String when) throws IOException {
        Answer health = call("GET", "/_cluster/health", null, "wait_for_status", "yellow", "timeout", "60s");
        String what = "cluster health " + when + ": " + health.body();
        assertEquals(what, 200, health.status());
        assertThat(what, String.valueOf(health.body().get("status")), is(oneOf("green", "yellow")));
        assertEquals(what, Boolean.FALSE, health.body().get("timed_out"));
        return health.body();
    }

    // --- reading answers ---------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    protected static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    protected static List<Map<String, Object>> asListOfMaps(Object o) {
        return (List<Map<String, Object>>) o;
    }

    protected static double asDouble(Object o) {
        return ((Number) o).doubleValue();
    }

    protected static int asInt(Object o) {
        return ((Number) o).intValue();
    }

    protected static long asLong(Object o) {
        return ((Number) o).longValue();
    }

    protected static double l2Norm(List<?> vector) {
        double sum = 0;
        for (Object v : vector) {
            sum += asDouble(v) * asDouble(v);
        }
        return Math.sqrt(sum);
    }

    /** Failure messages would otherwise carry whole base64 photos and hit lists. */
    protected static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
    }

    protected void log(String message) {
        System.out.println("[" + getClass().getSimpleName() + "] " + message);
    }
}
