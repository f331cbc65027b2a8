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

/** Names a person; a name is unique in its people index. */
public class TransportNamePersonAction extends TransportPeopleAction<NamePersonRequest> {
    @Inject
    public TransportNamePersonAction(
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ClusterService clusterService,
        ThreadPool threadPool,
        IndexNameExpressionResolver resolver,
        DecodeMemoryBreaker breaker
    ) {
        super(NamePersonAction.NAME, transportService, actionFilters, NamePersonRequest::new, new Services(client, clusterService, threadPool, resolver, breaker));
    }

    @Override
    protected Map<String, Object> apply(Context context, NamePersonRequest request) {
        return editor(context).name(request.person(), request.name());
    }
}
