package io.facesearch.query;

import org.opensearch.index.IndexSettings;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.knn.index.KNNSettings;
import org.opensearch.search.deciders.ConcurrentSearchDecision;
import org.opensearch.search.deciders.ConcurrentSearchRequestDecider;

import java.util.Optional;

/**
 * Concurrent segment search, in its {@code auto} mode, for a search of a k-NN index that holds a
 * {@link SharedKnnQueryBuilder}, as the k-NN plugin decides for the {@code knn} query it holds: the query tree's
 * visitor sees the wrapper itself, not the {@code knn} query, when a {@code nested} query holds it.
 */
public final class SharedKnnConcurrentSearchDecider extends ConcurrentSearchRequestDecider {
    private static final ConcurrentSearchDecision YES = new ConcurrentSearchDecision(
        ConcurrentSearchDecision.DecisionStatus.YES,
        "the query holds a k-NN query and the index is a k-NN index"
    );

    /** Null while no query of the tree has decided. */
    private ConcurrentSearchDecision decision;

    /** Made by the {@link Factory} for k-NN indices only, so the index is not asked again for each query. */
    private SharedKnnConcurrentSearchDecider() {}

    @Override
    public void evaluateForQuery(QueryBuilder query, IndexSettings indexSettings) {
        if (query instanceof SharedKnnQueryBuilder) {
            decision = YES;
        }
    }

    @Override
    public ConcurrentSearchDecision getConcurrentSearchDecision() {
        return decision;
    }

    /** A decider for each search of a k-NN index. */
    public static final class Factory implements ConcurrentSearchRequestDecider.Factory {
        @Override
        public Optional<ConcurrentSearchRequestDecider> create(IndexSettings indexSettings) {
            return indexSettings.getValue(KNNSettings.IS_KNN_INDEX_SETTING)
                ? Optional.of(new SharedKnnConcurrentSearchDecider())
                : Optional.empty();
        }
    }
}
