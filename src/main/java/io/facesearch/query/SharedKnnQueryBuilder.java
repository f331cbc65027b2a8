package io.facesearch.query;

import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilderVisitor;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.knn.index.query.KNNQueryBuilder;

import java.io.IOException;

/**
 * The k-NN plugin's {@code knn} query, made on a shard so that one search of that shard searches the graph once: the
 * query of the faces inside a {@code nested} query is turned into a Lucene query twice, for the photos ranked and
 * for their inner hits, and both get the same {@link SharedKnnSearchQuery}.
 *
 * <p>Everywhere else it is the {@code knn} query it holds: written to a stream, printed and visited as that query, so
 * that whatever reads it back (another node, the request cache's key) gets a plain {@code knn} query.
 */
final class SharedKnnQueryBuilder extends AbstractQueryBuilder<SharedKnnQueryBuilder> {
    private final KNNQueryBuilder knn;
    /** The query shard context the query was last made for, and the query made. */
    private QueryShardContext madeFor;
    private Query made;

    private SharedKnnQueryBuilder(KNNQueryBuilder knn) {
        this.knn = knn;
    }

    /**
     * {@code query} made to search once per shard search when it is a {@code knn} query without a boost or name of its
     * own (this query writes its own boost and name in place of the knn query's); any other query as it is.
     */
    static QueryBuilder wrap(QueryBuilder query) {
        return query instanceof KNNQueryBuilder knn && knn.boost() == DEFAULT_BOOST && knn.queryName() == null
            ? new SharedKnnQueryBuilder(knn)
            : query;
    }

    @Override
    protected synchronized Query doToQuery(QueryShardContext context) throws IOException {
        // a shard search has one QueryShardContext, and makes its inner hits with it, in the same nested scope
        if (madeFor != context) {
            Query query = knn.toQuery(context);
            made = query == null || query instanceof MatchNoDocsQuery ? query : new SharedKnnSearchQuery(query);
            madeFor = context;
        }
        return made;
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
        return knn.getWriteableName();
    }

    /** Writes what the knn query writes after its boost and name, which this query's own take the place of. */
    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        try (BytesStreamOutput whole = new BytesStreamOutput(); BytesStreamOutput boostAndName = new BytesStreamOutput()) {
            whole.setVersion(out.getVersion());
            knn.writeTo(whole);
            boostAndName.writeFloat(knn.boost());
            boostAndName.writeOptionalString(knn.queryName());
            whole.bytes().slice(boostAndName.size(), whole.size() - boostAndName.size()).writeTo(out);
        }
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
