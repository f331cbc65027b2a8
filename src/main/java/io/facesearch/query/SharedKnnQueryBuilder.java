package io.facesearch.query;

import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilderVisitor;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.knn.index.query.KNNQueryBuilder;

import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The k-NN plugin's {@code knn} query, made on a shard so that one search of that shard searches the graph once: the
 * query of the faces inside a {@code nested} query is turned into a Lucene query twice, for the photos ranked and
 * for their inner hits, and both get the same {@link SharedKnnSearchQuery}. Its scores are {@code (1 + cosine) / 2}
 * in every space a photo index is made with ({@link CosineScore}), inner product included.
 *
 * <p>It is printed and visited as the {@code knn} query it holds. It travels between nodes as itself: the shard's
 * rewritten request goes back to the coordinating node with the shard's results and returns with the fetch request,
 * and the fetch phase must make the same kind of query again for {@link KnnHitsCarrier} to hand it the query phase's
 * hits.
 */
public final class SharedKnnQueryBuilder extends AbstractQueryBuilder<SharedKnnQueryBuilder> {
    /** Its name between nodes; it has no JSON form of its own. */
    public static final String NAME = "face_search_shared_knn";

    private final KNNQueryBuilder knn;
    /**
     * The query made for each query shard context, held as long as the context. One builder can serve several shards
     * side by side: a search request made on a node (the people clustering's neighbour searches) reaches the shards
     * on that node without being copied.
     */
    private final Map<QueryShardContext, Query> made = Collections.synchronizedMap(new WeakHashMap<>());

    private SharedKnnQueryBuilder(KNNQueryBuilder knn) {
        this.knn = knn;
    }

    public SharedKnnQueryBuilder(StreamInput in) throws IOException {
        super(in);
        QueryBuilder read = in.readNamedWriteable(QueryBuilder.class);
        if (read instanceof KNNQueryBuilder knnQuery) {
            this.knn = knnQuery;
        } else {
            throw new IllegalArgumentException("[" + NAME + "] holds a [knn] query, not [" + read.getWriteableName() + "]");
        }
    }

    /**
     * {@code query} made to search once per shard search when it is a {@code knn} query without a boost or name of its
     * own, the kind {@code face_match}, {@code clip_match} and the people clustering's neighbour searches make (they
     * set boost and name on the outermost query); any other query as it is.
     */
    public static QueryBuilder wrap(QueryBuilder query) {
        return query instanceof KNNQueryBuilder knn && knn.boost() == DEFAULT_BOOST && knn.queryName() == null
            ? new SharedKnnQueryBuilder(knn)
            : query;
    }

    @Override
    protected Query doToQuery(QueryShardContext context) throws IOException {
        // a shard search has one QueryShardContext, and makes its inner hits with it, in the same nested scope
        Query query = made.get(context);
        if (query == null) {
            query = knn.toQuery(context);
            if (query != null && query instanceof MatchNoDocsQuery == false) {
                SharedKnnSearchQuery shared = new SharedKnnSearchQuery(query, CosineScore.of(context, knn.fieldName()));
                SharedKnnQueries.made(context, shared);
                query = shared;
            }
            if (query != null) {
                made.put(context, query);
            }
        }
        return query;
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        QueryBuilder rewritten = knn.rewrite(context);
        return rewritten == knn ? this : wrap(rewritten);
    }

    @Override
    public QueryBuilder filter(QueryBuilder filter) {
        return wrap(knn.filter(filter));
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeNamedWriteable(knn);
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        knn.doXContent(builder, params);
    }

    @Override
    public void visit(QueryBuilderVisitor visitor) {
        knn.visit(visitor);
    }

    @Override
    protected boolean doEquals(SharedKnnQueryBuilder other) {
        return knn.equals(other.knn);
    }

    @Override
    protected int doHashCode() {
        return knn.hashCode();
    }
}
