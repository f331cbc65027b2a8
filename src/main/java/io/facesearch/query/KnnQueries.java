package io.facesearch.query;

import io.facesearch.ingest.VectorCompression;

import org.apache.lucene.search.join.ScoreMode;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.InnerHitBuilder;
import org.opensearch.index.query.NestedQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.index.query.functionscore.FunctionScoreQueryBuilder;
import org.opensearch.index.query.functionscore.ScoreFunctionBuilders;
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
import java.util.TreeMap;
import java.util.function.BiFunction;

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
     * the k-NN plugin's scoring script, as {@code (1 + cosine) / 2}, the score of a face search.
     *
     * @param compression how the field holds its vectors: the script scores floats {@code (1 + cosine) / 2}, but
     *                    8-bit integers ({@link VectorCompression#INT8}) {@code 1 + cosine}, which is halved
     */
    public static QueryBuilder similarityTo(String field, float[] vector, QueryBuilder candidates, VectorCompression compression) {
        List<Float> values = new ArrayList<>(vector.length);
        for (float value : vector) {
            values.add(value);
        }
        Map<String, Object> params = Map.of("field", field, "query_value", values, "space_type", SpaceType.COSINESIMIL.getValue());
        QueryBuilder scored = new ScriptScoreQueryBuilder(
            candidates,
            new Script(ScriptType.INLINE, KNNScoringScriptEngine.NAME, KNNScoringScriptEngine.SCRIPT_SOURCE, params)
        );
        return compression == VectorCompression.INT8
            ? new FunctionScoreQueryBuilder(scored, ScoreFunctionBuilders.weightFactorFunction(0.5f))
            : scored;
    }

    /**
     * {@code query} of {@code vector} as each index's vector field takes it ({@link VectorCompression#fieldValues}):
     * the query itself when every index takes it alike, else one per compression, each kept to its own indices, so
     * that one search can go to photo indices of floats and of 8-bit integers at once.
     *
     * @param compressions the compression of the field in each index searched; an index not listed takes floats
     * @param query        the query of the vector's values, given the form they are in: {@link VectorCompression#INT8}
     *                     for integers, {@link VectorCompression#NONE} for floats
     */
    public static QueryBuilder perCompression(Map<String, VectorCompression> compressions, float[] vector, BiFunction<VectorCompression, float[], QueryBuilder> query) {
        Map<VectorCompression, List<String>> indicesByValues = new TreeMap<>();
        for (Map.Entry<String, VectorCompression> index : compressions.entrySet()) {
            // floats and the compressions that keep them take the vector as it is
            VectorCompression takes = index.getValue() == VectorCompression.INT8 ? VectorCompression.INT8 : VectorCompression.NONE;
            indicesByValues.computeIfAbsent(takes, c -> new ArrayList<>()).add(index.getKey());
        }
        if (indicesByValues.size() <= 1) {
            VectorCompression only = indicesByValues.isEmpty() ? VectorCompression.NONE : indicesByValues.keySet().iterator().next();
            return query.apply(only, only.fieldValues(vector));
        }
        BoolQueryBuilder groups = QueryBuilders.boolQuery().minimumShouldMatch(1);
        indicesByValues.forEach(
            (compression, indices) -> groups.should(
                QueryBuilders.boolQuery().must(query.apply(compression, compression.fieldValues(vector))).filter(QueryBuilders.termsQuery("_index", indices))
            )
        );
        return groups;
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
