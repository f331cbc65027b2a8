package io.facesearch.query;

import org.apache.lucene.search.join.ScoreMode;
import org.opensearch.index.query.InnerHitBuilder;
import org.opensearch.index.query.NestedQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.functionscore.FunctionScoreQueryBuilder;
import org.opensearch.index.query.functionscore.ScriptScoreQueryBuilder;
import org.opensearch.knn.index.SpaceType;
import org.opensearch.knn.plugin.script.KNNScoringScriptEngine;
import org.opensearch.script.Script;
import org.opensearch.script.ScriptType;
import org.opensearch.knn.common.KNNConstants;
import org.opensearch.knn.index.query.KNNQueryBuilder;
import org.opensearch.knn.index.query.rescore.RescoreContext;
import org.opensearch.search.fetch.subphase.FetchSourceContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The k-NN plugin's queries that this plugin's vector queries are rewritten into on each shard. */
public final class KnnQueries {
    private KnnQueries() {}

    /**
     * The k-NN plugin's {@code knn} query. The filter, if any, is applied during the graph search, so k hits pass it.
     *
     * @param efSearch         the k-NN method parameter {@code ef_search}; null for the index's own
     * @param rescore          the rescoring of the candidates of a quantized search with full-precision vectors;
     *                         null for none (a float field)
     * @param expandNestedDocs for a field inside nested objects: whether every object of the nearest documents
     *                         matches, each with its own score, rather than only each document's nearest
     */
    static KNNQueryBuilder knn(
        String field,
        float[] vector,
        int k,
        Integer efSearch,
        RescoreContext rescore,
        QueryBuilder filter,
        boolean expandNestedDocs
    ) {
        return KNNQueryBuilder.builder()
            .fieldName(field)
            .vector(vector)
            .k(k)
            .filter(filter)
            .methodParameters(efSearch == null ? null : Map.of(KNNConstants.METHOD_PARAMETER_EF_SEARCH, efSearch))
            .rescoreContext(rescore)
            .expandNested(expandNestedDocs ? Boolean.TRUE : null)
            .build();
    }

    /**
     * {@code query} over the objects nested at {@code path}, scoring each document by its best object and returning
     * the matching objects as {@code innerHits} (none when null) without the vectors named.
     */
    static NestedQueryBuilder bestNestedMatch(String path, QueryBuilder query, InnerHitBuilder innerHits, List<String> hiddenFields) {
        NestedQueryBuilder nested = new NestedQueryBuilder(path, query, ScoreMode.Max);
        if (innerHits != null) {
            nested.innerHit(innerHits.setFetchSourceContext(new FetchSourceContext(true, null, hiddenFields.toArray(String[]::new))));
        }
        return nested;
    }

    /**
     * {@code candidates}, each scored by the exact similarity of its vector in {@code field} to {@code vector}, with
     * the k-NN plugin's scoring script: {@code (1 + cosine) / 2} in a cosine space, the score of its {@code knn} query.
     */
    public static QueryBuilder similarityTo(String field, float[] vector, QueryBuilder candidates) {
        List<Float> values = new ArrayList<>(vector.length);
        for (float value : vector) {
            values.add(value);
        }
        Map<String, Object> params = Map.of("field", field, "query_value", values, "space_type", SpaceType.COSINESIMIL.getValue());
        return new ScriptScoreQueryBuilder(candidates, new Script(ScriptType.INLINE, KNNScoringScriptEngine.NAME, KNNScoringScriptEngine.SCRIPT_SOURCE, params));
    }

    /** Keeps only what the {@code knn} query scores at a cosine similarity of at least {@code minSimilarity} (none: all). */
    public static QueryBuilder withMinSimilarity(QueryBuilder knn, Float minSimilarity) {
        if (minSimilarity == null) {
            return knn;
        }
        // the k-NN score of a cosine space is (1 + cosine) / 2
        return new FunctionScoreQueryBuilder(knn).setMinScore((1 + minSimilarity) / 2);
    }
}
