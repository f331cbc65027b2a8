package io.facesearch.transport;

import io.facesearch.breaker.DecodeMemoryBreaker;
import io.facesearch.people.ChildRequests;
import io.facesearch.people.ClusterRun;
import io.facesearch.people.FacePersonFields;
import io.facesearch.people.PersonEditor;
import io.facesearch.people.RunMemory;
import io.facesearch.threadpool.PeoplePool;

import org.opensearch.action.ActionRunnable;
import org.opensearch.action.admin.indices.mapping.put.PutMappingAction;
import org.opensearch.action.admin.indices.mapping.put.PutMappingRequest;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.UUIDs;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.index.IndexNotFoundException;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.util.Map;

/**
 * What the actions on persons share: the photo indices of the path and the people index checked on the calling thread,
 * then the work run on the plugin's people pool, its reads and writes as children of the task.
 *
 * @param <R> the request
 */
public abstract class TransportPeopleAction<R extends PeopleRequest> extends HandledTransportAction<R, PeopleResponse> {
    /** Where an action on persons works. */
    protected record Context(ChildRequests requests, RunMemory memory, ClusterRun.PhotoIndices photos, String peopleIndex) {}

    /** The node's services the actions on persons use, injected into each. */
    protected record Services(
        Client client,
        ClusterService clusterService,
        ThreadPool threadPool,
        IndexNameExpressionResolver resolver,
        DecodeMemoryBreaker breaker
    ) {}

    private final Services services;

    protected TransportPeopleAction(String name, TransportService transportService, ActionFilters actionFilters, Writeable.Reader<R> reader, Services services) {
        super(name, transportService, actionFilters, reader);
        this.services = services;
    }

    /** An editor of the persons of the context. */
    protected static PersonEditor editor(Context context) {
        return new PersonEditor(
            context.requests(),
            context.memory(),
            context.photos().indices(),
            context.photos().dimension(),
            context.peopleIndex(),
            UUIDs::base64UUID
        );
    }

    /** The action's work, on a people pool thread: the answer's fields. */
    protected abstract Map<String, Object> apply(Context context, R request);

    @Override
    protected void doExecute(Task task, R request, ActionListener<PeopleResponse> listener) {
        ClusterRun.PhotoIndices photos;
        String peopleIndex;
        try {
            ClusterState state = services.clusterService().state();
            photos = PeoplePhotoIndices.resolve(state, services.resolver(), request.indices());
            peopleIndex = PeoplePhotoIndices.peopleIndexName(request.peopleIndex(), photos);
            if (PeoplePhotoIndices.checkPeopleIndex(state, peopleIndex, photos) == false) {
                IndexNotFoundException missing = new IndexNotFoundException(peopleIndex);
                missing.addMetadata("opensearch.hint", "the persons are made by POST _plugins/_face/people/{index}/_cluster");
                throw missing;
            }
        } catch (RuntimeException e) {
            listener.onFailure(e);
            return;
        }
        CancellableTask cancellable = (CancellableTask) task;
        services.threadPool().executor(PeoplePool.NAME).execute(ActionRunnable.supply(listener, () -> {
            ChildRequests requests = new ChildRequests(services.client(), services.clusterService().localNode().getId(), cancellable);
            // faces are written with their person fields: those must be keywords before the first write maps them
            for (String index : photos.withoutPersonFields()) {
                requests.execute(PutMappingAction.INSTANCE, new PutMappingRequest(index).source(FacePersonFields.mappingUpdate()));
            }
            try (RunMemory memory = new RunMemory(services.breaker())) {
                return new PeopleResponse(apply(new Context(requests, memory, photos, peopleIndex), request));
            }
        }));
    }
}
