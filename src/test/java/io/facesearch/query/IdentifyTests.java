package io.facesearch.query;

import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The identify API on one node: the same answers from a 1-shard and a 5-shard gallery. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class IdentifyTests extends IdentifyTestCase {

    public void testOneShardAndFiveShardsGiveTheSameAnswers() throws IOException {
        List<Entry> gallery = chosen().get("gallery");
        enrol("gallery_1", 1, gallery);
        enrol("gallery_5", 5, gallery);
        assertSameAnswersAndMostlyRight("gallery_1", "gallery_5");
    }

    public void testUnknownPersonAndErrors() throws IOException {
        if (indexExists("gallery_small") == false) {
            enrol("gallery_small", 1, chosen().get("gallery").subList(0, 10));
        }
        // an identity not enrolled: every candidate is someone else, far below the threshold
        Map<String, Object> unknown = call(
            jsonRequest(
                "POST",
                "/_plugins/_face/identify",
                "{\"index\":\"gallery_small\",\"image\":\"" + base64("people/Barack_Obama/fr_obama.jpg") + "\",\"threshold\":0.3}"
            )
        );
        assertEquals("Unknown", unknown.get("identity"));
        assertEquals(false, unknown.get("known"));
        assertTrue(((List<?>) unknown.get("candidates")).size() > 0);

        Map<?, ?> noFace = expectError(
            jsonRequest("POST", "/_plugins/_face/identify", "{\"index\":\"gallery_small\",\"image\":\"" + base64("noface/skimage_coffee.png") + "\"}"),
            400
        );
        assertEquals("no_face_found_exception", noFace.get("type"));
        Map<?, ?> badK = expectError(
            jsonRequest("POST", "/_plugins/_face/identify", "{\"index\":\"gallery_small\",\"vector\":[1],\"k1\":5,\"k2\":2}"),
            400
        );
        assertTrue(badK.toString(), badK.toString().contains("1 <= k1 <= k2"));
        Map<?, ?> noIndex = expectError(
            jsonRequest("POST", "/_plugins/_face/identify", "{\"vector\":[1]}"),
            400
        );
        assertTrue(noIndex.toString(), noIndex.toString().contains("[index] is required"));
    }
}
