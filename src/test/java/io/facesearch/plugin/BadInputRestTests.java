package io.facesearch.plugin;

import io.facesearch.common.JsonValues;

import org.opensearch.client.Request;
import org.opensearch.client.ResponseException;
import org.opensearch.common.xcontent.XContentConstraints;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hostile client against every endpoint over real HTTP: each wrong type, null, NaN, fraction and out-of-range value
 * is answered 400 (413 for a string above the JSON limit) with the field named, never 500 and never a parser token.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class BadInputRestTests extends FaceSearchIntegTestCase {
    private static final String PHOTO = "\"" + base64("people/Barack_Obama/fr_obama.jpg") + "\"";

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, knnPlugin());
    }

    /** A body sent to an endpoint, and what its error must name. */
    private record Case(String method, String path, String body, String named) {}

    /** Sends every case and collects each one that is not a 400 naming its field in JSON terms: all failures at once. */
    private void assertBadRequests(List<Case> cases) throws IOException {
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Request request = jsonRequest(c.method(), c.path(), c.body());
            try {
                getRestClient().performRequest(request);
                failures.add(c + ": accepted");
            } catch (ResponseException e) {
                int status = e.getResponse().getStatusLine().getStatusCode();
                Map<?, ?> error = (Map<?, ?>) parse(e.getResponse()).get("error");
                String reason = String.valueOf(error.get("reason"));
                if (status != 400) {
                    failures.add(c + ": status " + status + " " + error);
                } else if (reason.contains(c.named()) == false) {
                    failures.add(c + ": reason [" + reason + "] does not name " + c.named());
                } else if (JsonValues.speaksJson(reason) == false) {
                    failures.add(c + ": reason [" + reason + "] names parser or Java internals");
                }
            }
        }
        assertTrue(failures.size() + " of " + cases.size() + " cases failed:\n" + String.join("\n", failures), failures.isEmpty());
    }

    /** A case for every JSON type but {@code accepted} as the value of {@code field} in an otherwise valid body. */
    private static void everyWrongType(List<Case> cases, String method, String path, String before, String field, String after, String... accepted) {
        nestedWrongTypes(cases, method, path, before, field, field, after, accepted);
    }

    /** The same for a field inside an object, which errors name by its path, {@code named}. */
    private static void nestedWrongTypes(
        List<Case> cases,
        String method,
        String path,
        String before,
        String field,
        String named,
        String after,
        String... accepted
    ) {
        for (Map.Entry<String, String> value : JsonValues.except(accepted).entrySet()) {
            cases.add(new Case(method, path, before + "\"" + field + "\":" + value.getKey() + after, "[" + named + "]"));
        }
    }

    public void testDetect() throws IOException {
        List<Case> cases = new ArrayList<>();
        String path = "/_plugins/_face/detect";
        everyWrongType(cases, "POST", path, "{", "image", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, "{\"image\":" + PHOTO + ",", "min_score", "}", JsonValues.FRACTION);
        everyWrongType(cases, "POST", path, "{\"image\":" + PHOTO + ",", "min_face_size", "}");
        everyWrongType(cases, "POST", path, "{\"image\":" + PHOTO + ",", "max_faces", "}");
        everyWrongType(cases, "POST", path, "{\"image\":" + PHOTO + ",", "include_embeddings", "}", JsonValues.BOOLEAN);
        for (String value : List.of("\"NaN\"", "\"0.5\"", "3", "-0.1", "1e400")) {
            cases.add(new Case("POST", path, "{\"image\":" + PHOTO + ",\"min_score\":" + value + "}", "[min_score]"));
        }
        cases.add(new Case("POST", path, "{\"image\":" + PHOTO + ",\"max_faces\":0}", "[max_faces] must be between 1 and 10000"));
        cases.add(new Case("POST", path, "{\"image\":" + PHOTO + ",\"min_face_size\":-1}", "[min_face_size] must be between 0 and 100000"));
        cases.add(new Case("POST", path, "{\"image\":\"AAAA*AAA\"}", "[image] is not valid base64: illegal character '*' at position 4"));
        cases.add(new Case("POST", path, "{\"image\":\"QQ=\"}", "[image] is not valid base64"));
        assertBadRequests(cases);

        Map<String, Object> found = call(jsonRequest("POST", path, "{\"image\":" + PHOTO + ",\"max_faces\":1.0,\"min_score\":0.5}"));
        assertEquals(1, found.get("face_count"));
    }

    public void testVerify() throws IOException {
        List<Case> cases = new ArrayList<>();
        String path = "/_plugins/_face/verify";
        String images = "{\"image_a\":" + PHOTO + ",\"image_b\":" + PHOTO + ",";
        everyWrongType(cases, "POST", path, "{\"image_b\":" + PHOTO + ",", "image_a", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, "{\"image_a\":" + PHOTO + ",", "image_b", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, images, "face_a", "}");
        everyWrongType(cases, "POST", path, images, "face_b", "}");
        everyWrongType(cases, "POST", path, images, "threshold", "}", JsonValues.FRACTION);
        everyWrongType(cases, "POST", path, images, "min_score", "}", JsonValues.FRACTION);
        cases.add(new Case("POST", path, images + "\"threshold\":7}", "[threshold] must be between -1 and 1, got 7"));
        cases.add(new Case("POST", path, images + "\"threshold\":\"NaN\"}", "[threshold] must be a number, got the string [NaN]"));
        cases.add(new Case("POST", path, images + "\"face_a\":-1}", "[face_a] must be >= 0"));
        assertBadRequests(cases);

        Map<String, Object> same = call(jsonRequest("POST", path, images + "\"threshold\":0.3,\"face_a\":0}"));
        assertEquals(true, same.get("same_person"));
    }

    public void testIdentify() throws IOException {
        List<Case> cases = new ArrayList<>();
        String path = "/_plugins/_face/identify";
        String vector = "{\"index\":\"gallery\",\"vector\":[1,0],";
        everyWrongType(cases, "POST", path, "{\"vector\":[1,0],", "index", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, "{\"index\":\"gallery\",", "image", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, "{\"index\":\"gallery\",", "vector", "}", JsonValues.ARRAY);
        everyWrongType(cases, "POST", path, vector, "k1", "}");
        everyWrongType(cases, "POST", path, vector, "k2", "}");
        everyWrongType(cases, "POST", path, vector, "threshold", "}", JsonValues.FRACTION);
        everyWrongType(cases, "POST", path, vector, "identity_field", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, vector, "field", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, vector, "filter", "}", JsonValues.OBJECT);
        cases.add(new Case("POST", path, vector + "\"k1\":0}", "[k1] must be between 1 and 10000"));
        cases.add(new Case("POST", path, vector + "\"k2\":10.5}", "[k2] must be an integer, got 10.5"));
        cases.add(new Case("POST", path, vector + "\"threshold\":2}", "[threshold] must be between -1 and 1"));
        cases.add(new Case("POST", path, "{\"index\":\"gallery\",\"vector\":[\"x\"]}", "[vector][0] must be a number"));
        cases.add(new Case("POST", path, "{\"index\":\"gallery\",\"vector\":[1e400]}", "[vector][0] must be a finite number"));
        String image = "{\"index\":\"gallery\",\"image\":\"AAAA\",";
        everyWrongType(cases, "POST", path, image, "faces", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, image, "max_faces", "}");
        cases.add(new Case("POST", path, image + "\"faces\":\"every\"}", "[faces] must be [main] or [all], got [every]"));
        cases.add(new Case("POST", path, image + "\"faces\":\"\"}", "[faces] must not be empty"));
        cases.add(new Case("POST", path, vector + "\"faces\":\"all\"}", "[faces] chooses faces of an [image]"));
        assertBadRequests(cases);
    }

    public void testErase() throws IOException {
        List<Case> cases = new ArrayList<>();
        String path = "/_plugins/_face/_erase";
        String identity = "{\"identity\":\"Ada\",";
        String vector = "{\"vector\":[1,0],";
        everyWrongType(cases, "POST", path, "{", "identity", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, "{", "person", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, "{", "image", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, "{", "vector", "}", JsonValues.ARRAY);
        everyWrongType(cases, "POST", path, identity, "identity_field", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, "{\"person\":\"p\",", "people_index", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, vector, "field", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, vector, "min_similarity", "}", JsonValues.FRACTION);
        everyWrongType(cases, "POST", path, identity, "scope", "}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, identity, "dry_run", "}", JsonValues.BOOLEAN);
        everyWrongType(cases, "POST", path, identity, "expunge", "}", JsonValues.BOOLEAN);
        cases.add(new Case("POST", path, vector + "\"min_similarity\":2}", "[min_similarity] must be between -1 and 1"));
        cases.add(new Case("POST", path, vector + "\"field\":\"faces.box\"}", "[field] must be [faces.embedding] or [faces.clip], got [faces.box]"));
        cases.add(new Case("POST", path, "{\"vector\":[\"x\"]}", "[vector][0] must be a number"));
        cases.add(new Case("POST", path, "{}", "exactly one of [identity], [person], [image] and [vector] is required, got none"));
        cases.add(new Case("POST", path, identity + "\"vector\":[1]}", "got [identity, vector]"));
        cases.add(new Case("POST", path, identity + "\"people_index\":\"p\"}", "[people_index] is only used with [person]"));
        assertBadRequests(cases);
    }

    public void testCreatePhotoIndex() throws IOException {
        List<Case> cases = new ArrayList<>();
        String path = "/_plugins/_face/index/refused";
        for (String option : List.of("field", "target_field", "photo_field", "clip_field", "embedder")) {
            everyWrongType(cases, "PUT", path, "{\"processor\":{\"clip\":true,", option, "}}", JsonValues.STRING);
        }
        for (String option : List.of("clip", "face_clip")) {
            everyWrongType(cases, "PUT", path, "{\"processor\":{", option, "}}", JsonValues.BOOLEAN);
        }
        // options the mapping does not depend on are checked when the pipeline is stored, before the index is made
        for (String option : List.of("ignore_missing", "remove_image")) {
            everyWrongType(cases, "PUT", path, "{\"processor\":{", option, "}}", JsonValues.BOOLEAN);
        }
        everyWrongType(cases, "PUT", path, "{\"processor\":{", "detector", "}}", JsonValues.STRING);
        everyWrongType(cases, "PUT", path, "{\"processor\":{", "min_score", "}}", JsonValues.FRACTION);
        everyWrongType(cases, "PUT", path, "{\"processor\":{", "min_face_size", "}}");
        everyWrongType(cases, "PUT", path, "{\"processor\":{", "max_faces", "}}");
        everyWrongType(cases, "PUT", path, "{", "pipeline", "}", JsonValues.STRING);
        everyWrongType(cases, "PUT", path, "{", "processor", "}", JsonValues.OBJECT);
        everyWrongType(cases, "PUT", path, "{", "settings", "}", JsonValues.OBJECT);
        cases.add(new Case("PUT", path, "{\"processor\":{\"min_score\":3}}", "[min_score] must be between 0 and 1"));
        cases.add(new Case("PUT", path, "{\"processor\":{\"min_score\":\"NaN\"}}", "[min_score] must be a number"));
        cases.add(new Case("PUT", path, "{\"processor\":{\"max_faces\":10.5}}", "[max_faces] must be an integer, got 10.5"));
        cases.add(new Case("PUT", path, "{\"processor\":{\"field\":\"\"}}", "[field] must not be empty"));
        cases.add(new Case("PUT", path, "{\"processor\":{\"colour\":1}}", "colour"));
        cases.add(new Case("PUT", path, "{\"settings\":{\"analysis\":[{\"a\":1}]}}", "[settings] must hold index settings"));
        cases.add(new Case("PUT", path, "{\"processor\":{\"embedder\":\"nope\"}}", "nope"));
        cases.add(new Case("PUT", path, "{\"processor\":{\"detector\":\"nope\"}}", "nope"));
        cases.add(new Case("PUT", path, "{\"processor\":{\"clip\":true}}", "CLIP is switched off on this node"));
        cases.add(new Case("PUT", path, "{\"colour\":1}", "unknown field [colour]"));
        cases.add(new Case("PUT", path, "[1, 2]", "request body must be a JSON object"));
        assertBadRequests(cases);
        assertFalse("a refused body creates no index", indexExists("refused"));
        expectError(new Request("GET", "/_ingest/pipeline/face-search-refused"), 404);

        Map<String, Object> created = call(jsonRequest("PUT", "/_plugins/_face/index/accepted", "{\"processor\":{\"max_faces\":3}}"));
        assertEquals(true, created.get("acknowledged"));
    }

    public void testQueries() throws IOException {
        call(new Request("PUT", "/_plugins/_face/index/photos"));
        List<Case> cases = new ArrayList<>();
        String path = "/photos/_search";
        String faceMatch = "{\"query\":{\"face_match\":{\"vector\":[1,0],";
        everyWrongType(cases, "POST", path, "{\"query\":{\"face_match\":{", "vector", "}}}", JsonValues.ARRAY);
        everyWrongType(cases, "POST", path, "{\"query\":{\"face_match\":{", "image", "}}}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, "{\"query\":{\"face_match\":{", "face", "}}}", JsonValues.OBJECT);
        nestedWrongTypes(cases, "POST", path, "{\"query\":{\"face_match\":{\"face\":{\"id\":\"1\",", "index", "face.index", "}}}}", JsonValues.STRING);
        nestedWrongTypes(cases, "POST", path, "{\"query\":{\"face_match\":{\"face\":{\"index\":\"photos\",", "id", "face.id", "}}}}", JsonValues.STRING);
        nestedWrongTypes(cases, "POST", path, "{\"query\":{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"1\",", "face", "face.face", "}}}}");
        everyWrongType(cases, "POST", path, faceMatch, "field", "}}}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, faceMatch, "k", "}}}");
        everyWrongType(cases, "POST", path, faceMatch, "min_similarity", "}}}", JsonValues.FRACTION);
        everyWrongType(cases, "POST", path, faceMatch, "filter", "}}}", JsonValues.OBJECT);
        everyWrongType(cases, "POST", path, faceMatch, "inner_hits", "}}}", JsonValues.OBJECT, JsonValues.BOOLEAN);
        nestedWrongTypes(cases, "POST", path, faceMatch + "\"inner_hits\":{", "name", "inner_hits.name", "}}}}", JsonValues.STRING);
        nestedWrongTypes(cases, "POST", path, faceMatch + "\"inner_hits\":{", "size", "inner_hits.size", "}}}}");
        everyWrongType(cases, "POST", path, faceMatch, "boost", "}}}", JsonValues.FRACTION);
        everyWrongType(cases, "POST", path, faceMatch, "_name", "}}}", JsonValues.STRING);
        cases.add(new Case("POST", path, faceMatch + "\"min_similarity\":\"NaN\"}}}", "[min_similarity] must be a number"));
        cases.add(new Case("POST", path, faceMatch + "\"k\":10.5}}}", "[k] must be an integer, got 10.5"));
        cases.add(new Case("POST", path, faceMatch + "\"boost\":-1}}}", "[boost] must be >= 0"));
        cases.add(new Case("POST", path, "{\"query\":{\"face_match\":{\"vector\":[1,null]}}}", "[vector][1] must be a number"));
        cases.add(new Case("POST", path, "{\"query\":{\"face_match\":{\"image\":\"AB*D\"}}}", "illegal character '*' at position 2"));

        String clipMatch = "{\"query\":{\"clip_match\":{\"vector\":[1,0],";
        everyWrongType(cases, "POST", path, "{\"query\":{\"clip_match\":{", "text", "}}}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, "{\"query\":{\"clip_match\":{", "image", "}}}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, "{\"query\":{\"clip_match\":{", "vector", "}}}", JsonValues.ARRAY);
        everyWrongType(cases, "POST", path, clipMatch, "field", "}}}", JsonValues.STRING);
        everyWrongType(cases, "POST", path, clipMatch, "k", "}}}");
        everyWrongType(cases, "POST", path, clipMatch, "min_similarity", "}}}", JsonValues.FRACTION);
        everyWrongType(cases, "POST", path, clipMatch, "filter", "}}}", JsonValues.OBJECT);
        everyWrongType(cases, "POST", path, clipMatch, "boost", "}}}", JsonValues.FRACTION);
        everyWrongType(cases, "POST", path, clipMatch, "_name", "}}}", JsonValues.STRING);
        cases.add(new Case("POST", path, clipMatch + "\"k\":\"10\"}}}", "[k] must be an integer, got the string [10]"));
        cases.add(new Case("POST", path, clipMatch + "\"min_similarity\":2}}}", "[min_similarity] must be between -1 and 1"));
        assertBadRequests(cases);

        Map<String, Object> found = call(jsonRequest("POST", path, "{\"query\":{\"face_match\":{\"vector\":" + unitVector(128) + ",\"k\":5.0}}}"));
        assertNotNull(found.get("hits"));
    }

    public void testIngestPipeline() throws IOException {
        List<Case> cases = new ArrayList<>();
        String path = "/_ingest/pipeline/refused";
        String face = "{\"processors\":[{\"face\":{";
        for (String option : List.of("field", "target_field", "photo_field", "clip_field", "detector", "embedder")) {
            everyWrongType(cases, "PUT", path, face, option, "}}]}", JsonValues.STRING);
        }
        for (String option : List.of("ignore_missing", "remove_image", "clip", "face_clip")) {
            everyWrongType(cases, "PUT", path, face, option, "}}]}", JsonValues.BOOLEAN);
        }
        everyWrongType(cases, "PUT", path, face, "min_score", "}}]}", JsonValues.FRACTION);
        everyWrongType(cases, "PUT", path, face, "min_face_size", "}}]}");
        everyWrongType(cases, "PUT", path, face, "max_faces", "}}]}");
        cases.add(new Case("PUT", path, face + "\"min_score\":\"0.5\"}}]}", "[min_score] must be a number, got the string [0.5]"));
        cases.add(new Case("PUT", path, face + "\"max_faces\":0}}]}", "[max_faces] must be between 1 and 10000"));
        assertBadRequests(cases);
        expectError(new Request("GET", path), 404);
    }

    public void testClusterSettings() throws IOException {
        List<Case> cases = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("face_search.detector.min_score", "3");
        refused.put("face_search.verify.threshold", "7");
        refused.put("face_search.identify.threshold", "2");
        refused.put("face_search.detector.min_face_size", "-1");
        refused.put("face_search.detector.max_faces", "0");
        for (Map.Entry<String, String> setting : refused.entrySet()) {
            cases.add(new Case("PUT", "/_cluster/settings", "{\"persistent\":{\"" + setting.getKey() + "\":" + setting.getValue() + "}}",
                "[" + setting.getKey() + "] must be between"));
        }
        cases.add(new Case("PUT", "/_cluster/settings", "{\"transient\":{\"face_search.verify.threshold\":\"NaN\"}}",
            "[face_search.verify.threshold] must be a finite number"));
        assertBadRequests(cases);

        call(jsonRequest("PUT", "/_cluster/settings", "{\"persistent\":{\"face_search.verify.threshold\":-1}}"));
        call(jsonRequest("PUT", "/_cluster/settings", "{\"persistent\":{\"face_search.verify.threshold\":null}}"));
    }

    /** The JSON parser's limits on numbers and nesting, crossed inside the plugin's bodies and queries, are 400s too. */
    public void testTheParsersOtherLimits() throws IOException {
        call(new Request("PUT", "/_plugins/_face/index/limits"));
        String longNumber = "1".repeat(1500);
        String deep = "[".repeat(1100) + "]".repeat(1100);
        String crosses = "crosses a limit of the JSON parser";
        assertBadRequests(List.of(
            new Case("POST", "/_plugins/_face/detect", "{\"image\":" + PHOTO + ",\"max_faces\":" + longNumber + "}", "[max_faces] " + crosses),
            new Case("POST", "/_plugins/_face/verify", "{\"face_a\":" + longNumber + "}", "[face_a] " + crosses),
            new Case("POST", "/_plugins/_face/identify", "{\"index\":\"limits\",\"vector\":[1],\"filter\":{\"terms\":{\"x\":" + deep + "}}}", crosses),
            new Case("PUT", "/_plugins/_face/index/deep", "{\"settings\":{\"a\":" + deep + "}}", crosses),
            new Case("POST", "/limits/_search", "{\"query\":{\"face_match\":{\"vector\":[1,0],\"k\":" + longNumber + "}}}", "[k] " + crosses),
            new Case("POST", "/limits/_search", "{\"query\":{\"clip_match\":{\"vector\":[1,0],\"filter\":{\"terms\":{\"x\":" + deep + "}}}}}", crosses)
        ));
    }

    /**
     * A filter nested a few hundred levels deep, under the parser's depth limit, can exhaust the network thread's
     * stack while it is parsed: where it does, the plugin's own filters answer 400 naming the filter, and whatever
     * the stack holds, each request gets a 400 and the node carries on.
     */
    public void testAFilterNestedTooDeepIsABadRequest() throws IOException {
        call(new Request("PUT", "/_plugins/_face/index/nested"));
        String filter = "{\"bool\":{\"filter\":".repeat(480) + "{\"match_all\":{}}" + "}}".repeat(480);
        List<String> failures = new ArrayList<>();
        int namedTheFilter = 0;
        for (Case c : List.of(
            new Case("POST", "/_plugins/_face/identify", "{\"index\":\"nested\",\"vector\":[1],\"filter\":" + filter + "}", "[filter]"),
            new Case("POST", "/nested/_search", "{\"query\":{\"face_match\":{\"vector\":[1,0],\"filter\":" + filter + "}}}", "[filter]"),
            new Case("POST", "/nested/_search", "{\"query\":{\"clip_match\":{\"vector\":[1,0],\"filter\":" + filter + "}}}", "[filter]")
        )) {
            ResponseException e = expectThrows(ResponseException.class, () -> getRestClient().performRequest(jsonRequest(c.method(), c.path(), c.body())));
            int status = e.getResponse().getStatusLine().getStatusCode();
            String reason = String.valueOf(((Map<?, ?>) parse(e.getResponse()).get("error")).get("reason"));
            if (status != 400) {
                failures.add(c.path() + ": status " + status + " " + reason);
            }
            if (reason.contains("[filter] is nested too deeply")) {
                namedTheFilter++;
            }
            assertEquals("the node answers after " + c.path(), "green", call(new Request("GET", "/_cluster/health")).get("status"));
        }
        assertTrue(String.join("\n", failures), failures.isEmpty());
        assertTrue("at this depth parsing overflows the stack at least once", namedTheFilter > 0);
    }

    /** Strings above the parser's limit: 413 naming the field and the limit, on the plugin's endpoints and in a search. */
    public void testAStringAboveTheJsonLimitIsTooLarge() throws IOException {
        call(new Request("PUT", "/_plugins/_face/index/big"));
        String huge = "\"" + "A".repeat(XContentConstraints.DEFAULT_MAX_STRING_LEN + 4) + "\"";
        String limit = "longer than " + XContentConstraints.DEFAULT_MAX_STRING_LEN + " characters";
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("/_plugins/_face/detect", "{\"image\":" + huge + "}");
        bodies.put("/big/_search", "{\"query\":{\"face_match\":{\"image\":" + huge + "}}}");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            Map<?, ?> error = expectError(jsonRequest("POST", body.getKey(), body.getValue()), 413);
            assertTrue(error.toString(), error.get("reason").toString().startsWith("[image] is " + limit));
        }
        Map<?, ?> error = expectError(jsonRequest("PUT", "/_plugins/_face/index/huge", "{\"processor\":{\"field\":" + huge + "}}"), 413);
        assertTrue(error.toString(), error.get("reason").toString().startsWith("[field] is " + limit));
    }

    private static String unitVector(int dimension) {
        StringBuilder vector = new StringBuilder("[1");
        for (int i = 1; i < dimension; i++) {
            vector.append(",0");
        }
        return vector.append("]").toString();
    }
}
