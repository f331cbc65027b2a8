package io.facesearch.query;

import io.facesearch.vision.TestModels;

import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Identify with {@code "faces": "all"} on real group photos: every face of the photo, in detect's order, each
 * identified as identify identifies that face's vector; the people enrolled are named, a person who is not is
 * {@code Unknown}.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class IdentifyEveryFaceTests extends IdentifyTestCase {
    /** The people of the group photos who are enrolled (Joe Biden, beside Barack Obama, is not). */
    static final List<String> ENROLLED = List.of("Kit_Harington", "Rose_Leslie", "Barack_Obama");
    static final String INDEX = "people";

    /** Every photo of the enrolled people, and some strangers (single-photo identities of the split). */
    void enrolPeople() throws IOException {
        if (indexExists(INDEX)) {
            return;
        }
        List<Entry> gallery = new ArrayList<>();
        for (String identity : ENROLLED) {
            try (Stream<Path> photos = Files.list(TestModels.facesDir().resolve("people").resolve(identity))) {
                photos.sorted().forEach(photo -> gallery.add(new Entry("people/" + identity + "/" + photo.getFileName(), identity, "gallery")));
            }
        }
        int distractors = 0;
        for (Entry entry : split()) {
            if (entry.role().equals("gallery_distractor") && ENROLLED.contains(entry.identity()) == false && distractors++ % 8 == 0) {
                gallery.add(entry);
            }
        }
        // several shards: each face's search is merged from all of them
        enrol(INDEX, 3, gallery);
    }

    Map<String, Object> identifyEveryFace(String photo) throws IOException {
        return call(
            jsonRequest("POST", "/_plugins/_face/identify", "{\"index\":\"" + INDEX + "\",\"image\":\"" + base64(photo) + "\",\"faces\":\"all\"}")
        );
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> faces(Map<String, Object> response) {
        return (List<Map<String, Object>>) response.get("faces");
    }

    /** Each face as detect finds it, and its answer equal to identify's for that face's vector. */
    @SuppressWarnings("unchecked")
    void assertEveryFaceAsDetectFindsIt(String photo, Map<String, Object> identified) throws IOException {
        Map<String, Object> detected = call(
            jsonRequest("POST", "/_plugins/_face/detect", "{\"image\":\"" + base64(photo) + "\",\"include_embeddings\":true}")
        );
        assertEquals(detected.get("image"), identified.get("image"));
        assertEquals(detected.get("face_count"), identified.get("face_count"));
        List<Map<String, Object>> detectedFaces = (List<Map<String, Object>>) detected.get("faces");
        List<Map<String, Object>> faces = faces(identified);
        assertEquals(detectedFaces.size(), faces.size());
        for (int i = 0; i < faces.size(); i++) {
            Map<String, Object> face = faces.get(i);
            assertEquals(photo + " face " + i, detectedFaces.get(i).get("index"), face.get("index"));
            assertEquals(photo + " face " + i, detectedFaces.get(i).get("score"), face.get("score"));
            assertEquals(photo + " face " + i, detectedFaces.get(i).get("box"), face.get("box"));
            Map<String, Object> alone = call(
                jsonRequest(
                    "POST",
                    "/_plugins/_face/identify",
                    "{\"index\":\"" + INDEX + "\",\"vector\":" + toJson(detectedFaces.get(i).get("embedding")) + "}"
                )
            );
            for (String key : List.of("identity", "known", "votes", "window", "best_similarity", "mean_similarity", "leading_identity", "candidates")) {
                assertEquals(photo + " face " + i + " " + key, alone.get(key), face.get(key));
            }
        }
    }

    public void testEveryFaceOfAGroupPhotoIsIdentified() throws IOException {
        enrolPeople();
        String photo = "group/fr_kit_with_rose.jpg";
        Map<String, Object> identified = identifyEveryFace(photo);
        logger.info("{}: {}", photo, summary(identified));
        assertEquals(List.of(3, 10), List.of(identified.get("k1"), identified.get("k2")));
        List<Map<String, Object>> faces = faces(identified);
        assertEquals(2, faces.size());
        List<Object> identities = new ArrayList<>();
        for (Map<String, Object> face : faces) {
            assertEquals(true, face.get("known"));
            identities.add(face.get("identity"));
        }
        assertEquals(List.of("Kit_Harington", "Rose_Leslie"), identities.stream().sorted().toList());
        assertEveryFaceAsDetectFindsIt(photo, identified);
    }

    public void testAFaceWhosePersonIsNotEnrolledIsUnknown() throws IOException {
        enrolPeople();
        String photo = "group/fr_obama_and_biden.jpg";
        Map<String, Object> identified = identifyEveryFace(photo);
        logger.info("{}: {}", photo, summary(identified));
        List<Map<String, Object>> faces = faces(identified);
        assertTrue(faces.size() >= 2);
        // the two people of the photo are its two largest faces: Obama enrolled, Biden not
        List<Object> mainTwo = List.of(faces.get(0).get("identity"), faces.get(1).get("identity"));
        assertTrue(mainTwo.toString(), mainTwo.contains("Barack_Obama"));
        assertTrue(mainTwo.toString(), mainTwo.contains("Unknown"));
        long obamas = faces.stream().filter(face -> "Barack_Obama".equals(face.get("identity"))).count();
        assertEquals("one face is Barack Obama's: " + summary(identified), 1, obamas);
        Map<String, Object> biden = faces.get(mainTwo.indexOf("Unknown"));
        assertEquals(false, biden.get("known"));
        assertTrue(((Number) biden.get("mean_similarity")).doubleValue() < ((Number) identified.get("threshold")).doubleValue());
        assertEveryFaceAsDetectFindsIt(photo, identified);

        // without "faces", identify answers for the main face alone, in the answer's shape of before
        Map<String, Object> main = call(
            jsonRequest("POST", "/_plugins/_face/identify", "{\"index\":\"" + INDEX + "\",\"image\":\"" + base64(photo) + "\"}")
        );
        assertFalse(main.containsKey("faces"));
        Map<?, ?> queryFace = (Map<?, ?>) main.get("query_face");
        Map<String, Object> same = faces.get((Integer) queryFace.get("index"));
        assertEquals(same.get("box"), queryFace.get("box"));
        for (String key : List.of("identity", "known", "votes", "window", "best_similarity", "mean_similarity", "candidates")) {
            assertEquals(key, same.get(key), main.get(key));
        }
    }

    public void testDetectionOptionsChooseTheFaces() throws IOException {
        enrolPeople();
        String photo = "group/fr_obama_and_biden.jpg";
        Map<String, Object> two = call(
            jsonRequest(
                "POST",
                "/_plugins/_face/identify",
                "{\"index\":\"" + INDEX + "\",\"image\":\"" + base64(photo) + "\",\"faces\":\"all\",\"max_faces\":2}"
            )
        );
        List<Map<String, Object>> all = faces(identifyEveryFace(photo));
        assertEquals(2, faces(two).size());
        assertEquals(all.subList(0, 2), faces(two));

        Map<String, Object> none = call(
            jsonRequest(
                "POST",
                "/_plugins/_face/identify",
                "{\"index\":\"" + INDEX + "\",\"image\":\"" + base64("noface/skimage_coffee.png") + "\",\"faces\":\"all\"}"
            )
        );
        assertEquals(0, none.get("face_count"));
        assertEquals(List.of(), none.get("faces"));
    }

    public void testErrorsNameTheField() throws IOException {
        Map<?, ?> badFaces = expectError(
            jsonRequest("POST", "/_plugins/_face/identify", "{\"index\":\"x\",\"image\":\"" + base64(photoOfOne()) + "\",\"faces\":\"both\"}"),
            400
        );
        assertEquals("[faces] must be [main] or [all], got [both]", badFaces.get("reason"));
        Map<?, ?> vector = expectError(
            jsonRequest("POST", "/_plugins/_face/identify", "{\"index\":\"x\",\"vector\":[1,0],\"faces\":\"all\"}"),
            400
        );
        assertEquals("[faces] chooses faces of an [image]; a [vector] is one face already", vector.get("reason"));
        enrolPeople();
        Map<?, ?> tooMany = expectError(
            jsonRequest(
                "POST",
                "/_plugins/_face/identify",
                "{\"index\":\"" + INDEX + "\",\"image\":\"" + base64(photoOfOne()) + "\",\"faces\":\"all\",\"k2\":10000,\"max_faces\":11}"
            ),
            400
        );
        assertEquals(
            "[faces] [all] identifies up to [max_faces] 11 faces with [k2] 10000 candidates each, more than the 100000 candidates one"
                + " request may gather; lower [max_faces] or [k2]",
            tooMany.get("reason")
        );
    }

    private static String photoOfOne() {
        return "people/Rose_Leslie/fr_img1.jpg";
    }

    private static List<String> summary(Map<String, Object> identified) {
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> face : faces(identified)) {
            lines.add(face.get("index") + ":" + face.get("identity") + "(" + face.get("votes") + "," + face.get("mean_similarity") + ")");
        }
        return lines;
    }
}
