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

/** Moves faces of a person into another person or a new one. */
public class TransportSplitPersonAction extends TransportPeopleAction<FacesOfPersonRequest> {
    @Inject
    public TransportSplitPersonAction(
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ClusterService clusterService,
        ThreadPool threadPool,
        IndexNameExpressionResolver resolver,
        DecodeMemoryBreaker breaker
    ) {
        super(SplitPersonAction.NAME, transportService, actionFilters, FacesOfPersonRequest::new, new Services(client, clusterService, threadPool, resolver, breaker));
    }

    @Override
    protected Map<String, Object> apply(Context context, FacesOfPersonRequest request) {
        return editor(context).split(request.person(), request.faces(), request.into());
    }
}
