package io.facesearch.index;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.IndicesRequest;
import org.opensearch.action.get.GetRequest;
import org.opensearch.action.get.MultiGetRequest;
import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.tasks.Task;

import java.util.Set;

/**
 * Keeps the face and CLIP vectors of photo indices inside the cluster: searches, multi-searches, GETs and multi-GETs
 * sent by clients leave the hidden vector fields ({@link HiddenVectorFields}) out of {@code _source} unless they ask for
 * them ({@link SourceVectorExcludes}).
 *
 * <p>The vectors stay in the stored documents: the k-NN plugin keeps them out of the stored {@code _source} itself and
 * puts them back on every read that does not exclude them. Reads with a parent task are those of {@code _reindex},
 * {@code _update_by_query} and the searches of a multi-search: the first two copy whole documents, vectors included,
 * and are left alone; a multi-search is handled as a whole. {@code _update} reads with a shard-level GET, which no
 * action filter sees, and the by-reference {@code face_match} names the faces in its GET's {@code _source}: both
 * still get the vectors.
 */
public final class VectorSourceFilter implements ActionFilter {
    /** After the filters that decide whether a request may run at all, such as access control. */
    private static final int ORDER = 1000;

    private final HiddenVectorFields hiddenFields = new HiddenVectorFields();
    private volatile ClusterService clusterService;
    private volatile IndexNameExpressionResolver indexNameResolver;

    /** Called once the node's services exist: requests before that pass unchanged. */
    public void start(ClusterService clusterService, IndexNameExpressionResolver indexNameResolver) {
        this.indexNameResolver = indexNameResolver;
        this.clusterService = clusterService;
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public <Request extends ActionRequest, Response extends ActionResponse> void apply(
        Task task,
        String action,
        Request request,
        ActionListener<Response> listener,
        ActionFilterChain<Request, Response> chain
    ) {
        if (clusterService != null && (task == null || task.getParentTaskId().isSet() == false)) {
            excludeVectors(request);
        }
        chain.proceed(task, action, request, listener);
    }

    private void excludeVectors(ActionRequest request) {
        ClusterState state = clusterService.state();
        switch (request) {
            case SearchRequest search -> excludeVectors(state, search);
            case MultiSearchRequest multiSearch -> multiSearch.requests().forEach(search -> excludeVectors(state, search));
            case GetRequest get -> {
                SourceVectorExcludes excludes = excludesFor(state, get);
                if (excludes != null) {
                    excludes.applyTo(get);
                }
            }
            case MultiGetRequest multiGet -> {
                for (MultiGetRequest.Item item : multiGet.getItems()) {
                    SourceVectorExcludes excludes = excludesFor(state, item);
                    if (excludes != null) {
                        excludes.applyTo(item);
                    }
                }
            }
            default -> {}
        }
    }

    private void excludeVectors(ClusterState state, SearchRequest search) {
        SourceVectorExcludes excludes = excludesFor(state, search);
        if (excludes == null) {
            return;
        }
        if (search.source() == null) {
            search.source(new SearchSourceBuilder());
        }
        excludes.applyTo(search.source());
    }

    /** The excludes of the indices {@code request} reads, or null when none hides vectors or they cannot be resolved. */
    private SourceVectorExcludes excludesFor(ClusterState state, IndicesRequest request) {
        String[] indices;
        try {
            indices = indexNameResolver.concreteIndexNames(state, request);
        } catch (RuntimeException e) {
            // a missing or ambiguous index: the read itself answers that
            return null;
        }
        Set<String> hidden = hiddenFields.of(state, indices);
        return hidden.isEmpty() ? null : new SourceVectorExcludes(hidden);
    }
}
