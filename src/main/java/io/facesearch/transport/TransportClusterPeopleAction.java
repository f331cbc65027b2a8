package io.facesearch.transport;

import io.facesearch.breaker.DecodeMemoryBreaker;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.people.ChildRequests;
import io.facesearch.people.ClusterRun;
import io.facesearch.people.RunMemory;
import io.facesearch.people.cluster.ClusterOptions;
import io.facesearch.people.cluster.FaceEligibility;
import io.facesearch.threadpool.PeoplePool;
import io.facesearch.vision.DetectionOptions;

import org.opensearch.action.ActionRunnable;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.UUIDs;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.util.concurrent.TimeUnit;

/**
 * Checks the indices and options on the calling thread (from the cluster state), then runs the clustering
 * ({@link ClusterRun}) on the plugin's people pool, its searches and writes as children of the task.
 */
public class TransportClusterPeopleAction extends HandledTransportAction<ClusterPeopleRequest, ClusterPeopleResponse> {
    private final Client client;
    private final ClusterService clusterService;
    private final ThreadPool threadPool;
    private final IndexNameExpressionResolver resolver;
    private final DecodeMemoryBreaker breaker;
    private final FaceEngineService engine;

    @Inject
    public TransportClusterPeopleAction(
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ClusterService clusterService,
        ThreadPool threadPool,
        IndexNameExpressionResolver resolver,
        DecodeMemoryBreaker breaker,
        FaceEngineService engine
    ) {
        super(ClusterPeopleAction.NAME, transportService, actionFilters, ClusterPeopleRequest::new);
        this.client = client;
        this.clusterService = clusterService;
        this.threadPool = threadPool;
        this.resolver = resolver;
        this.breaker = breaker;
        this.engine = engine;
    }

    @Override
    protected void doExecute(Task task, ClusterPeopleRequest request, ActionListener<ClusterPeopleResponse> listener) {
        long start = System.nanoTime();
        ClusterRun.PhotoIndices photos;
        String peopleIndex;
        boolean peopleIndexExists;
        try {
            ClusterState state = clusterService.state();
            photos = PeoplePhotoIndices.resolve(state, resolver, request.indices());
            peopleIndex = PeoplePhotoIndices.peopleIndexName(request.peopleIndex(), photos);
            peopleIndexExists = PeoplePhotoIndices.checkPeopleIndex(state, peopleIndex, photos);
            PeoplePhotoIndices.checkPersonsFrom(state, request.personsFrom(), peopleIndex, photos);
        } catch (RuntimeException e) {
            listener.onFailure(e);
            return;
        }
        DetectionOptions nodeDefaults = engine.detectionOptions(null, null, null);
        ClusterOptions options = new ClusterOptions(
            request.mode(),
            request.similarity(),
            request.minFaces(),
            new FaceEligibility(
                request.minScore() != null ? request.minScore() : nodeDefaults.minScore(),
                request.minFaceSize() != null ? request.minFaceSize() : nodeDefaults.minFaceSize(),
                request.minQuality()
            )
        );
        ClusterPeopleTask clusterTask = (ClusterPeopleTask) task;
        threadPool.executor(PeoplePool.NAME).execute(ActionRunnable.supply(listener, () -> {
            ChildRequests requests = new ChildRequests(client, clusterService.localNode().getId(), clusterTask);
            try (RunMemory memory = new RunMemory(breaker)) {
                ClusterRun.Result result = new ClusterRun(requests, memory, clusterTask.progress(), UUIDs::base64UUID).run(
                    photos,
                    peopleIndex,
                    peopleIndexExists,
                    request.personsFrom(),
                    options
                );
                return new ClusterPeopleResponse(
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                    ClusterPeopleRequest.modeName(request.mode()),
                    result.facesConsidered(),
                    result.facesAssigned(),
                    result.persons(),
                    result.personsCreated(),
                    result.personsUpdated(),
                    result.personsRemoved(),
                    result.photosSkipped(),
                    peopleIndex,
                    photos.indices(),
                    result.stepMillis()
                );
            }
        }));
    }
}
