package io.facesearch.people;

import io.facesearch.common.StoredVectors;
import io.facesearch.ingest.VectorCompression;
import io.facesearch.people.cluster.Centroids;

import org.opensearch.client.Request;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code face_match} by person: the photos of Kit Harington and of Rose Leslie, the photo of the two together, and the
 * photos of a few others, clustered; then searched by person id and by name, alone, together in a {@code bool}, and
 * with filters.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class PersonFaceMatchTests extends PeopleTestCase {
    private static final String TOGETHER = "fr_kit_with_rose.jpg";

    private static List<Photo> photos() {
        List<Photo> photos = new ArrayList<>();
        for (String kit : List.of("fr_john1.jpeg", "fr_john2.jpeg", "fr_johnsnow_test1.jpg")) {
            photos.add(new Photo("people/Kit_Harington/" + kit, "Kit_Harington", kit));
        }
        for (String rose : List.of("fr_img1.jpg", "fr_img2.jpg")) {
            photos.add(new Photo("people/Rose_Leslie/" + rose, "Rose_Leslie", rose));
        }
        photos.add(new Photo("group/" + TOGETHER, "group", TOGETHER));
        for (String obama : List.of("fr_obama.jpg", "fr_obama1.jpg", "fr_obama3.jpg")) {
            photos.add(new Photo("people/Barack_Obama/" + obama, "Barack_Obama", obama));
        }
        return photos;
    }

    /** The person of the faces of a folder (all the same). */
    private String personOf(Map<String, String> persons, String photo) {
        return persons.get(face(photo, 0));
    }

    private Map<String, Object> search(String query) throws IOException {
        return call(jsonRequest("POST", "/cast/_search", "{\"query\":" + query + ",\"_source\":[\"folder\"]}"));
    }

    private static List<String> ids(Map<String, Object> response) {
        List<String> ids = new ArrayList<>();
        for (Object hit : (List<?>) ((Map<?, ?>) response.get("hits")).get("hits")) {
            ids.add((String) ((Map<?, ?>) hit).get("_id"));
        }
        return ids;
    }

    public void testPhotosOfAPersonByIdOrNameAloneOrTogether() throws IOException {
        createPhotoIndex("cast", 1);
        ingest("cast", photos());
        cluster("cast", "");
        Map<String, String> persons = personsOfFaces("cast");
        String kit = personOf(persons, "fr_john1.jpeg");
        String rose = personOf(persons, "fr_img1.jpg");
        assertNotNull(kit);
        assertNotNull(rose);
        assertNotEquals(kit, rose);
        assertEquals(kit, personOf(persons, "fr_john2.jpeg"));
        assertEquals(rose, personOf(persons, "fr_img2.jpg"));
        assertTrue(persons.toString(), persons.values().containsAll(List.of(kit, rose)));
        TreeSet<String> inTogether = new TreeSet<>();
        for (Map.Entry<String, String> face : persons.entrySet()) {
            if (face.getKey().startsWith(TOGETHER + "#") && face.getValue() != null) {
                inTogether.add(face.getValue());
            }
        }
        assertEquals("both are found in the photo of the two", new TreeSet<>(List.of(kit, rose)), inTogether);

        // by id: every photo of Kit, each scored by its face's similarity to Kit's centroid
        Map<String, Object> kitPhotos = search("{\"face_match\":{\"person\":\"" + kit + "\"}}");
        assertEquals(new TreeSet<>(List.of("fr_john1.jpeg", "fr_john2.jpeg", "fr_johnsnow_test1.jpg", TOGETHER)), new TreeSet<>(ids(kitPhotos)));
        float[] centroid = centroid("cast-people", kit);
        for (Object hit : (List<?>) ((Map<?, ?>) kitPhotos.get("hits")).get("hits")) {
            Map<?, ?> photo = (Map<?, ?>) hit;
            Map<?, ?> innerHit = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) photo.get("inner_hits")).get("face_match")).get("hits")).get("hits")).get(0);
            int face = (Integer) ((Map<?, ?>) innerHit.get("_nested")).get("offset");
            double expected = (1 + Centroids.dot(vector("cast", (String) photo.get("_id"), face), centroid)) / 2;
            assertEquals(photo.get("_id").toString(), expected, ((Number) photo.get("_score")).doubleValue(), 1e-4);
            assertEquals(kit, persons.get(face((String) photo.get("_id"), face)));
        }

        // by name, once named
        call(jsonRequest("POST", "/_plugins/_face/people/cast/" + rose + "/_name", "{\"name\":\"Rose Leslie\"}"));
        assertEquals(
            new TreeSet<>(List.of("fr_img1.jpg", "fr_img2.jpg", TOGETHER)),
            new TreeSet<>(ids(search("{\"face_match\":{\"person\":\"Rose Leslie\"}}")))
        );

        // photos with both: a bool of two, each with inner hits of its own name
        Map<String, Object> both = search(
            "{\"bool\":{\"must\":[{\"face_match\":{\"person\":\"" + kit + "\",\"_name\":\"kit\"}},{\"face_match\":{\"person\":\"Rose Leslie\",\"_name\":\"rose\"}}]}}"
        );
        assertEquals(List.of(TOGETHER), ids(both));

        // with text and filters
        assertEquals(
            List.of(TOGETHER),
            ids(search("{\"bool\":{\"must\":[{\"face_match\":{\"person\":\"" + kit + "\"}}],\"filter\":[{\"term\":{\"folder\":\"group\"}}]}}"))
        );
        assertEquals(
            List.of(TOGETHER),
            ids(search("{\"face_match\":{\"person\":\"" + kit + "\",\"filter\":{\"term\":{\"folder\":\"group\"}}}}"))
        );
        assertEquals(List.of(), ids(search("{\"face_match\":{\"person\":\"" + kit + "\",\"min_similarity\":0.999}}")));
        assertEquals(
            "the person index named",
            4,
            ids(search("{\"face_match\":{\"person\":\"" + kit + "\",\"people_index\":\"cast-people\"}}")).size()
        );

        // refused
        String nobody = expectError(jsonRequest("POST", "/cast/_search", "{\"query\":{\"face_match\":{\"person\":\"Nobody\"}}}"), 404)
            .get("reason")
            .toString();
        assertEquals("[face_match] person [Nobody] not found in [cast-people], by id or by name", nobody);
        String several = expectError(
            jsonRequest("POST", "/cast,cast-people/_search", "{\"query\":{\"face_match\":{\"person\":\"" + kit + "\"}}}"),
            400
        ).get("reason").toString();
        assertTrue(several, several.contains("[people_index] is required with [person] unless the search names one index"));
        String alone = expectError(jsonRequest("POST", "/cast/_search", "{\"query\":{\"face_match\":{\"vector\":[1,2],\"people_index\":\"cast-people\"}}}"), 400)
            .get("reason")
            .toString();
        assertTrue(alone, alone.contains("[people_index] is only used with [person]"));
        String two = expectError(jsonRequest("POST", "/cast/_search", "{\"query\":{\"face_match\":{\"vector\":[1,2],\"person\":\"x\"}}}"), 400)
            .get("reason")
            .toString();
        assertTrue(two, two.contains("needs exactly one of [vector], [image], [face] and [person], got 2"));
    }

    /**
     * On an int8 index, whose faces are integers, the photos of a person are scored as on floats: (1 + cosine) / 2 of
     * the face's integers and the centroid's.
     */
    public void testPhotosOfAPersonOfAnInt8IndexAreScoredByCosine() throws IOException {
        call(jsonRequest("PUT", "/_plugins/_face/index/cast8", "{\"compression\":\"int8\"}"));
        ingest("cast8", photos().subList(0, 3));
        cluster("cast8", "");
        String kit = personOf(personsOfFaces("cast8"), "fr_john1.jpeg");
        assertNotNull(kit);
        float[] centroid = VectorCompression.INT8.fieldValues(centroid("cast8-people", kit));
        Map<String, Object> kitPhotos = call(
            jsonRequest("POST", "/cast8/_search", "{\"query\":{\"face_match\":{\"person\":\"" + kit + "\"}},\"_source\":false}")
        );
        List<String> found = ids(kitPhotos);
        assertEquals(found.toString(), 3, found.size());
        double lowest = 1;
        for (Object hit : (List<?>) ((Map<?, ?>) kitPhotos.get("hits")).get("hits")) {
            Map<?, ?> photo = (Map<?, ?>) hit;
            double similarity = StoredVectors.cosine(vector("cast8", (String) photo.get("_id"), 0), centroid);
            assertEquals(photo.toString(), (1 + similarity) / 2, ((Number) photo.get("_score")).doubleValue(), 1e-4);
            lowest = Math.min(lowest, similarity);
        }
        // min_similarity is a cosine there too: just above the farthest face's, it leaves that photo out
        Map<String, Object> nearer = call(
            jsonRequest(
                "POST",
                "/cast8/_search",
                "{\"query\":{\"face_match\":{\"person\":\"" + kit + "\",\"min_similarity\":" + (lowest + 0.001) + "}},\"_source\":false}"
            )
        );
        assertEquals(nearer.toString(), 2, ids(nearer).size());
    }

    private float[] centroid(String peopleIndex, String person) throws IOException {
        Map<?, ?> source = (Map<?, ?>) call(new Request("GET", "/" + peopleIndex + "/_doc/" + person + "?_source_includes=centroid")).get("_source");
        return floats((List<?>) source.get("centroid"));
    }

    private float[] vector(String index, String id, int face) throws IOException {
        Map<?, ?> source = (Map<?, ?>) call(new Request("GET", "/" + index + "/_doc/" + id + "?_source_includes=faces.embedding")).get("_source");
        return floats((List<?>) ((Map<?, ?>) ((List<?>) source.get("faces")).get(face)).get("embedding"));
    }

    private static float[] floats(List<?> values) {
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = ((Number) values.get(i)).floatValue();
        }
        return vector;
    }
}
