package io.facesearch.query;

import io.facesearch.stats.FaceStats;

import org.apache.lucene.search.Query;
import org.opensearch.index.shard.SearchOperationListener;
import org.opensearch.search.internal.ReaderContext;
import org.opensearch.search.internal.SearchContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries what the graph searches of a shard's query phase found to its fetch phase. A search of several shards
 * fetches in a second request to each shard, with a new search context whose queries are made again; the inner hits
 * of the matching faces would search the graph a second time there. An equal query of the fetch phase takes the
 * query phase's hits instead, through the reader context that both phases share, so the faces returned are those the
 * photos were ranked by. Counts the graph searches of both phases in the node's stats.
 */
public final class KnnHitsCarrier implements SearchOperationListener {
    /** Where the query phase leaves its hits in the reader context: each knn query with what it found. */
    private static final String HITS = "face_search.knn_hits";

    private final FaceStats stats;

    public KnnHitsCarrier(FaceStats stats) {
        this.stats = stats;
    }

    @Override
    public void onQueryPhase(SearchContext searchContext, long tookInNanos) {
        List<SharedKnnSearchQuery> made = SharedKnnQueries.forget(searchContext.getQueryShardContext());
        countSearches(made);
        ReaderContext reader = searchContext.readerContext();
        // a scroll's or point in time's reader context serves requests side by side; it gets nothing
        if (made.isEmpty() || reader == null || reader.singleSession() == false) {
            return;
        }
        Map<Query, KnnHitsQuery> found = new HashMap<>();
        for (SharedKnnSearchQuery query : made) {
            KnnHitsQuery hits = query.hits();
            if (hits != null) {
                found.put(query.knn(), hits);
            }
        }
        if (found.isEmpty() == false) {
            reader.putInContext(HITS, found);
        }
    }

    @Override
    public void onFailedQueryPhase(SearchContext searchContext) {
        countSearches(SharedKnnQueries.forget(searchContext.getQueryShardContext()));
    }

    @Override
    public void onPreFetchPhase(SearchContext searchContext) {
        ReaderContext reader = searchContext.readerContext();
        Map<Query, KnnHitsQuery> found = reader == null ? null : reader.getFromContext(HITS);
        if (found == null) {
            return;
        }
        // empty where the fetch phase runs in the query phase's own search context: its queries have their hits
        int carried = 0;
        for (SharedKnnSearchQuery query : SharedKnnQueries.madeWith(searchContext.getQueryShardContext())) {
            KnnHitsQuery hits = found.get(query.knn());
            if (hits != null) {
                query.carryOver(hits);
                carried++;
            }
        }
        stats.knnHitsCarriedToFetch(carried);
    }

    @Override
    public void onFetchPhase(SearchContext searchContext, long tookInNanos) {
        countSearches(SharedKnnQueries.forget(searchContext.getQueryShardContext()));
    }

    @Override
    public void onFailedFetchPhase(SearchContext searchContext) {
        countSearches(SharedKnnQueries.forget(searchContext.getQueryShardContext()));
    }

    private void countSearches(List<SharedKnnSearchQuery> made) {
        long searches = 0;
        for (SharedKnnSearchQuery query : made) {
            searches += query.searches();
        }
        stats.knnGraphSearches(searches);
    }
}
