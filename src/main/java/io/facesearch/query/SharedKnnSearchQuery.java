package io.facesearch.query;

import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;

import java.io.IOException;

/**
 * The k-NN plugin's Lucene query for a {@code knn} query, whose graph search runs once per index reader however many
 * weights are made of it.
 *
 * <p>The k-NN plugin's query searches the graph each time a weight is made of it. One shard search makes several:
 * one for the photos it ranks, one for the inner hits of the matching faces, and one per hit explained. Each would
 * search the whole graph again, for the same result, since a reader does not change; at a million faces the inner
 * hits' search alone took a third to a half of the time of a {@code face_match}. Here the first weight runs the
 * search and keeps what it found; the next ones, on the same reader, run that result.
 *
 * <p>A search of several shards makes a new query in its fetch phase, for the inner hits; {@link KnnHitsCarrier}
 * hands it what the query phase's equal query found, so that it searches nothing either.
 *
 * <p>The hits keep the scores {@link CosineScore} makes of the k-NN plugin's: {@code (1 + cosine) / 2} in every space
 * a photo index is made with.
 */
final class SharedKnnSearchQuery extends Query {
    private final Query knn;
    /** What the k-NN plugin's scores of the field are turned into. */
    private final CosineScore score;
    /** Null until the first weight is made or hits are carried over. */
    private KnnHitsQuery hits;
    /** The graph searches this query ran. */
    private int searches;

    SharedKnnSearchQuery(Query knn, CosineScore score) {
        this.knn = knn;
        this.score = score;
    }

    Query knn() {
        return knn;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) {
        // the search waits for the weight, as the k-NN plugin's own query does: a rewrite may happen more than once
        return this;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        return hitsIn(searcher).createWeight(searcher, scoreMode, boost);
    }

    /** The hits in the searcher's reader, searched for on the first call for that reader. */
    synchronized KnnHitsQuery hitsIn(IndexSearcher searcher) throws IOException {
        if (hits == null || hits.isOf(searcher.getIndexReader()) == false) {
            hits = KnnHitsQuery.search(searcher, knn, score);
            searches++;
        }
        return hits;
    }

    /** What the last graph search found, or what was carried over; null when neither happened. */
    synchronized KnnHitsQuery hits() {
        return hits;
    }

    /**
     * Takes {@code earlier}, the hits an equal query found in an earlier phase of the same search, unless this query
     * has hits already. They are used only on the reader they were found in; on another the graph is searched.
     */
    synchronized void carryOver(KnnHitsQuery earlier) {
        if (hits == null) {
            hits = earlier;
        }
    }

    /** The graph searches this query ran. */
    synchronized int searches() {
        return searches;
    }

    @Override
    public String toString(String field) {
        return knn.toString(field);
    }

    @Override
    public void visit(QueryVisitor visitor) {
        knn.visit(visitor);
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other) && knn.equals(((SharedKnnSearchQuery) other).knn);
    }

    @Override
    public int hashCode() {
        return 31 * classHash() + knn.hashCode();
    }
}
