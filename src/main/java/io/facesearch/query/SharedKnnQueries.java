package io.facesearch.query;

import org.opensearch.index.query.QueryShardContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@link SharedKnnSearchQuery}s made with each query shard context, that is for each phase of a shard search, so
 * that {@link KnnHitsCarrier} can reach them from the phase's search context. A context that no search phase ends
 * (an explain, a validation) is forgotten with its context: the keys are held weakly, and by identity, as the context
 * does not define equality.
 */
final class SharedKnnQueries {
    private static final Map<QueryShardContext, List<SharedKnnSearchQuery>> MADE = Collections.synchronizedMap(new WeakHashMap<>());

    private SharedKnnQueries() {}

    static void made(QueryShardContext context, SharedKnnSearchQuery query) {
        MADE.computeIfAbsent(context, c -> Collections.synchronizedList(new ArrayList<>())).add(query);
    }

    /** The queries made with {@code context} so far. */
    static List<SharedKnnSearchQuery> madeWith(QueryShardContext context) {
        List<SharedKnnSearchQuery> made = MADE.get(context);
        return made == null ? List.of() : List.copyOf(made);
    }

    /** The queries made with {@code context}, which is not asked for again. */
    static List<SharedKnnSearchQuery> forget(QueryShardContext context) {
        List<SharedKnnSearchQuery> made = MADE.remove(context);
        return made == null ? List.of() : List.copyOf(made);
    }
}
