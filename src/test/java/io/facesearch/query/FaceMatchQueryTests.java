package io.facesearch.query;

import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.plugin.FaceSearchPlugin;

import org.opensearch.client.Request;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The face_match query on an in-JVM node with the real k-NN plugin and real photos. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class FaceMatchQueryTests extends FaceSearchIntegTestCase {
    private static final String[][] PHOTOS = {
        { "obama", "people/Barack_Obama/fr_obama.jpg", "speech in washington" },
        { "obama2", "people/Barack_Obama/fr_obama2.jpg", "wedding of a friend" },
        { "obama3", "people/Barack_Obama/fr_obama3.jpg", "beach holiday" },
        { "kit", "people/Kit_Harington/fr_john1.jpeg", "wedding on the beach" },
        { "rose", "people/Rose_Leslie/fr_img1.jpg", "wedding on the beach" },
        { "group", "group/insightface_t1.jpg", "office party" },
        { "coffee", "noface/skimage_coffee.png", "a cup of coffee" } };

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, knnPlugin());
    }

    private void indexPhotos() throws IOException {
        if (indexExists("photos")) {
            return;
        }
        call(new Request("PUT", "/_plugins/_face/index/photos"));
        StringBuilder bulk = new StringBuilder();
        for (String[] photo : PHOTOS) {
            bulk.append("{\"index\":{\"_index\":\"photos\",\"_id\":\"").append(photo[0]).append("\"}}\n");
            bulk.append("{\"image\":\"").append(base64(photo[1])).append("\",\"caption\":\"").append(photo[2]).append("\"}\n");
        }
        Map<String, Object> result = call(jsonRequest("POST", "/_bulk?refresh=true", bulk.toString()));
        assertEquals(result.toString(), false, result.get("errors"));
    }

    private List<String> ids(Map<String, Object> response) {
        List<String> ids = new ArrayList<>();
        for (Object hit : (List<?>) ((Map<?, ?>) response.get("hits")).get("hits")) {
            ids.add(((Map<?, ?>) hit).get("_id").toString());
        }
        return ids;
    }

    private Map<String, Object> search(String query) throws IOException {
        return call(jsonRequest("POST", "/photos/_search", "{\"_source\":[\"caption\"],\"query\":" + query + "}"));
    }

    public void testByImageFindsThePersonsPhotosFirstWithTheMatchingFace() throws IOException {
        indexPhotos();
        Map<String, Object> response = search("{\"face_match\":{\"image\":\"" + base64("people/Barack_Obama/fr_obama1.jpg") + "\",\"k\":5}}");
        List<String> ids = ids(response);
        assertEquals(ids.toString(), List.of("obama", "obama2", "obama3"), new ArrayList<>(ids.subList(0, 3)).stream().sorted().toList());
        Map<?, ?> first = (Map<?, ?>) ((List<?>) ((Map<?, ?>) response.get("hits")).get("hits")).get(0);
        Map<?, ?> innerHits = (Map<?, ?>) ((Map<?, ?>) first.get("inner_hits")).get("face_match");
        Map<?, ?> face = (Map<?, ?>) ((List<?>) ((Map<?, ?>) innerHits.get("hits")).get("hits")).get(0);
        Map<?, ?> faceSource = (Map<?, ?>) face.get("_source");
        assertNotNull("the matching face's box is shown", faceSource.get("box"));
        assertNull("vectors are not returned", faceSource.get("embedding"));
        assertEquals(0, ((Map<?, ?>) face.get("_nested")).get("offset"));
    }

    public void testByReferenceAndByVectorGiveTheSameRanking() throws IOException {
        indexPhotos();
        Map<String, Object> byReference = search("{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"obama2\",\"face\":0},\"k\":5}}");
        assertEquals("obama2", ids(byReference).get(0));
        Map<?, ?> doc = (Map<?, ?>) call(new Request("GET", "/photos/_doc/obama2?_source=true")).get("_source");
        Object vector = ((Map<?, ?>) ((List<?>) doc.get("faces")).get(0)).get("embedding");
        Map<String, Object> byVector = search("{\"face_match\":{\"vector\":" + vector + ",\"k\":5}}");
        assertEquals(ids(byReference), ids(byVector));
    }

    public void testMinSimilarityKeepsOnlyThePerson() throws IOException {
        indexPhotos();
        Map<String, Object> response = search(
            "{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"obama\"},\"k\":10,\"min_similarity\":0.5}}"
        );
        assertEquals(List.of("obama", "obama2", "obama3"), ids(response).stream().sorted().toList());
    }

    public void testComposesWithTextFiltersCountAndExplain() throws IOException {
        indexPhotos();
        String faceMatch = "{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"obama\"},\"k\":10,\"min_similarity\":0.5}}";
        Map<String, Object> bool = search("{\"bool\":{\"must\":[" + faceMatch + ",{\"match\":{\"caption\":\"wedding\"}}]}}");
        assertEquals(List.of("obama2"), ids(bool));

        Map<String, Object> count = call(jsonRequest("POST", "/photos/_count", "{\"query\":" + faceMatch + "}"));
        assertEquals(3, count.get("count"));

        Map<String, Object> explained = call(jsonRequest("POST", "/photos/_search", "{\"explain\":true,\"size\":1,\"query\":" + faceMatch + "}"));
        Map<?, ?> hit = (Map<?, ?>) ((List<?>) ((Map<?, ?>) explained.get("hits")).get("hits")).get(0);
        assertNotNull(hit.get("_explanation"));

        Map<String, Object> paged = call(
            jsonRequest("POST", "/photos/_search", "{\"from\":1,\"size\":1,\"query\":" + faceMatch + "}")
        );
        assertEquals(1, ids(paged).size());
    }

    public void testFilterRunsOnThePhotosDuringTheSearch() throws IOException {
        indexPhotos();
        // the nearest photo to Obama's face is his own, captioned "speech"; with k = 1 a filter applied after the
        // search would leave nothing, a filter applied during it finds the nearest photo captioned "beach"
        Map<String, Object> response = search(
            "{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"obama\"},\"k\":1,"
                + "\"filter\":{\"match\":{\"caption\":\"beach\"}}}}"
        );
        assertEquals(List.of("obama3"), ids(response));
    }

    public void testInsideFunctionScore() throws IOException {
        indexPhotos();
        String faceMatch = "{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"obama\"},\"k\":10,\"min_similarity\":0.5}}";
        Map<String, Object> plain = search(faceMatch);
        Map<String, Object> weighted = search(
            "{\"function_score\":{\"query\":" + faceMatch + ",\"functions\":[{\"weight\":2}],\"boost_mode\":\"multiply\"}}"
        );
        assertEquals(ids(plain), ids(weighted));
        float plainScore = ((Number) ((Map<?, ?>) plain.get("hits")).get("max_score")).floatValue();
        float weightedScore = ((Number) ((Map<?, ?>) weighted.get("hits")).get("max_score")).floatValue();
        assertEquals(2 * plainScore, weightedScore, 1e-4);
    }

    public void testBadQueriesAreClearErrors() throws IOException {
        indexPhotos();
        Map<?, ?> noFace = expectError(
            jsonRequest("POST", "/photos/_search", "{\"query\":{\"face_match\":{\"image\":\"" + base64("noface/skimage_coffee.png") + "\"}}}"),
            400
        );
        assertTrue(noFace.toString(), noFace.toString().contains("no face found in the [face_match] [image]"));
        Map<?, ?> missing = expectError(
            jsonRequest("POST", "/photos/_search", "{\"query\":{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"nope\"}}}}"),
            404
        );
        assertTrue(missing.toString(), missing.toString().contains("document [nope] not found in index [photos]"));
        Map<?, ?> twoInputs = expectError(
            jsonRequest("POST", "/photos/_search", "{\"query\":{\"face_match\":{\"vector\":[1,0],\"face\":{\"index\":\"photos\",\"id\":\"obama\"}}}}"),
            400
        );
        assertTrue(twoInputs.toString(), twoInputs.toString().contains("exactly one of [vector], [image] and [face]"));
        Map<?, ?> faceOutOfRange = expectError(
            jsonRequest("POST", "/photos/_search", "{\"query\":{\"face_match\":{\"face\":{\"index\":\"photos\",\"id\":\"obama\",\"face\":4}}}}"),
            400
        );
        assertTrue(faceOutOfRange.toString(), faceOutOfRange.toString().contains("face 4 does not exist"));
    }
}
