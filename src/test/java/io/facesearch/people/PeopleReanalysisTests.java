package io.facesearch.people;

import io.facesearch.plugin.FaceSearchPlugin;

import org.opensearch.client.Request;
import org.opensearch.index.reindex.ReindexModulePlugin;
import org.opensearch.painless.PainlessModulePlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Persons across a new analysis of the photos: the photo index keeps its photos, is clustered and edited, then analysed
 * again through a pipeline with another detector (other boxes, so other aligned crops and other vectors), and copied by
 * {@code _reindex} into a new photo index whose people index starts empty.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class PeopleReanalysisTests extends PeopleTestCase {
    private static final String INDEX = "reanalysed";

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, PainlessModulePlugin.class, ReindexModulePlugin.class, knnPlugin());
    }

    /** The whole source of every photo, vectors included, by id. */
    private Map<String, Map<?, ?>> sources(String index) throws IOException {
        Map<String, Map<?, ?>> sources = new HashMap<>();
        for (Map<?, ?> hit : allDocuments(index, "true")) {
            sources.put((String) hit.get("_id"), (Map<?, ?>) hit.get("_source"));
        }
        return sources;
    }

    private static List<?> faces(Map<?, ?> source) {
        return (List<?>) source.get("faces");
    }

    private static Map<?, ?> faceAt(Map<?, ?> source, int position) {
        return (Map<?, ?>) faces(source).get(position);
    }

    private Map<?, ?> personDocument(String peopleIndex, String id) throws IOException {
        return (Map<?, ?>) call(new Request("GET", "/" + peopleIndex + "/_doc/" + id + "?_source=true")).get("_source");
    }

    private static float[] vector(Object values) {
        List<?> list = (List<?>) values;
        float[] vector = new float[list.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = ((Number) list.get(i)).floatValue();
        }
        return vector;
    }

    /** The photos with a face of {@code person}. */
    private java.util.Set<String> photosOf(String person, String index) throws IOException {
        java.util.Set<String> photos = new java.util.TreeSet<>();
        personsOfFaces(index).forEach((face, of) -> {
            if (person.equals(of)) {
                photos.add(face.substring(0, face.indexOf('#')));
            }
        });
        return photos;
    }

    /** Intersection over union of two stored boxes. */
    private static double overlap(Map<?, ?> a, Map<?, ?> b) {
        double ax = ((Number) a.get("x")).doubleValue(), ay = ((Number) a.get("y")).doubleValue();
        double aw = ((Number) a.get("width")).doubleValue(), ah = ((Number) a.get("height")).doubleValue();
        double bx = ((Number) b.get("x")).doubleValue(), by = ((Number) b.get("y")).doubleValue();
        double bw = ((Number) b.get("width")).doubleValue(), bh = ((Number) b.get("height")).doubleValue();
        double width = Math.min(ax + aw, bx + bw) - Math.max(ax, bx);
        double height = Math.min(ay + ah, by + bh) - Math.max(ay, by);
        return width <= 0 || height <= 0 ? 0 : width * height / (aw * ah + bw * bh - width * height);
    }

    @SuppressWarnings("unchecked")
    public void testNamesAndRejectionsSurviveAnotherDetectorAndAReindex() throws IOException {
        call(jsonRequest("PUT", "/_plugins/_face/index/" + INDEX, "{\"processor\":{\"remove_image\":false}}"));
        List<Photo> photos = peopleWithFourPhotos(6);
        ingest(INDEX, photos);
        cluster(INDEX, "");
        Map<String, String> before = personsOfFaces(INDEX);
        Map<String, Map<?, ?>> sourcesBefore = sources(INDEX);

        List<Map<String, Object>> persons = (List<Map<String, Object>>) call(
            new Request("GET", "/_plugins/_face/people/" + INDEX + "?size=2")
        ).get("persons");
        String ada = (String) persons.get(0).get("id");
        String bob = (String) persons.get(1).get("id");
        call(jsonRequest("POST", "/_plugins/_face/people/" + INDEX + "/" + ada + "/_name", "{\"name\":\"Ada\"}"));
        String rejectedPhoto = null;
        for (Map.Entry<String, String> face : before.entrySet()) {
            if (bob.equals(face.getValue()) && face.getKey().endsWith("#0")) {
                rejectedPhoto = face.getKey().substring(0, face.getKey().length() - 2);
                break;
            }
        }
        assertNotNull(rejectedPhoto);
        call(
            jsonRequest(
                "POST",
                "/_plugins/_face/people/" + INDEX + "/" + bob + "/_reject",
                "{\"faces\":[{\"index\":\"" + INDEX + "\",\"id\":\"" + rejectedPhoto + "\",\"face\":0}]}"
            )
        );
        float[] adaCentroidBefore = vector(personDocument(INDEX + "-people", ada).get("centroid"));

        // the same photos analysed again by another detector
        call(
            jsonRequest(
                "PUT",
                "/_ingest/pipeline/other-detector",
                "{\"processors\":[{\"face\":{\"detector\":\"yunet_2023mar\",\"remove_image\":false}}]}"
            )
        );
        Map<String, Object> update = call(new Request("POST", "/" + INDEX + "/_update_by_query?pipeline=other-detector&refresh=true"));
        assertEquals(update.toString(), photos.size(), ((Number) update.get("updated")).intValue());
        assertEquals(update.toString(), List.of(), update.get("failures"));
        Map<String, Map<?, ?>> sourcesAfter = sources(INDEX);
        Map<String, String> after = personsOfFaces(INDEX);
        int assigned = 0;
        int refound = 0;
        int kept = 0;
        int vectorsChanged = 0;
        for (Map.Entry<String, String> face : before.entrySet()) {
            String photo = face.getKey().substring(0, face.getKey().indexOf('#'));
            Map<?, ?> photoFacts = (Map<?, ?>) sourcesAfter.get(photo).get("photo");
            assertEquals("yunet_2023mar", ((Map<?, ?>) photoFacts.get("model")).get("detector"));
            if (face.getValue() == null || face.getKey().equals(rejectedPhoto + "#0")) {
                continue;
            }
            assigned++;
            // the person must be on the new face of the same place, wherever the detector listed it; the other
            // detector may miss a tiny face in the background, which then has nothing to carry it
            int position = Integer.parseInt(face.getKey().substring(face.getKey().indexOf('#') + 1));
            Map<?, ?> old = faceAt(sourcesBefore.get(photo), position);
            Map<?, ?> same = null;
            for (Object candidate : faces(sourcesAfter.get(photo))) {
                if (overlap((Map<?, ?>) old.get("box"), (Map<?, ?>) ((Map<?, ?>) candidate).get("box")) >= 0.5) {
                    same = (Map<?, ?>) candidate;
                }
            }
            if (same == null) {
                continue;
            }
            refound++;
            if (face.getValue().equals(same.get("person"))) {
                kept++;
                if (old.get("embedding").equals(same.get("embedding")) == false) {
                    vectorsChanged++;
                }
            }
        }
        assertTrue("persons on faces: " + assigned, assigned >= 20);
        assertTrue("faces the other detector found too: " + refound + " of " + assigned, refound >= assigned * 0.8);
        assertEquals("faces found again that kept their person", refound, kept);
        assertTrue("the new detector gives other vectors: " + vectorsChanged + " of " + kept, vectorsChanged >= kept / 2);
        for (String face : after.keySet()) {
            if (ada.equals(before.get(face))) {
                assertEquals("Ada's face " + face, ada, after.get(face));
            }
        }
        assertEquals(
            "the rejection stays on the face",
            List.of(bob),
            faceAt(sourcesAfter.get(rejectedPhoto), 0).get("not_persons")
        );

        // a full run keeps Ada and recomputes her centroid from the new vectors
        cluster(INDEX, "{\"mode\":\"full\"}");
        Map<?, ?> adaNow = personDocument(INDEX + "-people", ada);
        assertEquals("Ada", adaNow.get("name"));
        float[] adaCentroid = vector(adaNow.get("centroid"));
        float[] sum = new float[adaCentroid.length];
        int adaFaces = 0;
        for (Map.Entry<String, String> face : personsOfFaces(INDEX).entrySet()) {
            if (ada.equals(face.getValue())) {
                String photo = face.getKey().substring(0, face.getKey().indexOf('#'));
                float[] embedding = vector(faceAt(sourcesAfter.get(photo), Integer.parseInt(face.getKey().substring(photo.length() + 1))).get("embedding"));
                for (int d = 0; d < sum.length; d++) {
                    sum[d] += embedding[d];
                }
                adaFaces++;
            }
        }
        assertEquals(((Number) adaNow.get("face_count")).intValue(), adaFaces);
        float[] mean = io.facesearch.people.cluster.Centroids.normalised(sum);
        assertEquals("the centroid is the mean of the new vectors", 1.0, io.facesearch.people.cluster.Centroids.dot(mean, adaCentroid), 1e-4);
        assertTrue("and not the former one", io.facesearch.people.cluster.Centroids.dot(adaCentroidBefore, adaCentroid) < 0.99999);
        List<String> adaPhotos = new ArrayList<>();
        for (Object hit : (List<?>) ((Map<?, ?>) call(
            jsonRequest("POST", "/" + INDEX + "/_search", "{\"size\":4,\"_source\":[\"folder\"],\"query\":{\"face_match\":{\"person\":\"Ada\"}}}")
        ).get("hits")).get("hits")) {
            adaPhotos.add((String) ((Map<?, ?>) ((Map<?, ?>) hit).get("_source")).get("folder"));
        }
        assertEquals(adaPhotos.toString(), 1, adaPhotos.stream().distinct().count());

        // copied into a new photo index, whose people index is new: the persons come from the former one
        call(jsonRequest("PUT", "/_plugins/_face/index/moved", "{\"processor\":{\"remove_image\":false}}"));
        Map<String, Object> copied = call(
            jsonRequest("POST", "/_reindex?refresh=true", "{\"source\":{\"index\":\"" + INDEX + "\"},\"dest\":{\"index\":\"moved\"}}")
        );
        assertEquals(copied.toString(), photos.size(), ((Number) copied.get("created")).intValue());
        String wrongSource = expectError(
            jsonRequest("POST", "/_plugins/_face/people/moved/_cluster", "{\"persons_from\":\"moved-people\"}"),
            400
        ).get("reason").toString();
        assertTrue(wrongSource, wrongSource.contains("[persons_from] [moved-people] is the people index the run writes"));
        expectError(jsonRequest("POST", "/_plugins/_face/people/moved/_cluster", "{\"persons_from\":\"nowhere-people\"}"), 404);
        cluster("moved", "{\"persons_from\":\"" + INDEX + "-people\"}");
        Map<?, ?> adaMoved = personDocument("moved-people", ada);
        assertEquals("Ada", adaMoved.get("name"));
        assertEquals(true, adaMoved.get("named"));
        assertEquals(adaNow.get("face_count"), adaMoved.get("face_count"));
        assertEquals("Ada is in the same photos", photosOf(ada, INDEX), photosOf(ada, "moved"));
    }
}
