package io.facesearch.query;

import io.facesearch.plugin.FaceSearchPlugin;

import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.BaseQueryRewriteContext;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.search.SearchModule;

import java.io.IOException;
import java.util.List;

/** The query DSL of a node with this plugin, without a node: its queries are found by name, as in a search request. */
final class QueryDsl {
    private static final SearchModule SEARCH_MODULE = new SearchModule(Settings.EMPTY, List.of(new FaceSearchPlugin()));
    static final NamedXContentRegistry X_CONTENT = new NamedXContentRegistry(SEARCH_MODULE.getNamedXContents());
    static final NamedWriteableRegistry WRITEABLES = new NamedWriteableRegistry(SEARCH_MODULE.getNamedWriteables());

    private QueryDsl() {}

    /** The rewrite context of a coordinating node, which holds no shard; its async actions are never run. */
    static QueryRewriteContext coordinatorContext() {
        return new BaseQueryRewriteContext(X_CONTENT, WRITEABLES, null, () -> 0L);
    }

    static QueryBuilder parse(String json) throws IOException {
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(X_CONTENT, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, json)) {
            return AbstractQueryBuilder.parseInnerQueryBuilder(parser);
        }
    }
}
