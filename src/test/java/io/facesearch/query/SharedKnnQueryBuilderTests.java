package io.facesearch.query;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.common.Strings;
import org.opensearch.core.common.io.stream.NamedWriteableAwareStreamInput;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.knn.index.KNNSettings;
import org.opensearch.knn.index.query.KNNQueryBuilder;
import org.opensearch.knn.index.query.rescore.RescoreContext;
import org.opensearch.search.SearchModule;
import org.opensearch.search.deciders.ConcurrentSearchDecision;
import org.opensearch.search.deciders.ConcurrentSearchRequestDecider;
import org.opensearch.test.IndexSettingsModule;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

public class SharedKnnQueryBuilderTests {
    /** The k-NN plugin asks the cluster its oldest node's version when it writes a query, and logs an error without one. */
    private static final String KNN_CLUSTER_LOGGER = "org.opensearch.knn.index.util.KNNClusterUtil";
    private static Level knnClusterLevel;

    @BeforeClass
    public static void quietKnnWithoutACluster() {
        knnClusterLevel = LogManager.getLogger(KNN_CLUSTER_LOGGER).getLevel();
        Configurator.setLevel(KNN_CLUSTER_LOGGER, Level.OFF);
    }

    @AfterClass
    public static void restoreKnnLogging() {
        Configurator.setLevel(KNN_CLUSTER_LOGGER, knnClusterLevel);
    }

    private static KNNQueryBuilder knn() {
        return KNNQueryBuilder.builder()
            .fieldName("faces.embedding")
            .vector(new float[] { 0.6f, -0.8f, 0f })
            .k(7)
            .filter(QueryBuilders.termQuery("caption", "beach"))
            .methodParameters(Map.of("ef_search", 64))
            .rescoreContext(RescoreContext.builder().oversampleFactor(2f).build())
            .build();
    }

    /** {@code query} written as a node sends it and read back as another node reads it. */
    private static QueryBuilder sentToAnotherNode(QueryBuilder query) throws IOException {
        List<NamedWriteableRegistry.Entry> entries = new ArrayList<>(new SearchModule(Settings.EMPTY, List.of()).getNamedWriteables());
        entries.add(new NamedWriteableRegistry.Entry(QueryBuilder.class, KNNQueryBuilder.NAME, KNNQueryBuilder::new));
        entries.add(new NamedWriteableRegistry.Entry(QueryBuilder.class, SharedKnnQueryBuilder.NAME, SharedKnnQueryBuilder::new));
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            out.writeNamedWriteable(query);
            try (StreamInput in = new NamedWriteableAwareStreamInput(out.bytes().streamInput(), new NamedWriteableRegistry(entries))) {
                return in.readNamedWriteable(QueryBuilder.class);
            }
        }
    }

    @Test
    public void wrapsOnlyAKnnQueryWithoutABoostOrNameOfItsOwn() {
        assertTrue(SharedKnnQueryBuilder.wrap(knn()) instanceof SharedKnnQueryBuilder);
        QueryBuilder boosted = knn().boost(2f);
        assertSame(boosted, SharedKnnQueryBuilder.wrap(boosted));
        QueryBuilder named = knn().queryName("face");
        assertSame(named, SharedKnnQueryBuilder.wrap(named));
        QueryBuilder other = QueryBuilders.matchAllQuery();
        assertSame(other, SharedKnnQueryBuilder.wrap(other));
    }

    @Test
    public void isPrintedAndVisitedAsTheKnnQueryAndTravelsAsItself() throws IOException {
        KNNQueryBuilder knn = knn();
        QueryBuilder shared = SharedKnnQueryBuilder.wrap(knn);
        assertEquals(Strings.toString(MediaTypeRegistry.JSON, knn), Strings.toString(MediaTypeRegistry.JSON, shared));

        List<QueryBuilder> visited = new ArrayList<>();
        shared.visit(new org.opensearch.index.query.QueryBuilderVisitor() {
            @Override
            public void accept(QueryBuilder query) {
                visited.add(query);
            }

            @Override
            public org.opensearch.index.query.QueryBuilderVisitor getChildVisitor(org.apache.lucene.search.BooleanClause.Occur occur) {
                return this;
            }
        });
        assertSame(knn, visited.get(0));

        // the fetch phase of another node's search gets it back as the shared query, with a boost set on it
        shared.boost(3f);
        QueryBuilder received = sentToAnotherNode(QueryBuilders.nestedQuery("faces", shared, org.apache.lucene.search.join.ScoreMode.Max));
        QueryBuilder inner = ((org.opensearch.index.query.NestedQueryBuilder) received).query();
        assertTrue(inner.getClass().getName(), inner instanceof SharedKnnQueryBuilder);
        assertEquals(shared, inner);
        assertEquals(3f, inner.boost(), 0f);
        assertEquals(Strings.toString(MediaTypeRegistry.JSON, shared), Strings.toString(MediaTypeRegistry.JSON, inner));
    }

    @Test
    public void aKnnIndexSearchedForItUsesConcurrentSegmentSearchInAutoMode() {
        ConcurrentSearchRequestDecider.Factory factory = new SharedKnnConcurrentSearchDecider.Factory();
        IndexSettings knnIndex = IndexSettingsModule.newIndexSettings(
            "photos",
            Settings.builder().put(KNNSettings.IS_KNN_INDEX_SETTING.getKey(), true).build(),
            KNNSettings.IS_KNN_INDEX_SETTING
        );
        IndexSettings otherIndex = IndexSettingsModule.newIndexSettings("captions", Settings.EMPTY, KNNSettings.IS_KNN_INDEX_SETTING);
        assertEquals(Optional.empty(), factory.create(otherIndex));

        ConcurrentSearchRequestDecider decider = factory.create(knnIndex).orElseThrow();
        decider.evaluateForQuery(QueryBuilders.nestedQuery("faces", SharedKnnQueryBuilder.wrap(knn()), org.apache.lucene.search.join.ScoreMode.Max), knnIndex);
        assertNull("no opinion on the queries around it", decider.getConcurrentSearchDecision());
        decider.evaluateForQuery(SharedKnnQueryBuilder.wrap(knn()), knnIndex);
        decider.evaluateForQuery(QueryBuilders.matchAllQuery(), knnIndex);
        assertEquals(ConcurrentSearchDecision.DecisionStatus.YES, decider.getConcurrentSearchDecision().getDecisionStatus());
    }
}
