package io.facesearch.query;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterDirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.Test;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class SharedKnnSearchQueryTests {
    private static final int DIMENSION = 8;
    private static final int K = 12;

    /** A searcher that counts the rewrites of one query: Lucene's kNN query searches the graph when it is rewritten. */
    private static final class CountingSearcher extends IndexSearcher {
        private final Query counted;
        private final AtomicInteger rewrites;

        CountingSearcher(DirectoryReader reader, Query counted, AtomicInteger rewrites) {
            super(reader);
            this.counted = counted;
            this.rewrites = rewrites;
        }

        @Override
        public Query rewrite(Query original) throws IOException {
            if (original == counted) {
                rewrites.incrementAndGet();
            }
            return super.rewrite(original);
        }
    }

    /** Documents with random vectors, in segments of 17, every third one with {@code third:yes}. */
    private static void addDocuments(IndexWriter writer, Random random, int from, int count) throws IOException {
        for (int i = from; i < from + count; i++) {
            float[] vector = new float[DIMENSION];
            for (int d = 0; d < DIMENSION; d++) {
                vector[d] = (float) random.nextGaussian();
            }
            Document doc = new Document();
            doc.add(new KnnFloatVectorField("vector", vector, VectorSimilarityFunction.EUCLIDEAN));
            doc.add(new StringField("third", i % 3 == 0 ? "yes" : "no", Field.Store.NO));
            writer.addDocument(doc);
            if (i % 17 == 16) {
                writer.flush();
            }
        }
    }

    private static float[] query(Random random) {
        float[] vector = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            vector[d] = (float) random.nextGaussian();
        }
        return vector;
    }

    private static void assertSameHits(TopDocs expected, TopDocs actual) {
        assertEquals(expected.scoreDocs.length, actual.scoreDocs.length);
        for (int i = 0; i < expected.scoreDocs.length; i++) {
            ScoreDoc e = expected.scoreDocs[i];
            ScoreDoc a = actual.scoreDocs[i];
            assertEquals("hit " + i, e.doc, a.doc);
            assertEquals("hit " + i, e.score, a.score, 0f);
        }
    }

    @Test
    public void theGraphIsSearchedOncePerReaderAndEveryRunGetsTheSameHits() throws IOException {
        Random random = new Random(7);
        try (Directory directory = new ByteBuffersDirectory(); IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            addDocuments(writer, random, 0, 120);
            float[] vector = query(random);
            AtomicInteger searches = new AtomicInteger();
            Query knn = new KnnFloatVectorQuery("vector", vector, K);
            SharedKnnSearchQuery shared = new SharedKnnSearchQuery(knn, CosineScore.AS_GIVEN);
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                assertTrue("several segments: " + reader.leaves().size(), reader.leaves().size() > 3);
                IndexSearcher searcher = new CountingSearcher(reader, knn, searches);
                TopDocs plain = searcher.search(new KnnFloatVectorQuery("vector", vector, K), K);
                assertEquals(K, plain.scoreDocs.length);

                assertSameHits(plain, searcher.search(shared, K));
                assertEquals(1, searches.get());
                // boosted, inside a conjunction that advances over it, and explained: no new search
                TopDocs boosted = searcher.search(new BoostQuery(shared, 3f), K);
                for (int i = 0; i < K; i++) {
                    assertEquals(plain.scoreDocs[i].doc, boosted.scoreDocs[i].doc);
                    assertEquals(plain.scoreDocs[i].score * 3f, boosted.scoreDocs[i].score, 1e-6f);
                }
                Query thirds = new BooleanQuery.Builder().add(shared, BooleanClause.Occur.MUST)
                    .add(new TermQuery(new Term("third", "yes")), BooleanClause.Occur.FILTER)
                    .build();
                Query plainThirds = new BooleanQuery.Builder().add(new KnnFloatVectorQuery("vector", vector, K), BooleanClause.Occur.MUST)
                    .add(new TermQuery(new Term("third", "yes")), BooleanClause.Occur.FILTER)
                    .build();
                TopDocs expectedThirds = searcher.search(plainThirds, K);
                assertTrue("some of the nearest are in a third, not all", expectedThirds.scoreDocs.length > 0 && expectedThirds.scoreDocs.length < K);
                assertSameHits(expectedThirds, searcher.search(thirds, K));
                Explanation found = searcher.explain(shared, plain.scoreDocs[0].doc);
                assertTrue(found.toString(), found.isMatch());
                assertEquals(plain.scoreDocs[0].score, found.getValue().floatValue(), 0f);
                int notFound = 0;
                while (isHit(plain, notFound)) {
                    notFound++;
                }
                assertFalse(searcher.explain(shared, notFound).isMatch());
                assertEquals(1, searches.get());
            }

            // another reader, holding more documents: searched again, its own hits
            addDocuments(writer, random, 120, 60);
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                IndexSearcher searcher = new CountingSearcher(reader, knn, searches);
                TopDocs plain = searcher.search(new KnnFloatVectorQuery("vector", vector, K), K);
                assertSameHits(plain, searcher.search(shared, K));
                assertEquals(2, searches.get());
                searcher.search(shared, K);
                assertEquals(2, searches.get());
            }
        }
    }

    private static boolean isHit(TopDocs hits, int doc) {
        for (ScoreDoc hit : hits.scoreDocs) {
            if (hit.doc == doc) {
                return true;
            }
        }
        return false;
    }

    @Test
    public void theHitsOfOneReaderAreRefusedInAnother() throws IOException {
        Random random = new Random(11);
        try (Directory directory = new ByteBuffersDirectory(); IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            addDocuments(writer, random, 0, 40);
            Query knn = new KnnFloatVectorQuery("vector", query(random), 5);
            KnnHitsQuery hits;
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                hits = KnnHitsQuery.search(new IndexSearcher(reader), knn, CosineScore.AS_GIVEN);
                assertEquals(5, hits.size());
                assertTrue(hits.isOf(reader));
            }
            try (DirectoryReader other = DirectoryReader.open(writer)) {
                assertFalse(hits.isOf(other));
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> new IndexSearcher(other).search(hits, 5));
                assertTrue(e.getMessage(), e.getMessage().contains("another index reader"));
            }
        }
    }

    /** The same reader wrapped anew, as each phase of a search wraps it, keeping its cache key or not. */
    private static DirectoryReader wrapped(DirectoryReader reader, boolean keepsCacheKey) throws IOException {
        return new FilterDirectoryReader(reader, new FilterDirectoryReader.SubReaderWrapper() {
            @Override
            public LeafReader wrap(LeafReader leaf) {
                return new FilterLeafReader(leaf) {
                    @Override
                    public CacheHelper getCoreCacheHelper() {
                        return in.getCoreCacheHelper();
                    }

                    @Override
                    public CacheHelper getReaderCacheHelper() {
                        return keepsCacheKey ? in.getReaderCacheHelper() : null;
                    }
                };
            }
        }) {
            @Override
            protected DirectoryReader doWrapDirectoryReader(DirectoryReader in) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CacheHelper getReaderCacheHelper() {
                return keepsCacheKey ? in.getReaderCacheHelper() : null;
            }

            @Override
            protected void doClose() {
                // the wrapped reader is closed by its owner
            }
        };
    }

    @Test
    public void hitsCarriedOverServeTheSameReaderWrappedAnewWithoutASearch() throws IOException {
        Random random = new Random(13);
        try (Directory directory = new ByteBuffersDirectory(); IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            addDocuments(writer, random, 0, 90);
            float[] vector = query(random);
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                SharedKnnSearchQuery queryPhase = new SharedKnnSearchQuery(new KnnFloatVectorQuery("vector", vector, K), CosineScore.AS_GIVEN);
                TopDocs found = new IndexSearcher(reader).search(queryPhase, K);
                assertEquals(K, found.scoreDocs.length);
                assertEquals(1, queryPhase.searches());

                // an equal query made again over a new wrapper with the reader's cache key: the same hits, no search
                AtomicInteger searches = new AtomicInteger();
                Query knn = new KnnFloatVectorQuery("vector", vector, K);
                SharedKnnSearchQuery fetchPhase = new SharedKnnSearchQuery(knn, CosineScore.AS_GIVEN);
                fetchPhase.carryOver(queryPhase.hits());
                assertSameHits(found, new CountingSearcher(wrapped(reader, true), knn, searches).search(fetchPhase, K));
                assertEquals(0, searches.get());
                assertEquals(0, fetchPhase.searches());

                // a wrapper without the key may show other documents: the carried hits are not trusted there
                SharedKnnSearchQuery unkeyed = new SharedKnnSearchQuery(knn, CosineScore.AS_GIVEN);
                unkeyed.carryOver(queryPhase.hits());
                assertSameHits(found, new CountingSearcher(wrapped(reader, false), knn, searches).search(unkeyed, K));
                assertEquals(1, searches.get());
                assertEquals(1, unkeyed.searches());

                // a query that has searched keeps its own hits
                SharedKnnSearchQuery searched = new SharedKnnSearchQuery(new KnnFloatVectorQuery("vector", query(random), K), CosineScore.AS_GIVEN);
                TopDocs own = new IndexSearcher(reader).search(searched, K);
                searched.carryOver(queryPhase.hits());
                assertSameHits(own, new IndexSearcher(reader).search(searched, K));
                assertEquals(1, searched.searches());
            }
        }
    }

    @Test
    public void printsAndComparesAsTheKnnQuery() {
        Query knn = new KnnFloatVectorQuery("vector", new float[] { 1, 0 }, 3);
        SharedKnnSearchQuery shared = new SharedKnnSearchQuery(knn, CosineScore.AS_GIVEN);
        assertEquals(knn.toString(), shared.toString());
        assertEquals(shared, new SharedKnnSearchQuery(new KnnFloatVectorQuery("vector", new float[] { 1, 0 }, 3), CosineScore.AS_GIVEN));
        assertEquals(shared.hashCode(), new SharedKnnSearchQuery(new KnnFloatVectorQuery("vector", new float[] { 1, 0 }, 3), CosineScore.AS_GIVEN).hashCode());
        assertNotEquals(shared, new SharedKnnSearchQuery(new KnnFloatVectorQuery("vector", new float[] { 0, 1 }, 3), CosineScore.AS_GIVEN));
        assertNotEquals(shared, knn);
        assertSame(knn, shared.knn());
    }
}
