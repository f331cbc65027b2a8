package io.facesearch.qa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * On the real node: identify with {@code "faces": "all"} names both people of a group photo, and a stored search
 * pipeline's {@code face_identity} processor answers a {@code face_match} search as identify answers for the photo.
 */
public class IdentifyGroupIT extends FaceSearchRestTestCase {
    private static final String INDEX = "identify_group_it";
    private static final String PIPELINE = "identify_group_it_who";
    private static final String GROUP = "group/fr_kit_with_rose.jpg";

    private void enrol() throws IOException {
        call("DELETE", "/_plugins/_face/index/" + INDEX, null);
        callOk("PUT", "/_plugins/_face/index/" + INDEX, "{\"settings\":{\"number_of_shards\":2}}");
        StringBuilder bulk = new StringBuilder();
        int id = 0;
        for (String identity : List.of("Kit_Harington", "Rose_Leslie", "Barack_Obama", "Tiger_Woods", "Nicole_Kidman")) {
            try (Stream<Path> photos = Files.list(facesDir().resolve("people").resolve(identity))) {
                for (Path photo : photos.sorted().toList()) {
                    bulk.append("{\"index\":{\"_index\":\"").append(INDEX).append("\",\"_id\":\"").append(id++).append("\"}}\n");
                    bulk.append("{\"image\":\"").append(base64Photo("people/" + identity + "/" + photo.getFileName()));
                    bulk.append("\",\"identity\":\"").append(identity).append("\"}\n");
                }
            }
        }
        Answer answer = callOk("POST", "/_bulk", bulk.toString(), "refresh", "true");
        assertEquals(abbreviate(answer.body()), Boolean.FALSE, answer.body().get("errors"));
    }

    public void testEveryFaceAndTheSearchPipeline() throws IOException {
        enrol();
        try {
            String image = jsonString(base64Photo(GROUP));
            Map<String, Object> every = callOk(
                "POST",
                "/_plugins/_face/identify",
                "{\"index\":\"" + INDEX + "\",\"image\":" + image + ",\"faces\":\"all\"}"
            ).body();
            List<Object> identities = new ArrayList<>();
            for (Map<String, Object> face : asListOfMaps(every.get("faces"))) {
                identities.add(face.get("identity"));
            }
            log(GROUP + ": " + identities);
            assertEquals(abbreviate(every), List.of("Kit_Harington", "Rose_Leslie"), identities.stream().sorted().toList());

            callOk("PUT", "/_search/pipeline/" + PIPELINE, "{\"response_processors\":[{\"face_identity\":{}}]}");
            Map<String, Object> main = callOk("POST", "/_plugins/_face/identify", "{\"index\":\"" + INDEX + "\",\"image\":" + image + "}").body();
            Map<String, Object> searched = callOk(
                "POST",
                "/" + INDEX + "/_search",
                "{\"query\":{\"face_match\":{\"image\":" + image + "}}}",
                "search_pipeline",
                PIPELINE
            ).body();
            Map<String, Object> answer = asMap(asMap(searched.get("ext")).get("face_identity"));
            for (String key : List.of("identity", "known", "votes", "window", "best_similarity", "mean_similarity", "threshold", "candidates")) {
                assertEquals(key, main.get(key), answer.get(key));
            }
            assertTrue(abbreviate(main), identities.contains(main.get("identity")));

            Answer refused = call(
                "POST",
                "/" + INDEX + "/_search",
                "{\"size\":3,\"query\":{\"face_match\":{\"image\":" + image + "}}}",
                "search_pipeline",
                PIPELINE
            );
            assertEquals(abbreviate(refused.body()), 400, refused.status());
            assertTrue(refused.errorReason(), refused.errorReason().contains("the search returns [size] 3; ask for at least 10"));
        } finally {
            call("DELETE", "/_search/pipeline/" + PIPELINE, null);
            callOk("DELETE", "/_plugins/_face/index/" + INDEX, null);
        }
    }
}
