package io.facesearch.query;

import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The identify API and the {@code face_identity} search response processor on one node: the same answers from a
 * 1-shard and a 5-shard gallery.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class IdentifyTests extends IdentifyTestCase {

    public void testOneShardAndFiveShardsGiveTheSameAnswersByIdentifyAndBySearchPipeline() throws IOException {
        List<Entry> gallery = chosen().get("gallery");
        enrol("gallery_1", 1, gallery);
        enrol("gallery_5", 5, gallery);
        assertSameAnswersAndMostlyRight("gallery_1", "gallery_5");
    }

    public void testLabelsOnFacesVoteAsWellAsLabelsOnPhotos() throws IOException {
        call(jsonRequest("PUT", "/_plugins/_face/index/face_labels", "{\"processor\":{\"max_faces\":1}}"));
        // two photos of one person labelled per face (a group photo would label each face), one labelled on the photo
        String unit = "[1" + ",0".repeat(127) + "]";
        String near = "[0.99,0.141" + ",0".repeat(126) + "]";
        String bulk = "{\"index\":{\"_index\":\"face_labels\",\"_id\":\"a\"}}\n"
            + "{\"faces\":[{\"index\":0,\"identity\":\"ann\",\"embedding\":" + unit + "}]}\n"
            + "{\"index\":{\"_index\":\"face_labels\",\"_id\":\"b\"}}\n"
            + "{\"faces\":[{\"index\":0,\"identity\":\"ann\",\"embedding\":" + near + "}]}\n"
            + "{\"index\":{\"_index\":\"face_labels\",\"_id\":\"c\"}}\n"
            + "{\"identity\":\"bob\",\"faces\":[{\"index\":0,\"embedding\":[0,1" + ",0".repeat(126) + "]}]}\n";
        Map<String, Object> result = call(jsonRequest("POST", "/_bulk?refresh=true&pipeline=_none", bulk));
        assertEquals(result.toString(), false, result.get("errors"));
        Map<String, Object> ann = call(
            jsonRequest("POST", "/_plugins/_face/identify", "{\"index\":\"face_labels\",\"vector\":" + unit + ",\"k1\":2,\"k2\":3}")
        );
        assertEquals("ann", ann.get("identity"));
        assertEquals(2, ann.get("votes"));
        Map<String, Object> bob = call(
            jsonRequest("POST", "/_plugins/_face/identify", "{\"index\":\"face_labels\",\"vector\":[0,1" + ",0".repeat(126) + "],\"k1\":1,\"k2\":3}")
        );
        assertEquals("bob", bob.get("identity"));
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
