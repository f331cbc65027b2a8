package io.facesearch.people;

import io.facesearch.people.cluster.ClusterFace;
import io.facesearch.people.cluster.PersonSummary;

import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.bulk.BulkAction;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.search.SearchScrollAction;
import org.opensearch.action.search.SearchScrollRequest;
import org.opensearch.action.support.WriteRequest;
import org.opensearch.action.update.UpdateRequest;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Reads and writes the documents of a people index. */
public final class PersonStore {
    static final int PAGE_SIZE = 1000;
    static final int BULK_SIZE = 500;

    private final ChildRequests requests;
    private final String index;

    public PersonStore(ChildRequests requests, String index) {
        this.requests = requests;
        this.index = index;
    }

    public String index() {
        return index;
    }

    /** Every person of the index, by id, without centroids. */
    public Map<String, StoredPerson> readAll() {
        return readAll(null);
    }

    /**
     * Every person of the index, by id; with {@code centroids} not null, their centroids are read too and put there.
     */
    public Map<String, StoredPerson> readAll(Map<String, float[]> centroids) {
        SearchSourceBuilder source = new SearchSourceBuilder().size(PAGE_SIZE).sort("_doc");
        if (centroids == null) {
            source.fetchSource(null, PeopleIndex.hiddenFields().toArray(String[]::new));
        } else {
            source.fetchSource(true);
        }
        SearchRequest search = new SearchRequest(index).source(source).scroll(StoredFaces.KEEP_ALIVE);
        Map<String, StoredPerson> persons = new LinkedHashMap<>();
        SearchResponse page = requests.execute(SearchAction.INSTANCE, search);
        String scrollId = page.getScrollId();
        try {
            while (page.getHits().getHits().length > 0) {
                for (SearchHit hit : page.getHits().getHits()) {
                    Map<String, Object> person = hit.getSourceAsMap();
                    persons.put(hit.getId(), StoredPerson.of(hit.getId(), person));
                    if (centroids != null && person.get(PeopleIndex.CENTROID) instanceof List<?> values) {
                        centroids.put(hit.getId(), vector(values));
                    }
                }
                page = requests.execute(SearchScrollAction.INSTANCE, new SearchScrollRequest(scrollId).scroll(StoredFaces.KEEP_ALIVE));
                scrollId = page.getScrollId();
            }
        } finally {
            requests.clearScroll(scrollId);
        }
        return persons;
    }

    /** A stored vector; one that is not all numbers reads as empty, so it matches no centroid. */
    private static float[] vector(List<?> values) {
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            if ((values.get(i) instanceof Number number) == false) {
                return new float[0];
            }
            vector[i] = ((Number) values.get(i)).floatValue();
        }
        return vector;
    }

    /**
     * The document of a person: what the run computed, and what a user gave it (name, named, edited) and its creation
     * time kept from {@code stored} (null for a new person).
     */
    public static Map<String, Object> document(
        PersonSummary person,
        List<ClusterFace> faces,
        StoredPerson stored,
        Map<String, Object> model,
        boolean edited,
        Instant now
    ) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put(PeopleIndex.NAME, stored == null ? null : stored.name());
        source.put(PeopleIndex.NAMED, stored != null && stored.named());
        source.put(PeopleIndex.EDITED, edited || (stored != null && stored.edited()));
        source.put(PeopleIndex.FACE_COUNT, person.faceCount());
        source.put(PeopleIndex.PHOTO_COUNT, person.photoCount());
        ClusterFace representative = faces.get(person.representative());
        source.put(
            PeopleIndex.REPRESENTATIVE,
            Map.of("index", representative.key().index(), "id", representative.key().id(), "face", representative.key().face())
        );
        source.put(PeopleIndex.CENTROID, person.centroid());
        source.put(PeopleIndex.MODEL, model);
        TreeSet<String> photoIndices = new TreeSet<>();
        for (int face : person.members()) {
            photoIndices.add(faces.get(face).key().index());
        }
        source.put(PeopleIndex.PHOTO_INDICES, List.copyOf(photoIndices));
        String time = now.toString();
        source.put(PeopleIndex.CREATED_AT, stored == null || stored.createdAt() == null ? time : stored.createdAt());
        source.put(PeopleIndex.UPDATED_AT, time);
        return source;
    }

    /**
     * Writes a person's whole document. As JSON: the k-NN plugin reads the source of a document with vectors back as
     * JSON whatever it was sent as, and fails on the binary formats a client may otherwise use.
     */
    public DocWriteRequest<?> put(String id, Map<String, Object> document) {
        return new IndexRequest(index).id(id).source(document, MediaTypeRegistry.JSON);
    }

    /** Changes some fields of a person's document. */
    public DocWriteRequest<?> change(String id, Map<String, Object> fields) {
        return new UpdateRequest(index, id).doc(fields, MediaTypeRegistry.JSON);
    }

    public DocWriteRequest<?> remove(String id) {
        return new DeleteRequest(index, id);
    }

    /** Sends the writes in bulks; the index is refreshed after the last. A person already deleted is no failure. */
    public long write(List<DocWriteRequest<?>> writes, ClusterProgress progress) {
        long written = 0;
        for (int start = 0; start < writes.size(); start += BULK_SIZE) {
            BulkRequest bulk = new BulkRequest();
            writes.subList(start, Math.min(writes.size(), start + BULK_SIZE)).forEach(bulk::add);
            if (start + BULK_SIZE >= writes.size()) {
                bulk.setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
            }
            BulkResponse response = requests.execute(BulkAction.INSTANCE, bulk);
            for (BulkItemResponse item : response.getItems()) {
                if (item.isFailed() && (item.getOpType() != DocWriteRequest.OpType.DELETE || item.getFailure().getStatus().getStatus() != 404)) {
                    throw new IllegalStateException("writing person [" + item.getId() + "] to [" + index + "] failed: " + item.getFailureMessage(), item.getFailure().getCause());
                }
            }
            written += response.getItems().length;
            if (progress != null) {
                progress.personsWritten(response.getItems().length);
            }
        }
        return written;
    }
}
