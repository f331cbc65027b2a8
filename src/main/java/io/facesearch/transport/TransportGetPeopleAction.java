package io.facesearch.transport;

import io.facesearch.breaker.DecodeMemoryBreaker;
import io.facesearch.people.PersonSearch;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.util.Map;

/** Lists the persons, or shows one with a page of its faces. */
public class TransportGetPeopleAction extends TransportPeopleAction<GetPeopleRequest> {
    @Inject
    public TransportGetPeopleAction(
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ClusterService clusterService,
        ThreadPool threadPool,
        IndexNameExpressionResolver resolver,
        DecodeMemoryBreaker breaker
    ) {
        super(GetPeopleAction.NAME, transportService, actionFilters, GetPeopleRequest::new, new Services(client, clusterService, threadPool, resolver, breaker));
    }

    @Override
    protected Map<String, Object> apply(Context context, GetPeopleRequest request) {
        PersonSearch search = new PersonSearch(context.requests(), context.peopleIndex());
        if (request.person() == null) {
            return search.list(request.from(), request.size());
        }
        return search.one(request.person(), context.photos().indices(), request.from(), request.size());
    }
}
