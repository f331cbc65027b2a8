package io.facesearch.people;

import io.facesearch.people.cluster.ClusteringScores;

import org.opensearch.client.Request;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** People clustering of real photos on one node: persons against the folders, incremental and full runs. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class PeopleClusterTests extends PeopleTestCase {

    public void testPersonsMatchTheFoldersAndAnIncrementalRunKeepsThem() throws IOException {
        createPhotoIndex("album", 1);
        List<Photo> first = photos(true);
        ingest("album", first);
        long graphSearches = vectorSearchStats().get("graph_searches");
        Map<String, Object> answer = cluster("album", "");
        logger.info("first run: {}", answer);
        assertEquals("incremental", answer.get("mode"));
        assertEquals(
            Set.of("reading_faces", "searching_neighbours", "clustering", "writing_faces", "writing_persons"),
            ((Map<?, ?>) answer.get("steps")).keySet()
        );
        assertEquals("album-people", answer.get("people_index"));
        Map<String, String> persons = personsOfFaces("album");
        int faces = persons.size();
        assertEquals(faces, answer.get("faces_considered"));
        // each face's neighbours, and the faces returned with them, from one search of the one shard's graph
        assertEquals((long) faces, vectorSearchStats().get("graph_searches") - graphSearches);
        long assigned = persons.values().stream().filter(p -> p != null).count();
        assertEquals(assigned, ((Number) answer.get("faces_assigned")).longValue());
        assertEquals(faces - assigned, ((Number) answer.get("faces_unassigned")).longValue());
        ClusteringScores scores = scores(persons, labelsOfSingleFaces("album"));
        logger.info("first run on {} photos, {} faces: {}", first.size(), faces, scores);
        assertTrue(scores.toString(), scores.f() >= 0.95);

        Map<String, Map<?, ?>> documents = personDocuments("album-people");
        assertEquals(answer.get("persons"), documents.size());
        assertEquals(answer.get("persons_created"), documents.size());
        for (Map.Entry<String, Map<?, ?>> person : documents.entrySet()) {
            Map<?, ?> source = person.getValue();
            long members = persons.values().stream().filter(person.getKey()::equals).count();
            assertEquals(person.getKey(), (int) members, source.get("face_count"));
            assertEquals(false, source.get("named"));
            assertEquals(List.of("album"), source.get("photo_indices"));
            assertEquals(128, ((List<?>) source.get("centroid")).size());
            Map<?, ?> representative = (Map<?, ?>) source.get("representative");
            assertEquals(person.getKey(), persons.get(face((String) representative.get("id"), (Integer) representative.get("face"))));
        }

        // the second half of the photos, then an incremental run
        List<Photo> second = photos(false);
        ingest("album", second);
        Map<String, Object> incremental = cluster("album", "{\"mode\":\"incremental\"}");
        logger.info("incremental run: {}", incremental);
        Map<String, String> after = personsOfFaces("album");
        for (Map.Entry<String, String> face : persons.entrySet()) {
            if (face.getValue() != null) {
                assertEquals(face.getKey(), face.getValue(), after.get(face.getKey()));
            }
        }
        // the new photos of a folder whose first photos made a person join it
        Map<String, String> labels = labelsOfSingleFaces("album");
        Map<String, String> personOfFolder = new HashMap<>();
        for (Map.Entry<String, String> face : persons.entrySet()) {
            if (face.getValue() != null && labels.get(face.getKey()) != null) {
                personOfFolder.put(labels.get(face.getKey()), face.getValue());
            }
        }
        int joined = 0;
        int newFacesOfKnownFolders = 0;
        for (Map.Entry<String, String> face : after.entrySet()) {
            String folder = labels.get(face.getKey());
            if (persons.containsKey(face.getKey()) == false && folder != null && personOfFolder.containsKey(folder)) {
                newFacesOfKnownFolders++;
                if (personOfFolder.get(folder).equals(face.getValue())) {
                    joined++;
                }
            }
        }
        logger.info("{} of {} new faces of known persons joined them", joined, newFacesOfKnownFolders);
        assertTrue(joined + " of " + newFacesOfKnownFolders, joined >= 0.9 * newFacesOfKnownFolders);
        assertTrue(((Number) incremental.get("persons_updated")).intValue() > 0);
        ClusteringScores afterScores = scores(after, labels);
        logger.info("after the incremental run: {}", afterScores);
        assertTrue(afterScores.toString(), afterScores.f() >= 0.95);

        // a full run groups every face again; the persons it finds again keep their ids
        Map<String, Object> full = cluster("album", "{\"mode\":\"full\"}");
        logger.info("full run: {}", full);
        Map<String, String> regrouped = personsOfFaces("album");
        ClusteringScores fullScores = scores(regrouped, labels);
        logger.info("after the full run: {}", fullScores);
        assertTrue(fullScores.toString(), fullScores.f() >= afterScores.f() - 0.01);
        int kept = 0;
        for (Map.Entry<String, String> face : after.entrySet()) {
            if (face.getValue() != null && face.getValue().equals(regrouped.get(face.getKey()))) {
                kept++;
            }
        }
        long assignedBefore = after.values().stream().filter(p -> p != null).count();
        assertTrue(kept + " of " + assignedBefore + " faces kept their person", kept >= 0.95 * assignedBefore);
        assertEquals(personDocuments("album-people").size(), full.get("persons"));

        // and a full run over its own result changes nothing
        Map<String, Object> again = cluster("album", "{\"mode\":\"full\"}");
        assertEquals(regrouped, personsOfFaces("album"));
        assertEquals(again.toString(), 0, again.get("persons_created"));
        assertEquals(again.toString(), 0, again.get("persons_updated"));
        assertEquals(again.toString(), 0, again.get("persons_removed"));
    }

    /**
     * With wait_for_completion=false the answer is the task; GET _tasks shows the task with the run's status, and once
     * done its result, kept in the .tasks index.
     */
    /**
     * A float index and an int8 index of the same photos clustered in one run: each neighbour search gives every index
     * the face's vector as that index stores its own, so a photo's face is one person in both indices.
     */
    public void testFloatAndInt8IndicesClusterTogether() throws IOException {
        call(jsonRequest("PUT", "/_plugins/_face/index/floats", "{}"));
        call(jsonRequest("PUT", "/_plugins/_face/index/bytes", "{\"compression\":\"int8\"}"));
        List<Photo> photos = peopleWithFourPhotos(6);
        ingest("floats", photos);
        ingest("bytes", photos);
        Map<String, Object> answer = cluster("floats,bytes", "{\"people_index\":\"both-people\"}");
        logger.info("float and int8 indices clustered together: {}", answer);
        Map<String, String> floats = personsOfFaces("floats");
        Map<String, String> bytes = personsOfFaces("bytes");
        assertEquals(floats.keySet(), bytes.keySet());
        assertEquals(2 * floats.size(), answer.get("faces_considered"));
        for (Map.Entry<String, String> face : floats.entrySet()) {
            assertEquals(face.getKey(), face.getValue(), bytes.get(face.getKey()));
        }
        long assigned = floats.values().stream().filter(person -> person != null).count();
        assertTrue(assigned + " of " + floats.size(), assigned >= 0.9 * floats.size());
        ClusteringScores scores = scores(bytes, labelsOfSingleFaces("bytes"));
        assertTrue(scores.toString(), scores.f() >= 0.95);
    }

    public void testRunWithoutWaitingStoresItsResultInTasks() throws IOException {
        createPhotoIndex("later", 1);
        ingest("later", photos(true).subList(0, 40));
        Map<String, Object> started = call(jsonRequest("POST", "/_plugins/_face/people/later/_cluster?wait_for_completion=false", ""));
        String task = (String) started.get("task");
        assertNotNull(started.toString(), task);
        Map<String, Object> done = call(new Request("GET", "/_tasks/" + task + "?wait_for_completion=true&timeout=60s"));
        logger.info("task after the run: {}", done);
        assertEquals(done.toString(), true, done.get("completed"));
        Map<?, ?> info = (Map<?, ?>) done.get("task");
        assertEquals("indices:admin/face_search/people/cluster", info.get("action"));
        assertEquals(true, info.get("cancellable"));
        Map<?, ?> status = (Map<?, ?>) info.get("status");
        assertEquals(status.toString(), "done", status.get("step"));
        Map<?, ?> response = (Map<?, ?>) done.get("response");
        assertEquals(response.toString(), "later-people", response.get("people_index"));
        int faces = personsOfFaces("later").size();
        assertEquals(faces, response.get("faces_considered"));
        assertEquals(faces, status.get("faces_read"));
        assertEquals(faces, status.get("faces_to_search"));
        assertTrue(((Number) response.get("persons")).intValue() > 0);
        // the result is kept where OpenSearch keeps those of _reindex
        call(new Request("POST", "/.tasks/_refresh"));
        Map<String, Object> kept = call(new Request("GET", "/.tasks/_doc/" + task));
        assertEquals(true, kept.get("found"));

        // the vectors a run holds are reserved in the plugin's breaker first: too little of it is a 429
        call(jsonRequest("PUT", "/_cluster/settings", "{\"transient\":{\"breaker.face_search.limit\":\"10kb\"}}"));
        try {
            Map<?, ?> refused = expectError(jsonRequest("POST", "/_plugins/_face/people/later/_cluster", "{\"mode\":\"full\"}"), 429);
            assertEquals(refused.toString(), "circuit_breaking_exception", refused.get("type"));
        } finally {
            call(jsonRequest("PUT", "/_cluster/settings", "{\"transient\":{\"breaker.face_search.limit\":null}}"));
        }
        for (Object node : ((Map<?, ?>) call(new Request("GET", "/_nodes/stats/breaker")).get("nodes")).values()) {
            Map<?, ?> breaker = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) node).get("breakers")).get("face_search");
            assertEquals("nothing is left reserved: " + breaker, 0, ((Number) breaker.get("estimated_size_in_bytes")).longValue());
        }

        // cancelled right away: it stops with task_cancelled_exception, unless it finished first
        Map<String, Object> second = call(jsonRequest("POST", "/_plugins/_face/people/later/_cluster?wait_for_completion=false", "{\"mode\":\"full\"}"));
        String secondTask = (String) second.get("task");
        getRestClient().performRequest(new Request("POST", "/_tasks/" + secondTask + "/_cancel"));
        Map<String, Object> ended = call(new Request("GET", "/_tasks/" + secondTask + "?wait_for_completion=true&timeout=60s"));
        assertEquals(true, ended.get("completed"));
        if (ended.get("error") != null) {
            assertEquals(ended.toString(), "task_cancelled_exception", ((Map<?, ?>) ended.get("error")).get("type"));
        } else {
            logger.info("the run ended before it was cancelled: {}", ended.get("response"));
            assertNotNull(ended.get("response"));
        }
    }

    public void testRefusedRequests() throws IOException {
        createPhotoIndex("refused", 1);
        call(new Request("PUT", "/plain"));
        createPhotoIndex("refused_too", 1);
        String notPhotos = expectError(jsonRequest("POST", "/_plugins/_face/people/plain/_cluster", ""), 400).get("reason").toString();
        assertTrue(notPhotos, notPhotos.contains("index [plain] is not a photo index"));
        String several = expectError(jsonRequest("POST", "/_plugins/_face/people/refused,refused_too/_cluster", ""), 400).get("reason")
            .toString();
        assertTrue(several, several.contains("[people_index] is required when the path names several photo indices"));
        String unknown = expectError(jsonRequest("POST", "/_plugins/_face/people/refused/_cluster", "{\"min_face\":3}"), 400).get("reason")
            .toString();
        assertTrue(unknown, unknown.contains("min_face"));
        String mode = expectError(jsonRequest("POST", "/_plugins/_face/people/refused/_cluster", "{\"mode\":\"all\"}"), 400).get("reason")
            .toString();
        assertEquals("[mode] must be [incremental] or [full], got [all]", mode);
        String minFaces = expectError(jsonRequest("POST", "/_plugins/_face/people/refused/_cluster", "{\"min_faces\":0}"), 400).get("reason")
            .toString();
        assertTrue(minFaces, minFaces.startsWith("[min_faces] must be"));
        String similarity = expectError(jsonRequest("POST", "/_plugins/_face/people/refused/_cluster", "{\"similarity\":\"0.5\"}"), 400)
            .get("reason")
            .toString();
        assertTrue(similarity, similarity.startsWith("[similarity] must be a number"));
        String intoPhotos = expectError(
            jsonRequest("POST", "/_plugins/_face/people/refused/_cluster", "{\"people_index\":\"refused\"}"),
            400
        ).get("reason").toString();
        assertTrue(intoPhotos, intoPhotos.contains("is one of the photo indices clustered"));
        String notPeople = expectError(jsonRequest("POST", "/_plugins/_face/people/refused/_cluster", "{\"people_index\":\"plain\"}"), 400)
            .get("reason")
            .toString();
        assertTrue(notPeople, notPeople.contains("is not a people index"));
        expectError(jsonRequest("POST", "/_plugins/_face/people/missing/_cluster", ""), 404);
    }
}
