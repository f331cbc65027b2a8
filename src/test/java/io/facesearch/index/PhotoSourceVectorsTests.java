package io.facesearch.index;

import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.plugin.FaceSearchPlugin;

import org.opensearch.action.search.SearchResponse;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;
import org.opensearch.transport.client.ParentTaskAssigningClient;
import org.junit.Before;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A photo index ({@code index.face_search.exclude_source_vectors}) keeps its face vectors inside the cluster: the
 * {@code _source} of searches and GETs leaves them out unless the read asks for them, while by-reference
 * {@code face_match} and reads of a parent task (those of {@code _reindex} and {@code _update_by_query}) still get
 * them. In an in-JVM node with the real k-NN plugin, whose derived source puts the vectors back on every read that
 * does not exclude them.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class PhotoSourceVectorsTests extends FaceSearchIntegTestCase {
    private static final String PHOTOS = "hidden_vectors";
    private static final String PLAIN = "shown_vectors";

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, knnPlugin());
    }

    @Before
    public void indexPhotos() throws IOException {
        if (indexExists(PHOTOS)) {
            return;
        }
        call(jsonRequest("PUT", "/_plugins/_face/index/" + PHOTOS, "{\"settings\":{\"face_search.exclude_source_vectors\":true}}"));
        call(jsonRequest("PUT", "/_plugins/_face/index/" + PLAIN, "{\"settings\":{\"face_search.exclude_source_vectors\":false}}"));
        StringBuilder bulk = new StringBuilder();
        for (String index : List.of(PHOTOS, PLAIN)) {
            for (String[] photo : new String[][] {
                { "obama", "people/Barack_Obama/fr_obama.jpg" },
                { "two", "group/fr_two_people.jpg" },
                { "kit", "group/fr_kit_with_rose.jpg" } }) {
                bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"").append(photo[0]).append("\"}}\n");
                bulk.append("{\"caption\":\"").append(photo[0]).append("\",\"image\":\"").append(base64(photo[1])).append("\"}\n");
            }
        }
        Map<String, Object> result = call(jsonRequest("POST", "/_bulk?refresh=true", bulk.toString()));
        assertEquals(result.toString(), false, result.get("errors"));
    }

    public void testGetLeavesTheVectorsOutUnlessAsked() throws IOException {
        Map<?, ?> byDefault = get("/" + PHOTOS + "/_doc/obama");
        assertEquals("obama", byDefault.get("caption"));
        Map<?, ?> face = firstFace(byDefault);
        assertNotNull("the face's other fields stay: " + face, face.get("box"));
        assertNull(face.get("embedding"));
        assertNull(firstFace(get("/" + PHOTOS + "/_source/obama")).get("embedding"));
        assertNull("other excludes add to the vectors'", firstFace(get("/" + PHOTOS + "/_doc/obama?_source_excludes=caption")).get("embedding"));

        assertVector(firstFace(get("/" + PHOTOS + "/_doc/obama?_source=true")).get("embedding"));
        assertVector(firstFace(get("/" + PHOTOS + "/_doc/obama?_source_includes=faces.embedding")).get("embedding"));
        assertVector(firstFace(get("/" + PHOTOS + "/_doc/obama?_source_includes=faces")).get("embedding"));
        assertVector(firstFace(get("/" + PLAIN + "/_doc/obama")).get("embedding"));
    }

    public void testSearchLeavesTheVectorsOutUnlessAsked() throws IOException {
        for (Map<?, ?> source : sources(search(PHOTOS, "{}"))) {
            assertNotNull(source.get("photo"));
            for (Object face : (List<?>) source.get("faces")) {
                assertNull(((Map<?, ?>) face).get("embedding"));
            }
        }
        assertNull(firstFace(sources(search(PHOTOS, "{\"_source\":{\"excludes\":[\"caption\"]}}")).get(0)).get("embedding"));
        assertNull(firstFace(sources(search(PHOTOS, "{\"_source\":[\"faces.box\"]}")).get(0)).get("embedding"));

        assertVector(firstFace(sources(search(PHOTOS, "{\"_source\":true}")).get(0)).get("embedding"));
        assertVector(firstFace(sources(search(PHOTOS, "{\"_source\":[\"faces.*\"]}")).get(0)).get("embedding"));
        assertVector(firstFace(sources(search(PHOTOS, "{\"_source\":[\"faces\"]}")).get(0)).get("embedding"));
        assertVector(firstFace(sources(search(PHOTOS + "/_search?_source_includes=faces.embedding", null)).get(0)).get("embedding"));
        assertVector(firstFace(sources(search(PLAIN, "{}")).get(0)).get("embedding"));
        Map<?, ?> hit = hits(search(PHOTOS, "{\"_source\":false}")).get(0);
        assertNull(hit.get("_source"));
        hit = hits(search(PHOTOS, "{\"stored_fields\":[\"_id\"]}")).get(0);
        assertNull("stored_fields alone still return no source", hit.get("_source"));
    }

    public void testThreeHitsAreSmallerWithoutTheVectors() throws IOException {
        int without = responseBytes("{\"size\":3,\"sort\":[\"_doc\"]}");
        int with = responseBytes("{\"size\":3,\"sort\":[\"_doc\"],\"_source\":true}");
        logger.info("3 hits of a photo index: {} bytes, {} bytes with the vectors", without, with);
        // 4 faces of 128 vector components, each at least 2 characters and a comma
        assertTrue(without + " vs " + with, with - without > 4 * 128 * 3);
    }

    public void testMultiGetAndMultiSearchLeaveTheVectorsOut() throws IOException {
        Map<String, Object> multiGet = call(
            jsonRequest(
                "POST",
                "/_mget",
                "{\"docs\":[{\"_index\":\"" + PHOTOS + "\",\"_id\":\"obama\"},{\"_index\":\"" + PHOTOS + "\",\"_id\":\"kit\",\"_source\":true}]}"
            )
        );
        List<?> docs = (List<?>) multiGet.get("docs");
        assertNull(firstFace((Map<?, ?>) ((Map<?, ?>) docs.get(0)).get("_source")).get("embedding"));
        assertVector(firstFace((Map<?, ?>) ((Map<?, ?>) docs.get(1)).get("_source")).get("embedding"));

        String body = "{\"index\":\"" + PHOTOS + "\"}\n{}\n{\"index\":\"" + PHOTOS + "\"}\n{\"_source\":true}\n";
        List<?> responses = (List<?>) call(jsonRequest("POST", "/_msearch", body)).get("responses");
        assertNull(firstFace(sources((Map<?, ?>) responses.get(0)).get(0)).get("embedding"));
        assertVector(firstFace(sources((Map<?, ?>) responses.get(1)).get(0)).get("embedding"));
    }

    public void testNestedInnerHitsLeaveTheVectorsOutUnlessAsked() throws IOException {
        String nested = "{\"query\":{\"nested\":{\"path\":\"faces\",\"query\":{\"match_all\":{}},\"inner_hits\":%s}}}";
        Map<?, ?> hit = hits(search(PHOTOS, String.format(Locale.ROOT, nested, "{}"))).get(0);
        Map<?, ?> innerFace = innerFace(hit);
        assertNotNull(innerFace.get("box"));
        assertNull(innerFace.get("embedding"));
        assertNull(firstFace((Map<?, ?>) hit.get("_source")).get("embedding"));

        hit = hits(search(PHOTOS, String.format(Locale.ROOT, nested, "{\"_source\":true}"))).get(0);
        assertVector(innerFace(hit).get("embedding"));
    }

    public void testFaceMatchByReferenceStillFindsThePhoto() throws IOException {
        String query = "{\"query\":{\"face_match\":{\"face\":{\"index\":\"" + PHOTOS + "\",\"id\":\"obama\"}}}}";
        Map<?, ?> best = hits(search(PHOTOS, query)).get(0);
        assertEquals("obama", best.get("_id"));
        assertNull(firstFace((Map<?, ?>) best.get("_source")).get("embedding"));
    }

    public void testReadsOfAParentTaskKeepTheVectors() {
        ParentTaskAssigningClient childClient = new ParentTaskAssigningClient(
            client(),
            new TaskId(clusterService().localNode().getId(), 1)
        );
        SearchResponse read = childClient.prepareSearch(PHOTOS).get();
        assertEquals(3, read.getHits().getHits().length);
        for (SearchHit hit : read.getHits().getHits()) {
            List<?> faces = (List<?>) hit.getSourceAsMap().get("faces");
            assertVector(((Map<?, ?>) faces.get(0)).get("embedding"));
        }
    }

    public void testScrollPagesLeaveTheVectorsOut() throws IOException {
        Map<String, Object> first = call(jsonRequest("POST", "/" + PHOTOS + "/_search?scroll=1m", "{\"size\":1}"));
        Map<String, Object> next = call(
            jsonRequest("POST", "/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\"" + first.get("_scroll_id") + "\"}")
        );
        assertNull(firstFace(sources(next).get(0)).get("embedding"));
        // the search context would otherwise outlive the test, until its keep-alive ends
        call(jsonRequest("DELETE", "/_search/scroll", "{\"scroll_id\":\"" + next.get("_scroll_id") + "\"}"));
    }

    public void testTurningTheSettingOffShowsTheVectors() throws IOException {
        String index = "toggled_vectors";
        call(jsonRequest("PUT", "/_plugins/_face/index/" + index, "{\"settings\":{\"face_search.exclude_source_vectors\":true}}"));
        call(jsonRequest("PUT", "/" + index + "/_doc/1?refresh=true", "{\"image\":\"" + base64("people/Barack_Obama/fr_obama.jpg") + "\"}"));
        assertNull(firstFace(get("/" + index + "/_doc/1")).get("embedding"));
        call(jsonRequest("PUT", "/" + index + "/_settings", "{\"index.face_search.exclude_source_vectors\":false}"));
        assertVector(firstFace(get("/" + index + "/_doc/1")).get("embedding"));
    }

    private Map<?, ?> get(String path) throws IOException {
        Map<String, Object> body = call(new Request("GET", path));
        return body.containsKey("_source") ? (Map<?, ?>) body.get("_source") : body;
    }

    private Map<String, Object> search(String indexOrPath, String body) throws IOException {
        String path = indexOrPath.contains("/") ? "/" + indexOrPath : "/" + indexOrPath + "/_search";
        Request request = new Request("POST", path);
        if (body != null) {
            request.setJsonEntity(body);
        }
        return call(request);
    }

    private int responseBytes(String body) throws IOException {
        Request request = jsonRequest("POST", "/" + PHOTOS + "/_search", body);
        Response response = getRestClient().performRequest(request);
        try (InputStream in = response.getEntity().getContent()) {
            return in.readAllBytes().length;
        }
    }

    private static List<Map<?, ?>> hits(Map<?, ?> search) {
        List<?> hits = (List<?>) ((Map<?, ?>) search.get("hits")).get("hits");
        assertFalse("no hits", hits.isEmpty());
        return hits.stream().<Map<?, ?>>map(hit -> (Map<?, ?>) hit).toList();
    }

    private static List<Map<?, ?>> sources(Map<?, ?> search) {
        return hits(search).stream().<Map<?, ?>>map(hit -> (Map<?, ?>) hit.get("_source")).toList();
    }

    /** The first face of a photo document (each test photo has at least one). */
    private static Map<?, ?> firstFace(Map<?, ?> source) {
        return (Map<?, ?>) ((List<?>) source.get("faces")).get(0);
    }

    private static Map<?, ?> innerFace(Map<?, ?> hit) {
        Map<?, ?> innerHits = (Map<?, ?>) ((Map<?, ?>) hit.get("inner_hits")).get("faces");
        List<?> faces = (List<?>) ((Map<?, ?>) innerHits.get("hits")).get("hits");
        return (Map<?, ?>) ((Map<?, ?>) faces.get(0)).get("_source");
    }

    /** A real face vector: 128 numbers of unit length, not the k-NN plugin's placeholder for a vector left out. */
    private static void assertVector(Object value) {
        assertTrue("not a vector: " + value, value instanceof List<?>);
        List<?> vector = (List<?>) value;
        assertEquals(128, vector.size());
        double norm = 0;
        for (Object component : vector) {
            norm += ((Number) component).doubleValue() * ((Number) component).doubleValue();
        }
        assertEquals(1.0, Math.sqrt(norm), 1e-3);
    }
}
