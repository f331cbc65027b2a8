package io.facesearch.transport;

import io.facesearch.breaker.DecodeMemoryBreaker;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.erase.EraseCriteria;
import io.facesearch.erase.ErasureAudit;
import io.facesearch.erase.FaceErasure;
import io.facesearch.ingest.FaceProcessorFactory;
import io.facesearch.ingest.VectorCompression;
import io.facesearch.people.ChildRequests;
import io.facesearch.people.ClusterRun;
import io.facesearch.people.FacePersonFields;
import io.facesearch.people.PeopleIndex;
import io.facesearch.people.PersonSearch;
import io.facesearch.people.RunMemory;
import io.facesearch.threadpool.PeoplePool;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceVerifier;
import io.facesearch.vision.NoFaceFoundException;
import io.facesearch.vision.image.InvalidImageException;

import org.apache.lucene.search.join.ScoreMode;
import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.ActionRunnable;
import org.opensearch.action.get.GetAction;
import org.opensearch.action.get.GetRequest;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.UUIDs;
import org.opensearch.common.inject.Inject;
import org.opensearch.common.util.concurrent.AbstractRunnable;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.IndexNotFoundException;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.opensearch.tasks.CancellableTask;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the indices and criteria on the calling thread (from the cluster state), embeds an example photo on the
 * search pool, then runs the erasure ({@link FaceErasure}) on the plugin's people pool, its searches and writes as
 * children of the task and as the user who asked; and records it in the audit index, as the plugin.
 */
public class TransportEraseAction extends HandledTransportAction<EraseRequest, ReportResponse> {
    /** The most matching photos a dry run lists. */
    static final int LIST_LIMIT = 10_000;

    private final Client client;
    private final ClusterService clusterService;
    private final ThreadPool threadPool;
    private final IndexNameExpressionResolver resolver;
    private final DecodeMemoryBreaker breaker;
    private final FaceEngineService engine;

    @Inject
    public TransportEraseAction(
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ClusterService clusterService,
        ThreadPool threadPool,
        IndexNameExpressionResolver resolver,
        DecodeMemoryBreaker breaker,
        FaceEngineService engine
    ) {
        super(EraseAction.NAME, transportService, actionFilters, EraseRequest::new);
        this.client = client;
        this.clusterService = clusterService;
        this.threadPool = threadPool;
        this.resolver = resolver;
        this.breaker = breaker;
        this.engine = engine;
    }

    @Override
    protected void doExecute(Task task, EraseRequest request, ActionListener<ReportResponse> listener) {
        ClusterRun.PhotoIndices photos;
        List<FaceErasure.PhotoIndex> photoIndices = new ArrayList<>();
        List<String> peopleIndices = new ArrayList<>();
        try {
            ClusterState state = clusterService.state();
            photos = PeoplePhotoIndices.resolve(state, resolver, photoIndexNames(state, request));
            for (String index : photos.indices()) {
                Map<String, Object> processor = PhotoIndexPipeline.of(state, index).processor();
                photoIndices.add(
                    new FaceErasure.PhotoIndex(
                        index,
                        option(processor, "photo_field", FaceProcessorFactory.DEFAULT_PHOTO_FIELD),
                        option(processor, "field", FaceProcessorFactory.DEFAULT_FIELD),
                        option(processor, "clip_field", FaceProcessorFactory.DEFAULT_CLIP_FIELD)
                    )
                );
            }
            if (request.peopleIndex() != null) {
                if (state.metadata().hasIndex(request.peopleIndex()) == false) {
                    throw new IndexNotFoundException(request.peopleIndex());
                }
                peopleIndices.add(request.peopleIndex());
            } else {
                for (String index : photos.indices()) {
                    String people = PeopleIndex.defaultFor(index);
                    if (state.metadata().hasIndex(people)) {
                        peopleIndices.add(people);
                    }
                }
            }
            if (request.vector() != null && "embedding".equals(request.field()) && request.vector().length != photos.dimension()) {
                throw new IllegalArgumentException(
                    "[vector] has " + request.vector().length + " numbers, but the faces' vectors have " + photos.dimension()
                );
            }
        } catch (RuntimeException e) {
            listener.onFailure(e);
            return;
        }
        String user = ErasureAudit.user(threadPool.getThreadContext());
        CancellableTask cancellable = (CancellableTask) task;
        ActionListener<float[]> withExample = ActionListener.wrap(
            example -> threadPool.executor(PeoplePool.NAME)
                .execute(ActionRunnable.supply(listener, () -> erase(cancellable, request, example, photos, photoIndices, peopleIndices, user))),
            listener::onFailure
        );
        if (request.image() != null) {
            embed(request, withExample);
        } else {
            withExample.onResponse(request.vector());
        }
    }

    /** The indices named, or every open photo index. */
    private String[] photoIndexNames(ClusterState state, EraseRequest request) {
        if (request.indicesNamed()) {
            return request.indices();
        }
        String[] all = resolver.concreteIndexNames(state, IndicesOptions.lenientExpandOpen(), "*");
        String[] photoIndices = Arrays.stream(all).filter(index -> {
            PhotoIndexPipeline pipeline = PhotoIndexPipeline.of(state, index);
            return pipeline.isPhotoIndex()
                && FacePersonFields.FACES.equals(pipeline.processor().getOrDefault("target_field", FaceProcessorFactory.DEFAULT_TARGET_FIELD));
        }).toArray(String[]::new);
        if (photoIndices.length == 0) {
            throw new IllegalArgumentException("there is no photo index to erase from");
        }
        return photoIndices;
    }

    private static String option(Map<String, Object> processor, String name, String fallback) {
        return processor.get(name) instanceof String value ? value : fallback;
    }

    /** The example photo's main face, embedded on the face search pool. */
    private void embed(EraseRequest request, ActionListener<float[]> listener) {
        engine.executeSearch(new AbstractRunnable() {
            @Override
            protected void doRun() {
                FaceAnalysis analysis;
                try {
                    analysis = engine.analyzer().analyze(request.image().decode(), engine.detectionOptions(null, null, null), true);
                } catch (InvalidImageException e) {
                    throw e.in("[image]");
                }
                if (analysis.faces().isEmpty()) {
                    throw new NoFaceFoundException("no face found in the [image]");
                }
                listener.onResponse(analysis.faces().get(FaceVerifier.mainFace(analysis)).embedding());
            }

            @Override
            public void onFailure(Exception e) {
                listener.onFailure(e);
            }
        });
    }

    private ReportResponse erase(
        CancellableTask task,
        EraseRequest request,
        float[] example,
        ClusterRun.PhotoIndices photos,
        List<FaceErasure.PhotoIndex> photoIndices,
        List<String> peopleIndices,
        String user
    ) {
        ChildRequests requests = new ChildRequests(client, clusterService.localNode().getId(), task);
        ErasureAudit audit = new ErasureAudit(client, threadPool.getThreadContext());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("@timestamp", Instant.now().toString());
        record.put("user", user);
        record.put("task", clusterService.localNode().getId() + ":" + task.getId());
        record.put("indices", photos.indices());
        record.put("dry_run", request.dryRun());
        record.put("scope", request.scope().apiName());
        record.put("expunge", request.expunge());
        try (RunMemory memory = new RunMemory(breaker)) {
            EraseCriteria criteria = criteria(requests, request, example, photos, peopleIndices);
            record.put("criteria", criteria.describe());
            Map<String, Object> report = new FaceErasure(requests, photoIndices, peopleIndices, photos.dimension(), memory, UUIDs::base64UUID).run(
                criteria,
                new FaceErasure.Options(request.scope(), request.dryRun(), request.expunge(), LIST_LIMIT)
            );
            report.put("photo_indices", photos.indices());
            report.put("people_indices", peopleIndices);
            for (Map.Entry<String, Object> entry : report.entrySet()) {
                if (entry.getKey().equals("photos") == false && entry.getKey().equals("criteria") == false) {
                    record.putIfAbsent(entry.getKey(), entry.getValue());
                }
            }
            audit.record(record);
            return new ReportResponse(report);
        } catch (RuntimeException e) {
            record.putIfAbsent("criteria", Map.of());
            record.put("error", e.getMessage());
            try {
                audit.record(record);
            } catch (RuntimeException auditFailure) {
                e.addSuppressed(auditFailure);
            }
            throw e;
        }
    }

    /** The criteria of the request, a person resolved to its id: by id or by name in the people indices, or by the faces. */
    private static EraseCriteria criteria(
        ChildRequests requests,
        EraseRequest request,
        float[] example,
        ClusterRun.PhotoIndices photos,
        List<String> peopleIndices
    ) {
        if (request.identity() != null) {
            return new EraseCriteria.ByIdentity(request.identity(), request.identityField());
        }
        if (request.person() == null) {
            // the CLIP vectors are floats in every photo index
            Map<String, VectorCompression> compressions = FacePersonFields.EMBEDDING.equals(request.field()) ? photos.faceVectors() : Map.of();
            return new EraseCriteria.ByExample(
                example,
                request.field(),
                request.minSimilarity(),
                request.image() != null ? "image" : "vector",
                compressions
            );
        }
        String given = request.person();
        for (String peopleIndex : peopleIndices) {
            GetRequest get = new GetRequest(peopleIndex, given).fetchSourceContext(FetchSourceContext.DO_NOT_FETCH_SOURCE);
            if (requests.execute(GetAction.INSTANCE, get).isExists()) {
                return new EraseCriteria.ByPerson(given, null);
            }
        }
        for (String peopleIndex : peopleIndices) {
            String id = PersonSearch.idOfName(requests, peopleIndex, given);
            if (id != null) {
                return new EraseCriteria.ByPerson(id, given);
            }
        }
        // a person whose document is gone, as after an interrupted erasure, is still on its faces
        SearchSourceBuilder faces = new SearchSourceBuilder().size(0)
            .trackTotalHits(true)
            .query(QueryBuilders.nestedQuery(FacePersonFields.FACES, QueryBuilders.termQuery(FacePersonFields.person(), given), ScoreMode.None));
        long found = requests.execute(SearchAction.INSTANCE, new SearchRequest(photos.indices().toArray(String[]::new)).source(faces))
            .getHits()
            .getTotalHits()
            .value();
        if (found == 0) {
            throw new ResourceNotFoundException("person [{}] not found in {} by id or by name, nor on any face", given, peopleIndices);
        }
        return new EraseCriteria.ByPerson(given, null);
    }
}
