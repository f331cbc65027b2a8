package io.facesearch.people;

import org.opensearch.client.Request;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The edits of persons on one node, on the photos of twelve people with at least four photos each: naming, rejecting,
 * splitting and merging, and what later clustering runs keep of them.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class PeopleEditTests extends PeopleTestCase {
    private static final String PEOPLE = "/_plugins/_face/people/edits";

    private Map<String, Object> person(String id) throws IOException {
        return call(new Request("GET", PEOPLE + "/" + id + "?size=100"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> faces(Map<String, Object> shown) {
        return (List<Map<String, Object>>) shown.get("faces");
    }

    private static String faceJson(Map<String, Object> face) {
        return "{\"index\":\"" + face.get("index") + "\",\"id\":\"" + face.get("id") + "\",\"face\":" + face.get("face") + "}";
    }

    @SuppressWarnings("unchecked")
    public void testEditsAreKeptByLaterRuns() throws IOException {
        createPhotoIndex("edits", 1);
        ingest("edits", peopleWithFourPhotos(12));
        cluster("edits", "");

        Map<String, Object> list = call(new Request("GET", PEOPLE + "?size=5"));
        assertEquals("edits-people", list.get("people_index"));
        List<Map<String, Object>> persons = (List<Map<String, Object>>) list.get("persons");
        assertEquals(5, persons.size());
        assertTrue(((Number) list.get("total")).intValue() >= 12);
        for (int i = 1; i < persons.size(); i++) {
            assertTrue((Integer) persons.get(i - 1).get("face_count") >= (Integer) persons.get(i).get("face_count"));
        }
        assertNull("no centroid in an answer", persons.get(0).get("centroid"));
        String ada = (String) persons.get(0).get("id");
        String bob = (String) persons.get(1).get("id");

        // a person and its faces
        Map<String, Object> shown = person(ada);
        int adaFaces = (Integer) ((Map<String, Object>) shown.get("person")).get("face_count");
        assertEquals(adaFaces, faces(shown).size());
        assertTrue(adaFaces >= 4);

        // naming; a name belongs to one person
        Map<String, Object> named = call(jsonRequest("POST", PEOPLE + "/" + ada + "/_name", "{\"name\":\"Ada\"}"));
        assertEquals("Ada", ((Map<?, ?>) named.get("person")).get("name"));
        assertEquals(true, ((Map<?, ?>) named.get("person")).get("named"));
        String taken = expectError(jsonRequest("POST", PEOPLE + "/" + bob + "/_name", "{\"name\":\"Ada\"}"), 400).get("reason").toString();
        assertTrue(taken, taken.contains("is already the name of person [" + ada + "]"));

        // "not this person"
        Map<String, Object> rejectedFace = faces(shown).get(0);
        Map<String, Object> rejected = call(
            jsonRequest("POST", PEOPLE + "/" + ada + "/_reject", "{\"faces\":[" + faceJson(rejectedFace) + "]}")
        );
        assertEquals(1, rejected.get("faces_rejected"));
        assertEquals(adaFaces - 1, ((Map<?, ?>) rejected.get("person")).get("face_count"));
        Map<?, ?> stored = storedFace(rejectedFace);
        assertNull(stored.get("person"));
        assertEquals(List.of(ada), stored.get("not_persons"));

        // a face split off into a new person, then merged back
        Map<String, Object> movedFace = faces(shown).get(1);
        Map<String, Object> split = call(jsonRequest("POST", PEOPLE + "/" + ada + "/_split", "{\"faces\":[" + faceJson(movedFace) + "],\"into\":null}"));
        Map<?, ?> newPerson = (Map<?, ?>) split.get("into");
        String carl = (String) newPerson.get("id");
        assertEquals(1, newPerson.get("face_count"));
        assertEquals(true, newPerson.get("edited"));
        assertEquals(adaFaces - 2, ((Map<?, ?>) split.get("person")).get("face_count"));
        assertEquals(carl, storedFace(movedFace).get("person"));
        Map<String, Object> merged = call(jsonRequest("POST", PEOPLE + "/_merge", "{\"persons\":[\"" + carl + "\",\"" + ada + "\"],\"into\":\"" + ada + "\"}"));
        assertEquals(List.of(carl), merged.get("merged"));
        assertEquals("Ada", ((Map<?, ?>) merged.get("person")).get("name"));
        assertEquals(adaFaces - 1, ((Map<?, ?>) merged.get("person")).get("face_count"));
        assertEquals(ada, storedFace(movedFace).get("person"));
        expectError(new Request("GET", PEOPLE + "/" + carl), 404);

        // a split into an existing person, which then is edited: later runs keep it as it is
        Map<String, Object> bobShown = person(bob);
        Map<String, Object> bobFace = faces(bobShown).get(0);
        call(jsonRequest("POST", PEOPLE + "/" + bob + "/_split", "{\"faces\":[" + faceJson(bobFace) + "],\"into\":\"" + ada + "\"}"));
        assertEquals(ada, storedFace(bobFace).get("person"));

        Map<String, String> beforeRuns = personsOfFaces("edits");
        for (String mode : List.of("incremental", "full")) {
            Map<String, Object> run = cluster("edits", "{\"mode\":\"" + mode + "\"}");
            Map<String, String> after = personsOfFaces("edits");
            for (Map.Entry<String, String> face : beforeRuns.entrySet()) {
                if (ada.equals(face.getValue()) || bob.equals(face.getValue())) {
                    assertEquals(mode + " run " + run + " moved " + face.getKey(), face.getValue(), after.get(face.getKey()));
                }
            }
            assertNotEquals(mode + ": a rejected face never comes back", ada, after.get(face((String) rejectedFace.get("id"), (Integer) rejectedFace.get("face"))));
            Map<?, ?> adaNow = (Map<?, ?>) person(ada).get("person");
            assertEquals("Ada", adaNow.get("name"));
            assertEquals(true, adaNow.get("named"));
        }
    }

    public void testEditsAreRefusedClearly() throws IOException {
        createPhotoIndex("edits", 1);
        expectError(new Request("GET", PEOPLE), 404);
        ingest("edits", peopleWithFourPhotos(12).subList(0, 8));
        cluster("edits", "");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> persons = (List<Map<String, Object>>) call(new Request("GET", PEOPLE)).get("persons");
        String first = (String) persons.get(0).get("id");
        String second = (String) persons.get(1).get("id");
        Map<String, Object> secondFace = faces(person(second)).get(0);

        String notHis = expectError(jsonRequest("POST", PEOPLE + "/" + first + "/_reject", "{\"faces\":[" + faceJson(secondFace) + "]}"), 400)
            .get("reason")
            .toString();
        assertTrue(notHis, notHis.contains("[faces] must be faces of person [" + first + "]; 1 are not: face"));
        expectError(new Request("GET", PEOPLE + "/nobody"), 404);
        expectError(jsonRequest("POST", PEOPLE + "/nobody/_name", "{\"name\":\"X\"}"), 404);
        expectError(jsonRequest("POST", PEOPLE + "/_merge", "{\"persons\":[\"" + first + "\",\"nobody\"]}"), 404);
        String alone = expectError(jsonRequest("POST", PEOPLE + "/_merge", "{\"persons\":[\"" + first + "\"]}"), 400).get("reason").toString();
        assertTrue(alone, alone.contains("must name at least one person besides [into]"));
        String unknown = expectError(jsonRequest("POST", PEOPLE + "/" + first + "/_name", "{\"nom\":\"X\"}"), 400).get("reason").toString();
        assertTrue(unknown, unknown.contains("nom"));
        String noFaces = expectError(jsonRequest("POST", PEOPLE + "/" + first + "/_split", "{\"faces\":[]}"), 400).get("reason").toString();
        assertEquals("[faces] must name at least one face", noFaces);
        String badFace = expectError(jsonRequest("POST", PEOPLE + "/" + first + "/_reject", "{\"faces\":[{\"index\":\"edits\",\"id\":\"x\",\"face\":-1}]}"), 400)
            .get("reason")
            .toString();
        assertTrue(badFace, badFace.startsWith("[faces][0].[face] must be"));
        String self = expectError(jsonRequest("POST", PEOPLE + "/" + first + "/_split", "{\"faces\":[" + faceJson(secondFace) + "],\"into\":\"" + first + "\"}"), 400)
            .get("reason")
            .toString();
        assertTrue(self, self.contains("[into] must be another person"));
        String size = expectError(new Request("GET", PEOPLE + "?size=20000"), 400).get("reason").toString();
        assertTrue(size, size.startsWith("[size] must be"));
    }

    /** The person fields of a face as stored. */
    private Map<?, ?> storedFace(Map<String, Object> face) throws IOException {
        Map<String, Object> document = call(new Request("GET", "/" + face.get("index") + "/_doc/" + face.get("id") + "?_source_includes=faces.person,faces.not_persons,faces.index"));
        List<?> faces = (List<?>) ((Map<?, ?>) document.get("_source")).get("faces");
        return (Map<?, ?>) faces.get((Integer) face.get("face"));
    }
}
