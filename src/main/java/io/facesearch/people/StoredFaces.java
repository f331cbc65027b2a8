package io.facesearch.people;

import io.facesearch.people.cluster.Centroids;
import io.facesearch.people.cluster.ClusterFace;
import io.facesearch.people.cluster.FaceKey;
import io.facesearch.people.cluster.PeopleClustering;

import org.apache.lucene.search.join.ScoreMode;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.search.SearchScrollAction;
import org.opensearch.action.search.SearchScrollRequest;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The faces stored in photo indices, read with their vectors, sorted by key, and the version of each photo read, so
 * that a write of what was computed from them can be refused for a photo that changed meanwhile.
 *
 * @param faces    the faces with a vector of the expected dimension, sorted by key
 * @param versions each photo's sequence number and primary term, by {@link #photoKey}
 * @param model    the embedder that made the vectors ({@code photo.model}: embedder, embedder_sha256, dimension)
 */
public record StoredFaces(List<ClusterFace> faces, Map<String, PhotoVersion> versions, Map<String, Object> model) {
    /** Photos per page of the scroll. */
    static final int PAGE_SIZE = 500;
    static final TimeValue KEEP_ALIVE = TimeValue.timeValueMinutes(5);
    /** What a face takes in memory besides its vector: key, numbers, lists, and its share of the run's arrays. */
    static final long BYTES_PER_FACE = 256;

    /** The version of a photo document as it was read. */
    public record PhotoVersion(long seqNo, long primaryTerm) {}

    public static String photoKey(String index, String id) {
        return index + "/" + id;
    }

    /**
     * Reads the faces of the photos {@code query} matches (all photos with a face when null), reserving the memory of
     * each page before it is kept.
     */
    public static StoredFaces read(
        ChildRequests requests,
        List<String> indices,
        QueryBuilder query,
        int dimension,
        RunMemory memory,
        ClusterProgress progress
    ) {
        QueryBuilder withFaces = QueryBuilders.nestedQuery(
            FacePersonFields.FACES,
            QueryBuilders.existsQuery(FacePersonFields.embedding()),
            ScoreMode.None
        );
        SearchSourceBuilder source = new SearchSourceBuilder().size(PAGE_SIZE)
            .query(query == null ? withFaces : QueryBuilders.boolQuery().filter(withFaces).filter(query))
            .sort("_doc")
            .seqNoAndPrimaryTerm(true)
            // "faces.*", not "faces": a search whose source includes name the nested object itself gets the k-NN
            // plugin's placeholder in place of each vector, one that names the fields below it gets the vectors
            .fetchSource(new String[] { FacePersonFields.FACES + ".*", "photo.model" }, null);
        SearchRequest search = new SearchRequest(indices.toArray(String[]::new)).source(source).scroll(KEEP_ALIVE);
        List<ClusterFace> faces = new ArrayList<>();
        Map<String, PhotoVersion> versions = new HashMap<>();
        ModelCheck model = new ModelCheck();
        SearchResponse page = requests.execute(SearchAction.INSTANCE, search);
        String scrollId = page.getScrollId();
        try {
            while (page.getHits().getHits().length > 0) {
                List<ClusterFace> read = new ArrayList<>();
                for (SearchHit hit : page.getHits().getHits()) {
                    Map<String, Object> document = hit.getSourceAsMap();
                    read.addAll(facesOf(hit.getIndex(), hit.getId(), document, dimension));
                    versions.put(photoKey(hit.getIndex(), hit.getId()), new PhotoVersion(hit.getSeqNo(), hit.getPrimaryTerm()));
                    model.see(hit.getIndex(), hit.getId(), document);
                }
                memory.hold((long) read.size() * (BYTES_PER_FACE + (long) Float.BYTES * dimension), "the vectors of " + read.size() + " faces");
                faces.addAll(read);
                progress.facesRead(read.size());
                page = requests.execute(SearchScrollAction.INSTANCE, new SearchScrollRequest(scrollId).scroll(KEEP_ALIVE));
                scrollId = page.getScrollId();
            }
        } finally {
            requests.clearScroll(scrollId);
        }
        return new StoredFaces(PeopleClustering.sorted(faces), versions, model.model);
    }

    /** The faces of one photo document that have a vector of {@code dimension}, keyed by their position in its list. */
    static List<ClusterFace> facesOf(String index, String id, Map<String, Object> document, int dimension) {
        List<ClusterFace> faces = new ArrayList<>();
        List<?> list = document.get(FacePersonFields.FACES) instanceof List<?> objects ? objects : List.of();
        for (int position = 0; position < list.size(); position++) {
            Map<?, ?> face = list.get(position) instanceof Map<?, ?> object ? object : Map.of();
            float[] vector = vector(face.get(FacePersonFields.EMBEDDING), dimension);
            if (vector == null) {
                continue;
            }
            faces.add(
                new ClusterFace(
                    new FaceKey(index, id, position),
                    vector,
                    number(face.get("score")),
                    size(face),
                    number(face.get("quality") instanceof Map<?, ?> quality ? quality.get("frontal") : null),
                    face.get(FacePersonFields.PERSON) instanceof String person ? person : null,
                    notPersons(face.get(FacePersonFields.NOT_PERSONS))
                )
            );
        }
        return faces;
    }

    /** A unit vector of {@code dimension} numbers, or null. */
    static float[] vector(Object value, int dimension) {
        List<?> list = value instanceof List<?> numbers ? numbers : List.of();
        if (list.size() != dimension) {
            return null;
        }
        float[] vector = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            if (list.get(d) instanceof Number number) {
                vector[d] = number.floatValue();
            } else {
                return null;
            }
        }
        return Centroids.normalised(vector);
    }

    /** The shorter side of the face's box, or its recorded size. */
    private static float size(Map<?, ?> face) {
        if (face.get("box") instanceof Map<?, ?> box && box.get("width") instanceof Number w && box.get("height") instanceof Number h) {
            return Math.min(w.floatValue(), h.floatValue());
        }
        return number(face.get("quality") instanceof Map<?, ?> quality ? quality.get("size") : null);
    }

    private static float number(Object value) {
        return value instanceof Number number ? number.floatValue() : 0;
    }

    static Set<String> notPersons(Object value) {
        if (value instanceof String person) {
            return Set.of(person);
        }
        Set<String> persons = new LinkedHashSet<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof String person) {
                    persons.add(person);
                }
            }
        }
        return persons;
    }

    /** The embedder of the photos read: one model, or the faces cannot be compared. */
    private static final class ModelCheck {
        private Map<String, Object> model;
        private String seenIn;

        void see(String index, String id, Map<String, Object> document) {
            Map<?, ?> photo = document.get("photo") instanceof Map<?, ?> object ? object : Map.of();
            if ((photo.get("model") instanceof Map<?, ?>) == false) {
                return;
            }
            Map<?, ?> recorded = (Map<?, ?>) photo.get("model");
            Map<String, Object> found = new HashMap<>();
            found.put("embedder", recorded.get("embedder"));
            found.put("embedder_sha256", recorded.get("embedder_sha256"));
            found.put("dimension", recorded.get("dimension"));
            if (model == null) {
                model = found;
                seenIn = photoKey(index, id);
            } else if (Objects.equals(model.get("embedder_sha256"), found.get("embedder_sha256")) == false) {
                throw new IllegalArgumentException(
                    "photos [" + seenIn + "] and [" + photoKey(index, id) + "] hold faces of different models (embedder ["
                        + model.get("embedder") + "] and [" + found.get("embedder") + "]): their vectors cannot be compared; "
                        + "re-embed the photos with one model, or cluster the indices apart"
                );
            }
        }
    }
}
