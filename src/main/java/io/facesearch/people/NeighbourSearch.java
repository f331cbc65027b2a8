package io.facesearch.people;

import io.facesearch.ingest.VectorCompression;
import io.facesearch.people.cluster.ClusterFace;
import io.facesearch.people.cluster.FaceKey;
import io.facesearch.people.cluster.NeighbourGraph;
import io.facesearch.query.KnnQueries;
import io.facesearch.query.SharedKnnQueryBuilder;

import org.opensearch.action.search.MultiSearchAction;
import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.action.search.MultiSearchResponse;
import org.apache.lucene.search.join.ScoreMode;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.index.query.InnerHitBuilder;
import org.opensearch.index.query.NestedQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.functionscore.FunctionScoreQueryBuilder;
import org.opensearch.knn.index.query.KNNQueryBuilder;
import org.opensearch.search.SearchHit;
import org.opensearch.search.SearchHits;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.fetch.subphase.FetchSourceContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the nearest faces of each face to place with the photo indices' own HNSW graphs: per face, the k-NN query that
 * {@code face_match} by vector with {@code expand_nested_docs} and {@code min_similarity} at the run's threshold
 * becomes on a shard (so that every near face of a photo counts, not only its best), sent in batches with
 * {@code _msearch}. Its inner hits carry no source: on the 1195 faces of the development set that halves the time of
 * the searches against {@code face_match}'s own inner hits, which load each photo's source for each face found. The
 * answers become the {@link NeighbourGraph} the clustering works on.
 */
public final class NeighbourSearch {
    /** Nearest photos asked per face (the exact 20 nearest faces gave the measured figures). */
    public static final int NEIGHBOUR_PHOTOS = 20;
    /** Searches per {@code _msearch}. */
    static final int BATCH = 64;
    /** Faces of one photo returned per search: the most inner hits a search may return by default. */
    static final int FACES_PER_PHOTO = 100;
    private static final String INNER_HITS = "neighbours";
    /** What a link takes while the graph is built and once it is: its two ends and similarity, then both rows. */
    static final long BYTES_PER_LINK = 20 + NeighbourGraph.BYTES_PER_LINK;

    private NeighbourSearch() {}

    /**
     * @param faceVectors how each index stores the faces' vectors
     * @param toSearch    which faces to search from; the others are found as neighbours only
     */
    public static NeighbourGraph search(
        ChildRequests requests,
        List<String> indices,
        Map<String, VectorCompression> faceVectors,
        List<ClusterFace> faces,
        boolean[] toSearch,
        float threshold,
        RunMemory memory,
        ClusterProgress progress
    ) {
        Map<String, Integer> firstFace = new HashMap<>();
        for (int i = faces.size() - 1; i >= 0; i--) {
            FaceKey key = faces.get(i).key();
            firstFace.put(StoredFaces.photoKey(key.index(), key.id()), i);
        }
        NeighbourGraph.Builder graph = new NeighbourGraph.Builder(faces.size(), threshold);
        long searchCount = 0;
        for (boolean search : toSearch) {
            searchCount += search ? 1 : 0;
        }
        progress.facesToSearch(searchCount);
        int[] batch = new int[BATCH];
        int inBatch = 0;
        long linksHeld = 0;
        for (int face = 0; face <= faces.size(); face++) {
            if (face < faces.size() && toSearch[face]) {
                batch[inBatch++] = face;
            }
            if (inBatch == BATCH || (face == faces.size() && inBatch > 0)) {
                searchBatch(requests, indices, faceVectors, faces, firstFace, batch, inBatch, threshold, graph);
                long collected = graph.collected();
                memory.hold((collected - linksHeld) * BYTES_PER_LINK, "the links between " + faces.size() + " faces");
                linksHeld = collected;
                progress.facesSearched(inBatch, collected);
                inBatch = 0;
            }
        }
        return graph.build();
    }

    private static void searchBatch(
        ChildRequests requests,
        List<String> indices,
        Map<String, VectorCompression> faceVectors,
        List<ClusterFace> faces,
        Map<String, Integer> firstFace,
        int[] batch,
        int size,
        float threshold,
        NeighbourGraph.Builder graph
    ) {
        MultiSearchRequest multi = new MultiSearchRequest();
        for (int b = 0; b < size; b++) {
            QueryBuilder query = neighbours(faceVectors, faces.get(batch[b]).vector(), threshold);
            SearchSourceBuilder source = new SearchSourceBuilder().query(query).size(NEIGHBOUR_PHOTOS).fetchSource(false).trackTotalHits(false);
            multi.add(new SearchRequest(indices.toArray(String[]::new)).source(source));
        }
        MultiSearchResponse answers = requests.execute(MultiSearchAction.INSTANCE, multi);
        MultiSearchResponse.Item[] items = answers.getResponses();
        for (int b = 0; b < size; b++) {
            if (items[b].isFailure()) {
                // a search cancelled with the task fails item by item: that is the cancellation
                requests.checkCancelled();
                throw new IllegalStateException("the neighbour search of face " + faces.get(batch[b]).key() + " failed", items[b].getFailure());
            }
            for (SearchHit photo : items[b].getResponse().getHits().getHits()) {
                SearchHits found = photo.getInnerHits() == null ? null : photo.getInnerHits().get(INNER_HITS);
                Integer first = firstFace.get(StoredFaces.photoKey(photo.getIndex(), photo.getId()));
                if (found == null || first == null) {
                    continue; // a photo indexed after the faces were read
                }
                for (SearchHit face : found.getHits()) {
                    int neighbour = position(faces, first, photo.getIndex(), photo.getId(), face.getNestedIdentity().getOffset());
                    if (neighbour >= 0) {
                        // the k-NN score of a cosine space is (1 + cosine) / 2
                        graph.add(batch[b], neighbour, 2 * face.getScore() - 1);
                    }
                }
            }
        }
    }

    /**
     * What {@code face_match} with {@code expand_nested_docs} and {@code min_similarity} becomes on a shard, with inner
     * hits that carry no source: only the faces' positions and scores are read, and loading each photo's source
     * for each face found would cost more than the search.
     */
    static QueryBuilder neighbours(Map<String, VectorCompression> faceVectors, float[] vector, float threshold) {
        QueryBuilder near = KnnQueries.perCompression(faceVectors, vector, (form, fieldVector) -> {
            KNNQueryBuilder knn = KNNQueryBuilder.builder()
                .fieldName(FacePersonFields.embedding())
                .vector(fieldVector)
                .k(NEIGHBOUR_PHOTOS)
                .expandNested(true)
                .build();
            // the k-NN score of a cosine space is (1 + cosine) / 2; the inner hits run the photos' graph search
            return new FunctionScoreQueryBuilder(SharedKnnQueryBuilder.wrap(knn)).setMinScore((1 + threshold) / 2);
        });
        return new NestedQueryBuilder(FacePersonFields.FACES, near, ScoreMode.Max).innerHit(
            new InnerHitBuilder(INNER_HITS).setSize(FACES_PER_PHOTO).setFetchSourceContext(new FetchSourceContext(false))
        );
    }

    /** The position of face {@code offset} of a photo whose faces start at {@code first}, or -1. */
    private static int position(List<ClusterFace> faces, int first, String index, String id, int offset) {
        for (int i = first; i < faces.size(); i++) {
            FaceKey key = faces.get(i).key();
            if (key.index().equals(index) == false || key.id().equals(id) == false || key.face() > offset) {
                return -1;
            }
            if (key.face() == offset) {
                return i;
            }
        }
        return -1;
    }
}
