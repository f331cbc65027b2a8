package io.facesearch.transport;

import io.facesearch.breaker.DecodeMemoryBreaker;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.util.Map;

/** Merges persons into one. */
public class TransportMergePeopleAction extends TransportPeopleAction<MergePeopleRequest> {
    @Inject
    public TransportMergePeopleAction(
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ClusterService clusterService,
        ThreadPool threadPool,
        IndexNameExpressionResolver resolver,
        DecodeMemoryBreaker breaker
    ) {
        super(MergePeopleAction.NAME, transportService, actionFilters, MergePeopleRequest::new, new Services(client, clusterService, threadPool, resolver, breaker));
    }

    @Override
    protected Map<String, Object> apply(Context context, MergePeopleRequest request) {
        return editor(context).merge(request.persons(), request.into());
    }
}
