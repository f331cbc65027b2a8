package io.facesearch.erase;

import io.facesearch.people.PeopleTestCase;

import org.opensearch.client.Request;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.InternalSettingsPlugin;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Erasures on one node with real photos: by example photo (dry run, then for real, verified, expunged, audited), by
 * person name, by identity label, and the requests refused.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class EraseTests extends PeopleTestCase {
    private static final String ERASE = "/_plugins/_face/_erase";

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        List<Class<? extends Plugin>> plugins = new ArrayList<>(super.nodePlugins());
        // lets a test index sync its retention leases every second, as real nodes do every 30 s
        plugins.add(InternalSettingsPlugin.class);
        return plugins;
    }

    /** Three photos of each of six people indexed; the fourth of each kept out, as an example photo. */
    private record Split(List<Photo> indexed, Map<String, Photo> heldOut) {}

    private static Split split() {
        List<Photo> indexed = new ArrayList<>();
        Map<String, Photo> heldOut = new LinkedHashMap<>();
        for (Photo photo : peopleWithFourPhotos(6)) {
            if (heldOut.containsKey(photo.identity()) == false && indexed.stream().filter(p -> p.identity().equals(photo.identity())).count() == 3) {
                heldOut.put(photo.identity(), photo);
            } else {
                indexed.add(photo);
            }
        }
        return new Split(indexed, heldOut);
    }

    /** A photo index whose retention leases move on every second, so that merges may drop deletes without waiting 30 s. */
    private void createPhotoIndexWithQuickLeases(String index, int shards) throws IOException {
        call(
            jsonRequest(
                "PUT",
                "/_plugins/_face/index/" + index,
                "{\"settings\":{\"number_of_shards\":" + shards + ",\"index.soft_deletes.retention_lease.sync_interval\":\"1s\"}}"
            )
        );
    }

    /**
     * An erasure run as a task, its answer read from {@code _tasks}: with {@code expunge} it waits for the retention
     * leases of the people index, longer than a REST call here may take.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> eraseAsTask(String path, String body) throws IOException {
        String task = (String) call(jsonRequest("POST", path + "?wait_for_completion=false", body)).get("task");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            Map<String, Object> status = call(new Request("GET", "/_tasks/" + task));
            if (Boolean.TRUE.equals(status.get("completed"))) {
                assertNull(String.valueOf(status.get("error")), status.get("error"));
                return (Map<String, Object>) status.get("response");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the erasure " + task + " did not end in 180 s");
    }

    /** Indexes the photos with their person's name as the photo's {@code identity} label. */
    private void ingestLabelled(String index, List<Photo> photos) throws IOException {
        StringBuilder bulk = new StringBuilder();
        for (Photo photo : photos) {
            bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"").append(photo.id()).append("\"}}\n");
            bulk.append("{\"image\":\"").append(base64(photo.path())).append("\",\"identity\":\"").append(photo.identity()).append("\"}\n");
        }
        Map<String, Object> result = call(jsonRequest("POST", "/_bulk?refresh=true", bulk.toString()));
        assertEquals(result.toString(), false, result.get("errors"));
    }

    /** The number of faces of each photo, by id. */
    private Map<String, Integer> faceCounts(String index) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Map<?, ?> hit : allDocuments(index, "[\"faces.index\"]")) {
            List<?> faces = (List<?>) ((Map<?, ?>) hit.get("_source")).get("faces");
            counts.put((String) hit.get("_id"), faces == null ? 0 : faces.size());
        }
        return counts;
    }

    private static long number(Map<String, Object> answer, String field) {
        return ((Number) answer.get(field)).longValue();
    }

    @SuppressWarnings("unchecked")
    public void testAPersonErasedByAnExamplePhotoIsGoneAndNoOneElse() throws IOException {
        Split split = split();
        createPhotoIndexWithQuickLeases("erase-example", 2);
        ingest("erase-example", split.indexed());
        cluster("erase-example", "");
        String subject = split.heldOut().keySet().iterator().next();
        Photo example = split.heldOut().get(subject);
        Map<String, Integer> before = faceCounts("erase-example");
        Map<String, String> persons = personsOfFaces("erase-example");
        String subjectPerson = persons.get(face(split.indexed().stream().filter(p -> p.identity().equals(subject)).findFirst().orElseThrow().id(), 0));
        assertNotNull(subjectPerson);
        String body = "{\"image\":\"" + base64(example.path()) + "\"";

        // a dry run lists the subject's photos and changes nothing
        Map<String, Object> dry = call(jsonRequest("POST", "/_plugins/_face/index/erase-example/_erase", body + ",\"dry_run\":true}"));
        assertEquals(true, dry.get("dry_run"));
        List<Map<String, Object>> listed = (List<Map<String, Object>>) dry.get("photos");
        List<String> listedIds = new ArrayList<>();
        for (Map<String, Object> photo : listed) {
            listedIds.add((String) photo.get("_id"));
            for (Map<String, Object> face : (List<Map<String, Object>>) photo.get("faces")) {
                assertTrue(face.toString(), ((Number) face.get("similarity")).floatValue() >= 0.4f);
            }
        }
        List<String> subjectPhotos = split.indexed().stream().filter(p -> p.identity().equals(subject)).map(Photo::id).toList();
        assertEquals(dry.toString(), new java.util.TreeSet<>(subjectPhotos), new java.util.TreeSet<>(listedIds));
        assertEquals(before, faceCounts("erase-example"));
        assertFalse(dry.containsKey("verified"));

        // the erasure, verified and expunged
        Map<String, Object> erased = eraseAsTask("/_plugins/_face/index/erase-example/_erase", body + ",\"expunge\":true}");
        assertEquals(erased.toString(), true, erased.get("verified"));
        assertEquals(0L, number(erased, "faces_remaining"));
        assertEquals(number(dry, "faces_matched"), number(erased, "faces_removed"));
        assertEquals(subjectPhotos.size(), number(erased, "photos_changed"));
        Map<String, Object> expunge = (Map<String, Object>) erased.get("expunge");
        assertEquals(expunge.toString(), 0L, ((Number) expunge.get("deleted_documents_after")).longValue());
        assertTrue(expunge.toString(), ((Number) expunge.get("deleted_documents_before")).longValue() > 0);
        Map<String, Integer> after = faceCounts("erase-example");
        long removed = 0;
        for (Map.Entry<String, Integer> photo : before.entrySet()) {
            int left = after.get(photo.getKey());
            if (subjectPhotos.contains(photo.getKey())) {
                removed += photo.getValue() - left;
            } else {
                assertEquals("no one else's face goes: " + photo.getKey(), photo.getValue().intValue(), left);
            }
        }
        assertEquals(number(erased, "faces_removed"), removed);
        assertFalse("the subject's person is gone", personDocuments("erase-example-people").containsKey(subjectPerson));
        assertFalse(personsOfFaces("erase-example").containsValue(subjectPerson));

        // searching with the example finds none of the subject's faces any more
        Map<String, Object> search = call(
            jsonRequest(
                "POST",
                "/erase-example/_search",
                "{\"query\":{\"face_match\":{\"image\":\"" + base64(example.path()) + "\",\"min_similarity\":0.4}}}"
            )
        );
        assertEquals(search.toString(), List.of(), ((Map<?, ?>) search.get("hits")).get("hits"));

        // both calls are in the audit index, without the photo
        Map<String, Object> audit = call(
            jsonRequest("POST", "/" + ErasureAudit.INDEX + "/_search", "{\"sort\":[{\"@timestamp\":\"asc\"}],\"query\":{\"terms\":{\"indices\":[\"erase-example\"]}}}")
        );
        List<Map<String, Object>> records = (List<Map<String, Object>>) ((Map<?, ?>) audit.get("hits")).get("hits");
        assertEquals(2, records.size());
        Map<String, Object> record = (Map<String, Object>) records.get(1).get("_source");
        assertEquals(Map.of("example", "image", "field", "faces.embedding", "min_similarity", 0.4), record.get("criteria"));
        assertEquals(true, record.get("verified"));
        assertEquals(false, record.get("dry_run"));
        assertEquals(((Number) erased.get("faces_removed")).intValue(), ((Number) record.get("faces_removed")).intValue());
        assertFalse(records.toString().contains(base64(example.path()).substring(0, 40)));
        Map<String, Object> index = call(new Request("GET", "/" + ErasureAudit.INDEX + "/_settings"));
        assertEquals("true", ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) index.get(ErasureAudit.INDEX)).get("settings")).get("index")).get("hidden"));
    }

    @SuppressWarnings("unchecked")
    public void testErasureByPersonNameAndByIdentityLabel() throws IOException {
        Split split = split();
        createPhotoIndexWithQuickLeases("erase-labels", 1);
        ingestLabelled("erase-labels", split.indexed());
        cluster("erase-labels", "");
        Map<String, Object> persons = call(new Request("GET", "/_plugins/_face/people/erase-labels?size=1"));
        String person = (String) ((List<Map<String, Object>>) persons.get("persons")).get(0).get("id");
        call(jsonRequest("POST", "/_plugins/_face/people/erase-labels/" + person + "/_name", "{\"name\":\"Subject\"}"));
        int personFaces = (int) personsOfFaces("erase-labels").values().stream().filter(person::equals).count();

        Map<String, Object> byPerson = call(jsonRequest("POST", "/_plugins/_face/index/erase-labels/_erase", "{\"person\":\"Subject\"}"));
        assertEquals(byPerson.toString(), true, byPerson.get("verified"));
        assertEquals(Map.of("person", person, "person_name", "Subject"), byPerson.get("criteria"));
        assertEquals(personFaces, number(byPerson, "faces_removed"));
        assertFalse(personDocuments("erase-labels-people").containsKey(person));
        expectError(jsonRequest("POST", "/_plugins/_face/index/erase-labels/_erase", "{\"person\":\"Subject\"}"), 404);

        // a label on the photo names its subject: the whole photo goes
        String identity = split.indexed().get(split.indexed().size() - 1).identity();
        long photos = split.indexed().stream().filter(p -> p.identity().equals(identity)).count();
        Map<String, Object> byLabel = eraseAsTask(ERASE, "{\"identity\":\"" + identity + "\",\"expunge\":true}");
        assertEquals(byLabel.toString(), true, byLabel.get("verified"));
        assertEquals(photos, number(byLabel, "photos_deleted"));
        assertEquals(0L, ((Number) ((Map<?, ?>) byLabel.get("expunge")).get("deleted_documents_after")).longValue());
        assertEquals(split.indexed().size() - photos, faceCounts("erase-labels").size());
    }

    public void testBadErasuresAreRefused() throws IOException {
        createPhotoIndex("erase-refused", 1);
        String none = expectError(jsonRequest("POST", ERASE, "{\"dry_run\":true}"), 400).get("reason").toString();
        assertTrue(none, none.contains("exactly one of [identity], [person], [image] and [vector] is required, got none"));
        String two = expectError(jsonRequest("POST", ERASE, "{\"identity\":\"a\",\"person\":\"b\"}"), 400).get("reason").toString();
        assertTrue(two, two.contains("got [identity, person]"));
        String clip = expectError(jsonRequest("POST", ERASE, "{\"image\":\"AAAA\",\"field\":\"faces.clip\"}"), 400).get("reason").toString();
        assertTrue(clip, clip.contains("[field]"));
        String similarity = expectError(jsonRequest("POST", ERASE, "{\"identity\":\"a\",\"min_similarity\":0.5}"), 400).get("reason").toString();
        assertTrue(similarity, similarity.contains("[min_similarity] is only used with an example face"));
        String scope = expectError(jsonRequest("POST", ERASE, "{\"identity\":\"a\",\"scope\":\"all\"}"), 400).get("reason").toString();
        assertTrue(scope, scope.contains("must be [faces] or [documents]"));
        String dimension = expectError(jsonRequest("POST", "/_plugins/_face/index/erase-refused/_erase", "{\"vector\":[1,2,3]}"), 400).get("reason").toString();
        assertTrue(dimension, dimension.contains("[vector] has 3 numbers, but the faces' vectors have 128"));
        expectError(jsonRequest("POST", "/_plugins/_face/index/nowhere/_erase", "{\"identity\":\"a\"}"), 404);
        expectError(jsonRequest("POST", "/_plugins/_face/index/erase-refused/_erase", "{\"image\":\"not base64!\"}"), 400);
        expectError(jsonRequest("POST", ERASE, "{\"identity\":\"a\",\"unknown\":1}"), 400);
    }
}
