package io.facesearch.qa;

import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.junit.AfterClass;
import org.junit.Before;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.facesearch.common.StoredJson.assertSameValues;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;

/**
 * Documents of photo indices on the real node: edited with {@code _update} (a partial document and a script),
 * {@code _update_by_query} with a script and {@code _reindex} into another photo index, all through the indices'
 * default pipelines, keeping their faces and vectors; GETs and searches without the vectors unless they ask for them;
 * {@code face_match} by reference; and the {@code face} processor refusing an index without the face mapping.
 */
public class PhotoEditingIT extends FaceSearchRestTestCase {
    private static final String INDEX = "editing_it";
    private static final String COPY = "editing_it_copy";
    private static final String PLAIN = "editing_it_plain";
    private static final String[][] PHOTOS = {
        { "obama", "people/Barack_Obama/fr_obama.jpg" },
        { "two", "group/fr_two_people.jpg" },
        { "kit", "group/fr_kit_with_rose.jpg" },
        { "kidman", "people/Nicole_Kidman/Nicole_Kidman_0001.jpg" } };
    private static final String SETTINGS = "{\"settings\":{\"face_search.exclude_source_vectors\":true}}";
    /** OpenSearch 3.6 still runs an index's default pipeline on an update of an existing document, and warns it may stop. */
    private static final String UPDATE_WITH_PIPELINE_WARNING = "the index ["
        + INDEX
        + "] has a default ingest pipeline or a final ingest pipeline, the support of the ingest pipelines for update operation "
        + "causes unexpected result and will be removed in 3.0.0";

    private static boolean indexed;

    @Before
    public void indexPhotos() throws IOException {
        if (indexed) {
            return;
        }
        deleteQuietly();
        callOk("PUT", "/_plugins/_face/index/" + INDEX, SETTINGS);
        StringBuilder bulk = new StringBuilder();
        for (String[] photo : PHOTOS) {
            bulk.append("{\"index\":{\"_index\":\"").append(INDEX).append("\",\"_id\":\"").append(photo[0]).append("\"}}\n");
            bulk.append("{\"caption\":\"").append(photo[0]).append("\",\"image\":").append(jsonString(base64Photo(photo[1]))).append("}\n");
        }
        Answer answer = callOk("POST", "/_bulk", bulk.toString(), "refresh", "true");
        assertEquals(abbreviate(answer.body()), Boolean.FALSE, answer.body().get("errors"));
        indexed = true;
    }

    @AfterClass
    public static void cleanUp() throws IOException {
        indexed = false;
        if (Boolean.getBoolean("face_search.qa.keep_indices") == false) {
            deleteQuietly();
        }
    }

    private static void deleteQuietly() throws IOException {
        for (String index : List.of(INDEX, COPY, PLAIN)) {
            call("DELETE", "/" + index, null);
            call("DELETE", "/_ingest/pipeline/face-search-" + index, null);
        }
    }

    public void testUpdateWithADocumentAndAScriptKeepsTheFaces() throws IOException {
        Map<String, Object> before = fullSource(INDEX, "obama");
        assertEquals("updated", update("obama", "{\"doc\":{\"identity\":\"Barack_Obama\"}}").get("result"));
        Map<String, Object> after = fullSource(INDEX, "obama");
        assertEquals("Barack_Obama", after.get("identity"));
        after.remove("identity");
        assertSameValues("obama after a partial update", before, after);

        String script = "{\"script\":{\"source\":\"ctx._source.faces[1].identity = params.name\",\"params\":{\"name\":\"second\"}}}";
        before = fullSource(INDEX, "two");
        assertEquals("updated", update("two", script).get("result"));
        after = fullSource(INDEX, "two");
        Map<String, Object> secondFace = asListOfMaps(after.get("faces")).get(1);
        assertEquals("second", secondFace.remove("identity"));
        assertSameValues("two after a scripted update", before, after);
        assertEquals("keyword", mappedType("identity"));
        assertEquals("keyword", asMap(asMap(asMap(properties(INDEX).get("faces")).get("properties")).get("identity")).get("type"));
    }

    public void testUpdateByQueryWithAScriptKeepsTheFaces() throws IOException {
        Map<String, Object> before = fullSource(INDEX, "kit");
        Answer answer = callOk(
            "POST",
            "/" + INDEX + "/_update_by_query",
            "{\"query\":{\"ids\":{\"values\":[\"kit\",\"kidman\"]}},\"script\":{\"source\":\"ctx._source.event = 'premiere'\"}}",
            "refresh",
            "true"
        );
        assertEquals("update_by_query failures: " + abbreviate(answer.body()), List.of(), answer.body().get("failures"));
        assertEquals(abbreviate(answer.body()), 2, asInt(answer.body().get("updated")));
        Map<String, Object> after = fullSource(INDEX, "kit");
        assertEquals("premiere", after.remove("event"));
        assertSameValues("kit after update_by_query", before, after);
    }

    public void testReindexIntoAnotherPhotoIndexKeepsFacesAndVectors() throws IOException {
        callOk("PUT", "/_plugins/_face/index/" + COPY, SETTINGS);
        Answer answer = callOk(
            "POST",
            "/_reindex",
            "{\"source\":{\"index\":\"" + INDEX + "\"},\"dest\":{\"index\":\"" + COPY + "\"}}",
            "refresh",
            "true"
        );
        assertEquals("reindex failures: " + abbreviate(answer.body()), List.of(), answer.body().get("failures"));
        long documents = asLong(callOk("GET", "/" + INDEX + "/_count", null).body().get("count"));
        assertEquals(abbreviate(answer.body()), documents, asLong(answer.body().get("created")));
        for (String[] photo : PHOTOS) {
            assertSameValues(photo[0] + " in the copy", fullSource(INDEX, photo[0]), fullSource(COPY, photo[0]));
        }
        List<?> vector = (List<?>) asListOfMaps(fullSource(INDEX, "kidman").get("faces")).get(0).get("embedding");
        String query = "{\"size\":1,\"_source\":false,\"query\":{\"face_match\":{\"vector\":" + vector + "}}}";
        assertEquals("kidman", hits(callOk("POST", "/" + COPY + "/_search", query)).get(0).get("_id"));
    }

    public void testReadsLeaveTheVectorsOutUnlessAsked() throws IOException {
        Map<String, Object> byDefault = asMap(callOk("GET", "/" + INDEX + "/_doc/obama", null).body().get("_source"));
        assertNull("no CLIP vector by default", byDefault.get("clip"));
        Map<String, Object> face = asListOfMaps(byDefault.get("faces")).get(0);
        assertNotNull(face.get("box"));
        assertNull("no face vector by default", face.get("embedding"));
        Map<String, Object> asked = fullSource(INDEX, "obama");
        assertEquals(EMBEDDING_DIMENSION, ((List<?>) asListOfMaps(asked.get("faces")).get(0).get("embedding")).size());
        assertNotNull(asked.get("clip"));
        Map<String, Object> included = asMap(callOk("GET", "/" + INDEX + "/_doc/obama", null, "_source_includes", "faces.embedding").body().get("_source"));
        assertEquals(EMBEDDING_DIMENSION, ((List<?>) asListOfMaps(included.get("faces")).get(0).get("embedding")).size());

        for (Map<String, Object> hit : hits(callOk("POST", "/" + INDEX + "/_search", "{}"))) {
            Map<String, Object> source = asMap(hit.get("_source"));
            assertNull(source.get("clip"));
            for (Map<String, Object> hitFace : asListOfMaps(source.get("faces"))) {
                assertNull(hitFace.get("embedding"));
            }
        }
        Map<String, Object> whole = asMap(hits(callOk("POST", "/" + INDEX + "/_search", "{\"_source\":true}")).get(0).get("_source"));
        assertEquals(EMBEDDING_DIMENSION, ((List<?>) asListOfMaps(whole.get("faces")).get(0).get("embedding")).size());

        int without = responseBytes("{\"size\":3,\"sort\":[\"_doc\"]}");
        int with = responseBytes("{\"size\":3,\"sort\":[\"_doc\"],\"_source\":true}");
        log(String.format(Locale.ROOT, "3 hits: %d bytes, %d bytes with the vectors", without, with));
        assertThat("3 hits with their vectors", with - without, greaterThan(3 * EMBEDDING_DIMENSION * 3));
    }

    public void testFaceMatchByReferenceStillWorks() throws IOException {
        String query = "{\"query\":{\"face_match\":{\"face\":{\"index\":\"" + INDEX + "\",\"id\":\"obama\"}}}}";
        Map<String, Object> best = hits(callOk("POST", "/" + INDEX + "/_search", query)).get(0);
        assertEquals("obama", best.get("_id"));
        assertNull(asListOfMaps(asMap(best.get("_source")).get("faces")).get(0).get("embedding"));
    }

    public void testIndexWithoutTheFaceMappingIsRefused() throws IOException {
        callOk("PUT", "/" + PLAIN, null);
        // a photo of someone the other tests do not search for: its face would tie with theirs at similarity 1
        String photo = jsonString(base64Photo("people/Jim_Piper/Jim_Piper_0001.jpg"));
        String bulk = "{\"index\":{\"_index\":\"" + PLAIN + "\",\"_id\":\"1\"}}\n{\"image\":" + photo + "}\n"
            + "{\"index\":{\"_index\":\"" + INDEX + "\",\"_id\":\"again\"}}\n{\"image\":" + photo + "}\n";
        Answer answer = callOk("POST", "/_bulk", bulk, "pipeline", "face-search-" + INDEX, "refresh", "true");
        List<Map<String, Object>> items = asListOfMaps(answer.body().get("items"));
        Map<String, Object> refused = asMap(items.get(0).get("index"));
        assertEquals(abbreviate(refused), 400, asInt(refused.get("status")));
        String reason = String.valueOf(asMap(refused.get("error")).get("reason"));
        assertThat(reason, startsWith("index [" + PLAIN + "] does not map [faces]: "));
        assertThat(reason, containsString("PUT _plugins/_face/index/" + PLAIN));
        assertEquals(201, asInt(asMap(items.get(1).get("index")).get("status")));
        assertNull("nothing mapped in " + PLAIN, properties(PLAIN));
    }

    /** {@code _update} of a document of {@link #INDEX}, which answers 200 with OpenSearch's warning. */
    private static Map<String, Object> update(String id, String body) throws IOException {
        Request request = new Request("POST", "/" + INDEX + "/_update/" + id);
        request.addParameter("refresh", "true");
        request.setJsonEntity(body);
        request.setOptions(expectWarnings(UPDATE_WITH_PIPELINE_WARNING));
        return entityAsMap(client().performRequest(request));
    }

    /** The stored document with its vectors. */
    private static Map<String, Object> fullSource(String index, String id) throws IOException {
        return asMap(callOk("GET", "/" + index + "/_doc/" + id, null, "_source", "true").body().get("_source"));
    }

    private static Map<String, Object> properties(String index) throws IOException {
        Map<String, Object> mappings = asMap(asMap(callOk("GET", "/" + index + "/_mapping", null).body().get(index)).get("mappings"));
        return asMap(mappings.get("properties"));
    }

    private static String mappedType(String field) throws IOException {
        return String.valueOf(asMap(properties(INDEX).get(field)).get("type"));
    }

    private static List<Map<String, Object>> hits(Answer search) {
        List<Map<String, Object>> hits = asListOfMaps(asMap(search.body().get("hits")).get("hits"));
        assertFalse("no hits: " + abbreviate(search.body()), hits.isEmpty());
        return hits;
    }

    private static int responseBytes(String body) throws IOException {
        Request request = new Request("POST", "/" + INDEX + "/_search");
        request.setJsonEntity(body);
        Response response = client().performRequest(request);
        try (InputStream in = response.getEntity().getContent()) {
            return in.readAllBytes().length;
        }
    }
}
