package io.facesearch.query;

import org.apache.lucene.search.join.ScoreMode;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.InnerHitBuilder;
import org.opensearch.index.query.NestedQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.functionscore.FunctionScoreQueryBuilder;
import org.opensearch.search.fetch.subphase.FetchSourceContext;

import java.io.IOException;

/** The k-NN plugin's queries that this plugin's vector queries are rewritten into. */
final class KnnQueries {
    private KnnQueries() {}

    /**
     * The k-NN plugin's {@code knn} query, built through the registry's parser so this plugin needs no compile-time
     * dependency on k-NN. The filter, if any, is applied during the graph search, so k hits pass it.
     *
     * @param queryName the query being rewritten, named in the error when the k-NN plugin is missing
     */
    static QueryBuilder knn(String queryName, NamedXContentRegistry registry, String field, float[] vector, int k, QueryBuilder filter)
        throws IOException {
        XContentBuilder json = XContentFactory.jsonBuilder().startObject().startObject("knn").startObject(field);
        json.array("vector", vector);
        json.field("k", k);
        if (filter != null) {
            json.field("filter", filter);
        }
        json.endObject().endObject().endObject();
        try (
            XContentParser parser = JsonXContent.jsonXContent.createParser(
                registry,
                DeprecationHandler.THROW_UNSUPPORTED_OPERATION,
                BytesReference.bytes(json).streamInput()
            )
        ) {
            return AbstractQueryBuilder.parseInnerQueryBuilder(parser);
        } catch (ParsingException e) {
            if (e.getMessage() != null && e.getMessage().contains("unknown query [knn]")) {
                throw new IllegalStateException("[" + queryName + "] needs the k-NN plugin (opensearch-knn) installed on every node", e);
            }
            throw e;
        }
    }

    /**
     * {@code knn} over vectors of nested objects, scoring each document by its best object and returning the
     * matching objects as inner hits {@code innerHitsName} (none when null), without the vectors named.
     */
    static NestedQueryBuilder bestNestedMatch(String path, QueryBuilder knn, String innerHitsName, int innerHitsSize, String... hiddenFields) {
        NestedQueryBuilder nested = new NestedQueryBuilder(path, knn, ScoreMode.Max);
        if (innerHitsName != null) {
            nested.innerHit(
                new InnerHitBuilder(innerHitsName).setSize(innerHitsSize).setFetchSourceContext(new FetchSourceContext(true, null, hiddenFields))
            );
        }
        return nested;
    }

    /** Keeps only the documents whose {@code knn} score means a cosine similarity of at least {@code minSimilarity} (none: all). */
    static QueryBuilder withMinSimilarity(QueryBuilder knn, Float minSimilarity) {
        if (minSimilarity == null) {
            return knn;
        }
        // the k-NN score of a cosine space is (1 + cosine) / 2
        return new FunctionScoreQueryBuilder(knn).setMinScore((1 + minSimilarity) / 2);
    }

    /**
     * The rewritten query carrying the original query's boost and name, in a {@code bool} around it when either is
     * set: they belong to the whole rewritten query, not to the {@code knn} query inside it.
     */
    static QueryBuilder withBoostAndName(QueryBuilder query, float boost, String queryName) {
        if (boost == AbstractQueryBuilder.DEFAULT_BOOST && queryName == null) {
            return query;
        }
        return new BoolQueryBuilder().must(query).boost(boost).queryName(queryName);
    }
}
