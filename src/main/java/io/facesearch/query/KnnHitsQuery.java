package io.facesearch.query;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;

import java.io.IOException;
import java.util.Arrays;

/**
 * What a kNN query found in one index reader: its documents, each with the score the query gave it. Running it costs
 * a lookup in these arrays, where running the kNN query again would search the graph again.
 */
final class KnnHitsQuery extends Query {
    /** What identifies the reader the documents were found in ({@link #identityOf}): their ids mean nothing in another. */
    private final Object readerIdentity;
    private final String description;
    /** Doc ids in the whole reader, ascending. */
    private final int[] docs;
    /** The score of each of {@link #docs}, at boost 1. */
    private final float[] scores;

    private KnnHitsQuery(Object readerIdentity, String description, int[] docs, float[] scores) {
        this.readerIdentity = readerIdentity;
        this.description = description;
        this.docs = docs;
        this.scores = scores;
    }

    /** Runs {@code knn} on {@code searcher}'s reader and keeps every document it matches, with its score as {@code score} makes it. */
    static KnnHitsQuery search(IndexSearcher searcher, Query knn, CosineScore score) throws IOException {
        Weight weight = searcher.createWeight(searcher.rewrite(knn), ScoreMode.COMPLETE, 1f);
        int[] docs = new int[16];
        float[] scores = new float[16];
        int found = 0;
        // leaves come in doc id order, so the ids collected are ascending
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer scorer = weight.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            DocIdSetIterator matches = scorer.iterator();
            for (int doc = matches.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = matches.nextDoc()) {
                if (found == docs.length) {
                    docs = Arrays.copyOf(docs, found * 2);
                    scores = Arrays.copyOf(scores, found * 2);
                }
                docs[found] = leaf.docBase + doc;
                scores[found] = score.of(scorer.score());
                found++;
            }
        }
        return new KnnHitsQuery(
            identityOf(searcher.getIndexReader()),
            knn.toString(),
            Arrays.copyOf(docs, found),
            Arrays.copyOf(scores, found)
        );
    }

    boolean isOf(IndexReader reader) {
        return identityOf(reader) == readerIdentity;
    }

    /**
     * The reader's cache key where it has one, else the reader itself. Each phase of a search wraps the same
     * point-in-time reader anew (to check for cancellation), and a wrapper keeps the key of what it wraps only when it
     * shows the same documents under the same ids, as the query cache relies on; so hits found in the query phase are
     * recognised as valid in the fetch phase.
     */
    private static Object identityOf(IndexReader reader) {
        IndexReader.CacheHelper cache = reader.getReaderCacheHelper();
        return cache != null ? cache.getKey() : reader.getContext().id();
    }

    int size() {
        return docs.length;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
        if (isOf(searcher.getIndexReader()) == false) {
            throw new IllegalStateException("the hits of [" + description + "] were found in another index reader");
        }
        return new Weight(this) {
            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext leaf) {
                int from = firstAtOrAfter(leaf.docBase);
                int to = firstAtOrAfter(leaf.docBase + leaf.reader().maxDoc());
                return from == to ? null : new DefaultScorerSupplier(new HitsScorer(leaf.docBase, from, to, boost));
            }

            @Override
            public Explanation explain(LeafReaderContext leaf, int doc) {
                int at = Arrays.binarySearch(docs, leaf.docBase + doc);
                return at >= 0
                    ? Explanation.match(scores[at] * boost, "among the nearest neighbours found by " + description)
                    : Explanation.noMatch("not among the nearest neighbours found by " + description);
            }

            @Override
            public boolean isCacheable(LeafReaderContext leaf) {
                return true;
            }
        };
    }

    /** The index of the first document at or after {@code doc}. */
    private int firstAtOrAfter(int doc) {
        int at = Arrays.binarySearch(docs, doc);
        return at >= 0 ? at : -at - 1;
    }

    /** The hits of one leaf: {@code docs[from, to)}, less the leaf's doc base. */
    private final class HitsScorer extends Scorer {
        private final int docBase;
        private final int from;
        private final int to;
        private final float boost;
        private final float maxScore;
        private int at;

        HitsScorer(int docBase, int from, int to, float boost) {
            this.docBase = docBase;
            this.from = from;
            this.to = to;
            this.boost = boost;
            this.at = from - 1;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                max = Math.max(max, scores[i]);
            }
            this.maxScore = max * boost;
        }

        @Override
        public int docID() {
            return at < from ? -1 : at >= to ? DocIdSetIterator.NO_MORE_DOCS : docs[at] - docBase;
        }

        @Override
        public float score() {
            return scores[at] * boost;
        }

        @Override
        public float getMaxScore(int upTo) {
            return maxScore;
        }

        @Override
        public DocIdSetIterator iterator() {
            return new DocIdSetIterator() {
                @Override
                public int docID() {
                    return HitsScorer.this.docID();
                }

                @Override
                public int nextDoc() {
                    at = Math.min(at + 1, to);
                    return docID();
                }

                @Override
                public int advance(int target) {
                    at = Math.max(at + 1, firstAtOrAfter(docBase + target));
                    at = Math.min(at, to);
                    return docID();
                }

                @Override
                public long cost() {
                    return to - from;
                }
            };
        }
    }

    @Override
    public String toString(String field) {
        return description;
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other)
            && readerIdentity == ((KnnHitsQuery) other).readerIdentity
            && Arrays.equals(docs, ((KnnHitsQuery) other).docs)
            && Arrays.equals(scores, ((KnnHitsQuery) other).scores);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * classHash() + Arrays.hashCode(docs)) + Arrays.hashCode(scores);
    }
}
