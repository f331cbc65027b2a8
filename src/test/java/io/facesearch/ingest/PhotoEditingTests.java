package io.facesearch.ingest;

import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.plugin.FaceSearchPlugin;

import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.client.Request;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.painless.PainlessModulePlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchIntegTestCase;
import org.opensearch.transport.Netty4ModulePlugin;
import org.opensearch.transport.client.ParentTaskAssigningClient;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static io.facesearch.common.StoredJson.assertSameValues;

/**
 * Documents of a photo index stay editable through its default pipeline, which sees the whole stored document again:
 * {@code _update} sends the merged document, and {@code _reindex} and {@code _update_by_query} send what their search
 * read, vectors included (the k-NN plugin puts them back into {@code _source} on reads that do not exclude them).
 * The photo indices here leave the vectors out of the {@code _source} clients read, as {@code PUT _plugins/_face/index}
 * makes them; this node has no reindex module, so the reads and writes of {@code _reindex} and
 * {@code _update_by_query} are made here by hand, as those do them (the real-node tests run the real ones).
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class PhotoEditingTests extends FaceSearchIntegTestCase {
    private static final String OBAMA = "people/Barack_Obama/fr_obama.jpg";
    private static final String MISSING_PHOTO = "field [image] is missing or null; it must hold the photo as base64";

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(FaceSearchPlugin.class, Netty4ModulePlugin.class, PainlessModulePlugin.class, knnPlugin());
    }

    public void testPartialUpdateKeepsTheFaces() throws IOException {
        createPhotoIndex("update_doc");
        indexPhoto("update_doc", "obama", OBAMA, "\"caption\":\"speech\"");
        Map<?, ?> before = fullSource("update_doc", "obama");

        Map<String, Object> updated = call(
            jsonRequest("POST", "/update_doc/_update/obama?refresh=true", "{\"doc\":{\"identity\":\"Barack_Obama\"}}")
        );
        assertEquals("updated", updated.get("result"));

        Map<?, ?> after = fullSource("update_doc", "obama");
        assertEquals("Barack_Obama", after.get("identity"));
        assertEquals("speech", after.get("caption"));
        assertSameValues("faces", before.get("faces"), after.get("faces"));
        assertSameValues("photo", before.get("photo"), after.get("photo"));
        assertEquals("obama", nearestPhoto("update_doc", before));
    }

    public void testScriptedUpdateKeepsTheFaces() throws IOException {
        createPhotoIndex("update_script");
        indexPhoto("update_script", "group", "group/insightface_t1.jpg", "");
        Map<?, ?> before = fullSource("update_script", "group");

        Map<String, Object> updated = call(
            jsonRequest(
                "POST",
                "/update_script/_update/group?refresh=true",
                "{\"script\":{\"source\":\"ctx._source.faces[0].identity = params.name\",\"params\":{\"name\":\"first\"}}}"
            )
        );
        assertEquals("updated", updated.get("result"));

        List<?> faces = (List<?>) fullSource("update_script", "group").get("faces");
        assertEquals("first", ((Map<?, ?>) faces.get(0)).get("identity"));
        ((Map<?, ?>) faces.get(0)).remove("identity");
        assertSameValues("faces", before.get("faces"), faces);
    }

    public void testBulkUpdateKeepsTheFaces() throws IOException {
        createPhotoIndex("update_bulk");
        indexPhoto("update_bulk", "obama", OBAMA, "");
        Map<?, ?> before = fullSource("update_bulk", "obama");

        String bulk = "{\"update\":{\"_index\":\"update_bulk\",\"_id\":\"obama\"}}\n{\"doc\":{\"identity\":\"Barack_Obama\"}}\n";
        Map<String, Object> result = call(jsonRequest("POST", "/_bulk?refresh=true", bulk));
        assertEquals(result.toString(), false, result.get("errors"));

        Map<?, ?> after = fullSource("update_bulk", "obama");
        assertEquals("Barack_Obama", after.get("identity"));
        assertSameValues("faces", before.get("faces"), after.get("faces"));
    }

    public void testUpdateWithANewPhotoAnalysesItAgain() throws IOException {
        createPhotoIndex("update_photo");
        indexPhoto("update_photo", "doc", OBAMA, "");
        assertEquals(1, ((List<?>) fullSource("update_photo", "doc").get("faces")).size());

        String newPhoto = "{\"doc\":{\"image\":\"" + base64("group/insightface_t1.jpg") + "\"}}";
        call(jsonRequest("POST", "/update_photo/_update/doc?refresh=true", newPhoto));

        Map<?, ?> after = fullSource("update_photo", "doc");
        assertEquals(6, ((List<?>) after.get("faces")).size());
        assertEquals(6, ((Map<?, ?>) after.get("photo")).get("face_count"));
        assertNull("the new photo is removed in its turn", after.get("image"));
    }

    public void testDocumentWithoutPhotoOrFacesStillFails() throws IOException {
        createPhotoIndex("no_photo");
        Map<?, ?> error = expectError(jsonRequest("PUT", "/no_photo/_doc/1", "{\"caption\":\"no photo here\"}"), 400);
        assertEquals(MISSING_PHOTO, error.get("reason"));
    }

    public void testFacesOfOtherModelsAreNotKept() throws IOException {
        createPhotoIndex("other_models");
        indexPhoto("other_models", "obama", OBAMA, "");
        Map<?, ?> before = fullSource("other_models", "obama");

        Request otherEmbedder = jsonRequest(
            "POST",
            "/other_models/_update/obama",
            "{\"doc\":{\"photo\":{\"model\":{\"embedder_sha256\":\"0000\"}}}}"
        );
        String reason = expectError(otherEmbedder, 400).get("reason").toString();
        assertTrue(reason, reason.startsWith(MISSING_PHOTO));
        assertTrue(reason, reason.contains("[photo.model] embedder_sha256 [0000], now ["));
        assertSameValues("the stored document", before, fullSource("other_models", "obama"));

        Request noVectors = jsonRequest(
            "PUT",
            "/other_models/_doc/copy",
            "{\"faces\":[{\"index\":0}],\"photo\":" + toJson(before.get("photo")) + "}"
        );
        reason = expectError(noVectors, 400).get("reason").toString();
        assertTrue(reason, reason.contains("face 0 of [faces] has no [embedding] vector of 128 numbers"));
    }

    /**
     * {@code _reindex} and {@code _update_by_query} read with a search that is a child of their own task, and index
     * each hit's {@code _source} through the target's default pipeline.
     */
    public void testDocumentsReadByAChildTaskKeepTheirFaces() throws IOException {
        createPhotoIndex("reindex_from");
        createPhotoIndex("reindex_to");
        indexPhoto("reindex_from", "obama", OBAMA, "\"identity\":\"Barack_Obama\"");
        indexPhoto("reindex_from", "group", "group/insightface_t1.jpg", "");
        ParentTaskAssigningClient childClient = new ParentTaskAssigningClient(client(), new TaskId(nodeId(), 1));

        SearchResponse read = childClient.prepareSearch("reindex_from").setSize(10).get();
        assertEquals(2, read.getHits().getHits().length);
        BulkRequest copy = new BulkRequest().setRefreshPolicy("true");
        BulkRequest labelled = new BulkRequest().setRefreshPolicy("true");
        for (SearchHit hit : read.getHits().getHits()) {
            List<?> faces = (List<?>) hit.getSourceAsMap().get("faces");
            assertEquals("the k-NN plugin puts the vectors into the source read", 128, ((List<?>) ((Map<?, ?>) faces.get(0)).get("embedding")).size());
            // as JSON, as clients send: the test framework would pick a random content type
            copy.add(new IndexRequest("reindex_to").id(hit.getId()).source(hit.getSourceAsMap(), XContentType.JSON));
            Map<String, Object> source = hit.getSourceAsMap();
            source.put("caption", "labelled by query");
            labelled.add(new IndexRequest("reindex_from").id(hit.getId()).source(source, XContentType.JSON));
        }
        BulkResponse copied = childClient.bulk(copy).actionGet();
        assertFalse(copied.buildFailureMessage(), copied.hasFailures());
        BulkResponse written = childClient.bulk(labelled).actionGet();
        assertFalse(written.buildFailureMessage(), written.hasFailures());

        for (String id : List.of("obama", "group")) {
            Map<?, ?> source = fullSource("reindex_from", id);
            assertEquals("labelled by query", source.get("caption"));
            Map<?, ?> target = fullSource("reindex_to", id);
            source.remove("caption");
            assertSameValues(id, source, target);
        }
        assertEquals("obama", nearestPhoto("reindex_to", fullSource("reindex_from", "obama")));
    }

    public void testSimulateKeepsFacesOfTheProcessorsModels() throws IOException {
        createPhotoIndex("simulated");
        indexPhoto("simulated", "obama", OBAMA, "");
        Map<?, ?> stored = fullSource("simulated", "obama");
        Map<?, ?> photo = (Map<?, ?>) stored.get("photo");
        String otherModel = toJson(photo).replace("\"dimension\":128", "\"dimension\":512");
        assertNotEquals(toJson(photo), otherModel);

        String body = "{\"pipeline\":{\"processors\":[{\"face\":{}}]},\"docs\":["
            + "{\"_source\":" + toJson(stored) + "},"
            + "{\"_source\":{\"faces\":" + toJson(stored.get("faces")) + ",\"photo\":" + otherModel + "}},"
            + "{\"_source\":{\"caption\":\"nothing\"}}]}";
        List<?> docs = (List<?>) call(jsonRequest("POST", "/_ingest/pipeline/_simulate", body)).get("docs");
        Map<?, ?> kept = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) docs.get(0)).get("doc")).get("_source");
        assertSameValues("a document with faces of the processor's models", stored, kept);
        String stale = ((Map<?, ?>) ((Map<?, ?>) docs.get(1)).get("error")).get("reason").toString();
        assertTrue(stale, stale.contains("[photo.model] dimension [512], now [128]"));
        String missing = ((Map<?, ?>) ((Map<?, ?>) docs.get(2)).get("error")).get("reason").toString();
        assertEquals(MISSING_PHOTO, missing);
    }

    private void createPhotoIndex(String index) throws IOException {
        call(jsonRequest("PUT", "/_plugins/_face/index/" + index, "{\"settings\":{\"face_search.exclude_source_vectors\":true}}"));
    }

    private void indexPhoto(String index, String id, String photo, String otherFields) throws IOException {
        String body = "{\"image\":\"" + base64(photo) + "\"" + (otherFields.isEmpty() ? "" : "," + otherFields) + "}";
        assertEquals("created", call(jsonRequest("PUT", "/" + index + "/_doc/" + id + "?refresh=true", body)).get("result"));
    }

    /** The stored document with its vectors. */
    private Map<?, ?> fullSource(String index, String id) throws IOException {
        return (Map<?, ?>) call(new Request("GET", "/" + index + "/_doc/" + id + "?_source=true")).get("_source");
    }

    /** The id of the photo whose face is nearest to the first face of {@code source}. */
    private String nearestPhoto(String index, Map<?, ?> source) throws IOException {
        Object vector = ((Map<?, ?>) ((List<?>) source.get("faces")).get(0)).get("embedding");
        String query = "{\"size\":1,\"_source\":false,\"query\":{\"face_match\":{\"vector\":" + vector + "}}}";
        List<?> hits = (List<?>) ((Map<?, ?>) call(jsonRequest("POST", "/" + index + "/_search", query)).get("hits")).get("hits");
        return ((Map<?, ?>) hits.get(0)).get("_id").toString();
    }

    private String nodeId() {
        return clusterService().localNode().getId();
    }
}
