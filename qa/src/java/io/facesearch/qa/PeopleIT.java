package io.facesearch.qa;

import org.junit.AfterClass;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * People on the real node: the photos of Kit Harington and Rose Leslie and the photo of the two, clustered without
 * waiting (the result kept in {@code .tasks}), a person named, and the photos of each and of both found with
 * {@code face_match} by person.
 */
public class PeopleIT extends FaceSearchRestTestCase {
    private static final String INDEX = "people_it";
    private static final String[][] PHOTOS = {
        { "kit1", "people/Kit_Harington/fr_john1.jpeg" },
        { "kit2", "people/Kit_Harington/fr_john2.jpeg" },
        { "kit3", "people/Kit_Harington/fr_johnsnow_test1.jpg" },
        { "rose1", "people/Rose_Leslie/fr_img1.jpg" },
        { "rose2", "people/Rose_Leslie/fr_img2.jpg" },
        { "both", "group/fr_kit_with_rose.jpg" },
        { "obama", "people/Barack_Obama/fr_obama.jpg" } };

    @AfterClass
    public static void deleteIndices() throws IOException {
        call("DELETE", "/_plugins/_face/index/" + INDEX, null);
        call("DELETE", "/" + INDEX + "-people", null);
    }

    private static List<String> ids(Answer search) {
        return asListOfMaps(asMap(search.body().get("hits")).get("hits")).stream().map(hit -> (String) hit.get("_id")).toList();
    }

    public void testClusterNameAndFindThePhotosOfAPerson() throws IOException, InterruptedException {
        call("DELETE", "/_plugins/_face/index/" + INDEX, null);
        call("DELETE", "/" + INDEX + "-people", null);
        callOk("PUT", "/_plugins/_face/index/" + INDEX, null);
        StringBuilder bulk = new StringBuilder();
        for (String[] photo : PHOTOS) {
            bulk.append("{\"index\":{\"_index\":\"").append(INDEX).append("\",\"_id\":\"").append(photo[0]).append("\"}}\n");
            bulk.append("{\"image\":").append(jsonString(base64Photo(photo[1]))).append("}\n");
        }
        Answer indexed = callOk("POST", "/_bulk", bulk.toString(), "refresh", "true");
        assertEquals(abbreviate(indexed.body()), Boolean.FALSE, indexed.body().get("errors"));

        String task = (String) callOk("POST", "/_plugins/_face/people/" + INDEX + "/_cluster", "", "wait_for_completion", "false").body().get("task");
        assertNotNull(task);
        Map<String, Object> done = callOk("GET", "/_tasks/" + task, null, "wait_for_completion", "true", "timeout", "60s").body();
        log("task: " + abbreviate(done));
        assertEquals(Boolean.TRUE, done.get("completed"));
        assertEquals("done", asMap(asMap(done.get("task")).get("status")).get("step"));
        Map<String, Object> response = asMap(done.get("response"));
        assertEquals(INDEX + "-people", response.get("people_index"));
        assertTrue(abbreviate(response), asInt(response.get("persons")) >= 2);

        // the faces of each folder share a person, and the photo of the two holds both
        Map<String, Object> kitPhoto = asMap(callOk("GET", "/" + INDEX + "/_doc/kit1", null, "_source_includes", "faces.person").body().get("_source"));
        String kit = (String) asListOfMaps(kitPhoto.get("faces")).get(0).get("person");
        Map<String, Object> rosePhoto = asMap(callOk("GET", "/" + INDEX + "/_doc/rose1", null, "_source_includes", "faces.person").body().get("_source"));
        String rose = (String) asListOfMaps(rosePhoto.get("faces")).get(0).get("person");
        assertNotNull(kit);
        assertNotNull(rose);
        assertNotEquals(kit, rose);

        Answer named = callOk("POST", "/_plugins/_face/people/" + INDEX + "/" + rose + "/_name", "{\"name\":\"Rose\"}");
        assertEquals("Rose", asMap(named.body().get("person")).get("name"));
        Answer list = callOk("GET", "/_plugins/_face/people/" + INDEX, null);
        assertTrue(abbreviate(list.body()), asInt(list.body().get("total")) >= 2);

        assertEquals(
            new TreeSet<>(List.of("kit1", "kit2", "kit3", "both")),
            new TreeSet<>(ids(callOk("POST", "/" + INDEX + "/_search", "{\"query\":{\"face_match\":{\"person\":\"" + kit + "\"}}}")))
        );
        assertEquals(
            new TreeSet<>(List.of("rose1", "rose2", "both")),
            new TreeSet<>(ids(callOk("POST", "/" + INDEX + "/_search", "{\"query\":{\"face_match\":{\"person\":\"Rose\"}}}")))
        );
        assertEquals(
            List.of("both"),
            ids(
                callOk(
                    "POST",
                    "/" + INDEX + "/_search",
                    "{\"query\":{\"bool\":{\"must\":[{\"face_match\":{\"person\":\"" + kit + "\",\"_name\":\"kit\"}},"
                        + "{\"face_match\":{\"person\":\"Rose\",\"_name\":\"rose\"}}]}}}"
                )
            )
        );

        // a full run keeps the named person and finds the others again
        Answer again = callOk("POST", "/_plugins/_face/people/" + INDEX + "/_cluster", "{\"mode\":\"full\"}");
        assertEquals(abbreviate(again.body()), 0, asInt(again.body().get("persons_created")));
        Answer rosePerson = callOk("GET", "/_plugins/_face/people/" + INDEX + "/" + rose, null);
        assertEquals("Rose", asMap(rosePerson.body().get("person")).get("name"));
        assertEquals(3, asListOfMaps(rosePerson.body().get("faces")).size());
    }
}
