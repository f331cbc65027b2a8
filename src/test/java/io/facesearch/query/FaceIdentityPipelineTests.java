package io.facesearch.query;

import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The {@code face_identity} search response processor in stored search pipelines: its answer beside the hits, as
 * identify gives it for the same face; pipelines with bad options refused naming the option; searches it cannot
 * vote over refused, or passed through with {@code ignore_failure}.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class FaceIdentityPipelineTests extends IdentifyTestCase {
    private static final String ANN = "[1" + ",0".repeat(127) + "]";
    private static final String ANN_TOO = "[0.99,0.141" + ",0".repeat(126) + "]";
    private static final String BOB = "[0,1" + ",0".repeat(126) + "]";
    private static final String STRANGER = "[0,0,1" + ",0".repeat(125) + "]";

    /** Faces labelled on the face (ann) and on the photo (bob), written without the face pipeline. */
    private void indexLabelledFaces() throws IOException {
        if (indexExists("labels")) {
            return;
        }
        call(jsonRequest("PUT", "/_plugins/_face/index/labels", "{\"settings\":{\"number_of_shards\":2}}"));
        String bulk = "{\"index\":{\"_index\":\"labels\",\"_id\":\"a\"}}\n"
            + "{\"faces\":[{\"index\":0,\"embedding\":" + BOB + "},{\"index\":1,\"identity\":\"ann\",\"embedding\":" + ANN + "}]}\n"
            + "{\"index\":{\"_index\":\"labels\",\"_id\":\"b\"}}\n"
            + "{\"faces\":[{\"index\":0,\"identity\":\"ann\",\"embedding\":" + ANN_TOO + "}]}\n"
            + "{\"index\":{\"_index\":\"labels\",\"_id\":\"c\"}}\n"
            + "{\"identity\":\"bob\",\"faces\":[{\"index\":0,\"embedding\":" + BOB + "}]}\n";
        Map<String, Object> result = call(jsonRequest("POST", "/_bulk?refresh=true&pipeline=_none", bulk));
        assertEquals(result.toString(), false, result.get("errors"));
    }

    private Map<String, Object> search(String path, String body) throws IOException {
        return call(jsonRequest("POST", path, body));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> answer(Map<String, Object> response) {
        Map<String, Object> ext = (Map<String, Object>) response.get("ext");
        assertNotNull("no ext in " + response.keySet(), ext);
        return (Map<String, Object>) ext.get("face_identity");
    }

    public void testAnswersAsIdentifyForTheSameFace() throws IOException {
        indexLabelledFaces();
        call(
            jsonRequest(
                "PUT",
                "/_search/pipeline/who",
                "{\"description\":\"who is this?\",\"response_processors\":[{\"face_identity\":{\"tag\":\"vote\",\"k1\":2,\"k2\":3,\"threshold\":0.5}}]}"
            )
        );
        for (String vector : List.of(ANN, ANN_TOO, BOB, STRANGER)) {
            Map<String, Object> response = search(
                "/labels/_search?search_pipeline=who",
                "{\"query\":{\"face_match\":{\"vector\":" + vector + ",\"k\":3}}}"
            );
            Map<String, Object> answer = answer(response);
            Map<String, Object> identified = call(
                jsonRequest(
                    "POST",
                    "/_plugins/_face/identify",
                    "{\"index\":\"labels\",\"vector\":" + vector + ",\"k1\":2,\"k2\":3,\"threshold\":0.5}"
                )
            );
            for (String key : List.of("identity", "known", "votes", "window", "best_similarity", "mean_similarity", "leading_identity", "k1", "k2", "threshold", "candidates")) {
                assertEquals(vector.substring(0, 12) + " " + key, identified.get(key), answer.get(key));
            }
            // the hits are those of the search, untouched
            assertEquals(3, ((List<?>) ((Map<?, ?>) response.get("hits")).get("hits")).size());
        }
        assertEquals("ann", answer(search("/labels/_search?search_pipeline=who", "{\"query\":{\"face_match\":{\"vector\":" + ANN + "}}}")).get("identity"));
        assertEquals("bob", answer(search("/labels/_search?search_pipeline=who", "{\"query\":{\"face_match\":{\"vector\":" + BOB + "}}}")).get("identity"));
        assertEquals(
            "Unknown",
            answer(search("/labels/_search?search_pipeline=who", "{\"query\":{\"face_match\":{\"vector\":" + STRANGER + "}}}")).get("identity")
        );
    }

    public void testTheDefaultsAreIdentifysAndTheIndexDefaultPipelineWorks() throws IOException {
        indexLabelledFaces();
        call(jsonRequest("PUT", "/_search/pipeline/defaults", "{\"response_processors\":[{\"face_identity\":{}}]}"));
        call(jsonRequest("PUT", "/labels/_settings", "{\"index.search.default_pipeline\":\"defaults\"}"));
        try {
            Map<String, Object> answer = answer(
                search("/labels/_search", "{\"query\":{\"face_match\":{\"vector\":" + ANN + ",\"boost\":3}}}")
            );
            Map<String, Object> identified = call(jsonRequest("POST", "/_plugins/_face/identify", "{\"index\":\"labels\",\"vector\":" + ANN + "}"));
            assertEquals(List.of(3, 10), List.of(answer.get("k1"), answer.get("k2")));
            assertEquals(0.43, ((Number) answer.get("threshold")).doubleValue(), 1e-6);
            for (String key : List.of("identity", "votes", "window", "best_similarity", "mean_similarity", "threshold", "candidates")) {
                assertEquals(key, identified.get(key), answer.get(key));
            }
            // the node's threshold is read at each search
            call(jsonRequest("PUT", "/_cluster/settings", "{\"transient\":{\"face_search.identify.threshold\":0.999}}"));
            Map<String, Object> strict = answer(search("/labels/_search", "{\"query\":{\"face_match\":{\"vector\":" + ANN_TOO + "}}}"));
            assertEquals(0.999, ((Number) strict.get("threshold")).doubleValue(), 1e-6);
            assertEquals("ann", strict.get("leading_identity"));
            assertEquals("Unknown", strict.get("identity"));
        } finally {
            call(jsonRequest("PUT", "/_cluster/settings", "{\"transient\":{\"face_search.identify.threshold\":null}}"));
            call(jsonRequest("PUT", "/labels/_settings", "{\"index.search.default_pipeline\":null}"));
        }
    }

    public void testSearchesItCannotVoteOverAreRefusedOrPassedThrough() throws IOException {
        indexLabelledFaces();
        call(jsonRequest("PUT", "/_search/pipeline/strict", "{\"response_processors\":[{\"face_identity\":{\"k2\":3}}]}"));
        Map<?, ?> match = expectError(
            jsonRequest("POST", "/labels/_search?search_pipeline=strict", "{\"query\":{\"match_all\":{}}}"),
            400
        );
        assertEquals(match.toString(), "illegal_argument_exception", match.get("type"));
        assertTrue(match.toString(), match.toString().contains("[face_identity] votes over the photos a [face_match] query ranks, but the search's query is [match_all]"));
        Map<?, ?> size = expectError(
            jsonRequest("POST", "/labels/_search?search_pipeline=strict", "{\"size\":2,\"query\":{\"face_match\":{\"vector\":" + ANN + "}}}"),
            400
        );
        assertTrue(size.toString(), size.toString().contains("votes over the [k2] 3 nearest photos, but the search returns [size] 2; ask for at least 3"));

        call(jsonRequest("PUT", "/_search/pipeline/lenient", "{\"response_processors\":[{\"face_identity\":{\"k2\":3,\"ignore_failure\":true}}]}"));
        Map<String, Object> passed = search("/labels/_search?search_pipeline=lenient", "{\"query\":{\"match_all\":{}}}");
        assertFalse("no answer where no vote could be held: " + passed.keySet(), passed.containsKey("ext"));
        assertEquals(3, ((List<?>) ((Map<?, ?>) passed.get("hits")).get("hits")).size());

        Map<?, ?> ext = expectError(
            jsonRequest(
                "POST",
                "/labels/_search?search_pipeline=lenient",
                "{\"query\":{\"face_match\":{\"vector\":" + ANN + "}},\"ext\":{\"face_identity\":{\"k1\":1}}}"
            ),
            400
        );
        assertTrue(ext.toString(), ext.toString().contains("[ext] [face_identity] is the answer of the [face_identity] search response processor"));
    }

    public void testPipelinesWithBadOptionsAreRefusedNamingTheOption() throws IOException {
        Map<?, ?> k1 = expectError(jsonRequest("PUT", "/_search/pipeline/bad", "{\"response_processors\":[{\"face_identity\":{\"k1\":0}}]}"), 400);
        assertEquals("parse_exception", k1.get("type"));
        assertEquals("[k1] must be between 1 and 10000, got 0", k1.get("reason"));
        Map<?, ?> order = expectError(
            jsonRequest("PUT", "/_search/pipeline/bad", "{\"response_processors\":[{\"face_identity\":{\"k1\":4,\"k2\":2}}]}"),
            400
        );
        assertEquals("[k1] must not exceed [k2]: 1 <= k1 <= k2 <= 10000, got k1=4, k2=2", order.get("reason"));
        Map<?, ?> threshold = expectError(
            jsonRequest("PUT", "/_search/pipeline/bad", "{\"response_processors\":[{\"face_identity\":{\"threshold\":\"0.4\"}}]}"),
            400
        );
        assertEquals("[threshold] must be a number, got the string [0.4]", threshold.get("reason"));
        Map<?, ?> unknown = expectError(
            jsonRequest("PUT", "/_search/pipeline/bad", "{\"response_processors\":[{\"face_identity\":{\"k3\":4}}]}"),
            400
        );
        assertTrue(unknown.toString(), unknown.get("reason").toString().contains("[k3]"));
        Map<?, ?> asRequestProcessor = expectError(
            jsonRequest("PUT", "/_search/pipeline/bad", "{\"request_processors\":[{\"face_identity\":{}}]}"),
            400
        );
        assertTrue(asRequestProcessor.toString(), asRequestProcessor.toString().contains("face_identity"));
        expectError(new org.opensearch.client.Request("GET", "/_search/pipeline/bad"), 404);
    }
}
