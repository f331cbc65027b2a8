package io.facesearch.transport;

import io.facesearch.engine.FaceEngineService;
import io.facesearch.query.FaceMatchQueryBuilder;
import io.facesearch.stats.FaceStats;
import io.facesearch.vision.AnalyzedFace;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceVerifier;
import io.facesearch.vision.NoFaceFoundException;
import io.facesearch.vision.identify.IdentityVote;

import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.common.util.concurrent.AbstractRunnable;
import org.opensearch.common.xcontent.support.XContentMapValues;
import org.opensearch.core.action.ActionListener;
import org.opensearch.search.SearchHit;
import org.opensearch.search.SearchHits;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Embeds the photo's main face once (on the {@code face_search} pool), searches the k2 nearest photos (best face
 * each) with {@code face_match} across all shards as a child of this task, and runs the k1/k2 vote over the merged,
 * globally ranked candidates, so the answer is the same whatever the number of shards or nodes.
 */
public class TransportIdentifyAction extends HandledTransportAction<IdentifyRequest, IdentifyResponse> {
    static final String INNER_HITS = "identify";

    private final FaceEngineService engine;
    private final Client client;
    private final ClusterService clusterService;

    @Inject
    public TransportIdentifyAction(
        TransportService transportService,
        ActionFilters actionFilters,
        FaceEngineService engine,
        Client client,
        ClusterService clusterService
    ) {
        super(IdentifyAction.NAME, transportService, actionFilters, IdentifyRequest::new);
        this.engine = engine;
        this.client = client;
        this.clusterService = clusterService;
    }

    @Override
    protected void doExecute(Task task, IdentifyRequest request, ActionListener<IdentifyResponse> listener) {
        engine.stats().request(FaceStats.Source.IDENTIFY);
        long start = System.nanoTime();
        float threshold = request.threshold() != null ? request.threshold() : engine.identifyThreshold();
        IdentityVote vote = new IdentityVote(request.k1(), request.k2(), threshold);
        if (request.vector() != null) {
            search(task, request, vote, request.vector(), null, start, listener);
            return;
        }
        engine.executeSearch(new AbstractRunnable() {
            @Override
            protected void doRun() {
                FaceAnalysis analysis = PhotoAnalysis.analyze(
                    engine,
                    request.image(),
                    engine.detectionOptions(null, null, null),
                    true,
                    TaskCancellation.of(task)
                );
                if (analysis.faces().isEmpty()) {
                    throw new NoFaceFoundException("no face found in [image]");
                }
                AnalyzedFace face = analysis.faces().get(FaceVerifier.mainFace(analysis));
                search(task, request, vote, face.embedding(), ComparedFace.of(face, -1), start, listener);
            }

            @Override
            public void onFailure(Exception e) {
                engine.countingRejections(listener).onFailure(e);
            }
        });
    }

    private void search(
        Task task,
        IdentifyRequest request,
        IdentityVote vote,
        float[] vector,
        ComparedFace queryFace,
        long start,
        ActionListener<IdentifyResponse> listener
    ) {
        SearchSourceBuilder source = new SearchSourceBuilder().size(request.k2())
            .query(FaceMatchQueryBuilder.forVector(vector, request.field(), request.k2(), request.filter(), INNER_HITS, 1))
            .fetchSource(new String[] { request.identityField() }, null)
            .trackTotalHits(false);
        SearchRequest search = new SearchRequest(request.indices()).source(source);
        search.setParentTask(clusterService.localNode().getId(), task.getId());
        client.search(search, ActionListener.wrap(response -> {
            IdentityVote.Decision decision = vote.decide(candidates(response, request.identityField()));
            listener.onResponse(new IdentifyResponse(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), decision, vote, queryFace));
        }, listener::onFailure));
    }

    /** One candidate per photo, its best face: the label is read on the face first, then on the photo. */
    static List<IdentityVote.Candidate> candidates(SearchResponse response, String identityField) {
        List<IdentityVote.Candidate> candidates = new ArrayList<>();
        for (SearchHit hit : response.getHits().getHits()) {
            int face = 0;
            Object identity = null;
            SearchHits inner = hit.getInnerHits() == null ? null : hit.getInnerHits().get(INNER_HITS);
            if (inner != null && inner.getHits().length > 0) {
                SearchHit best = inner.getHits()[0];
                face = best.getNestedIdentity() == null ? 0 : best.getNestedIdentity().getOffset();
                identity = best.getSourceAsMap() == null ? null : XContentMapValues.extractValue(identityField, best.getSourceAsMap());
            }
            if (identity == null && hit.getSourceAsMap() != null) {
                identity = XContentMapValues.extractValue(identityField, hit.getSourceAsMap());
            }
            // the k-NN score of a cosine space is (1 + cosine) / 2
            float similarity = 2 * hit.getScore() - 1;
            candidates.add(new IdentityVote.Candidate(identity == null ? null : identity.toString(), similarity, hit.getIndex() + "/" + hit.getId(), face));
        }
        return candidates;
    }
}
