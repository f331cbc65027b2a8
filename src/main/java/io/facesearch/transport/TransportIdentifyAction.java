package io.facesearch.transport;

import io.facesearch.engine.FaceEngineService;
import io.facesearch.identify.HitCandidates;
import io.facesearch.query.FaceMatchQueryBuilder;
import io.facesearch.stats.FaceStats;
import io.facesearch.vision.AnalyzedFace;
import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceVerifier;
import io.facesearch.vision.NoFaceFoundException;
import io.facesearch.vision.identify.IdentityVote;

import org.opensearch.action.search.MultiSearchRequest;
import org.opensearch.action.search.MultiSearchResponse;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.common.util.concurrent.AbstractRunnable;
import org.opensearch.core.action.ActionListener;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Embeds the photo's faces once (on the {@code face_search} pool): its main face, or every face it has. Then
 * searches the k2 nearest photos (best face each) of each face with {@code face_match} across all shards, as a child
 * of this task (every face's search in one multi-search), and runs the k1/k2 vote over each face's merged, globally
 * ranked candidates, so the answer is the same whatever the number of shards or nodes.
 */
public class TransportIdentifyAction extends HandledTransportAction<IdentifyRequest, IdentifyResponse> {
    static final String INNER_HITS = "identify";
    /**
     * The most candidates one request may gather over all the faces it identifies (faces times k2): each is a hit
     * held in memory and written in the answer.
     */
    public static final int MAX_CANDIDATES = 100_000;

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
            identifyOne(task, request, vote, request.vector(), null, start, listener);
            return;
        }
        DetectionOptions options = engine.detectionOptions(request.minScore(), request.minFaceSize(), request.maxFaces());
        boolean everyFace = request.faces() == IdentifyRequest.Faces.ALL;
        if (everyFace && (long) options.maxFaces() * request.k2() > MAX_CANDIDATES) {
            listener.onFailure(
                new IllegalArgumentException(
                    "[faces] [all] identifies up to [max_faces] " + options.maxFaces() + " faces with [k2] " + request.k2()
                        + " candidates each, more than the " + MAX_CANDIDATES + " candidates one request may gather; lower [max_faces] or [k2]"
                )
            );
            return;
        }
        engine.executeSearch(new AbstractRunnable() {
            @Override
            protected void doRun() {
                FaceAnalysis analysis = PhotoAnalysis.analyze(engine, request.image(), options, true, TaskCancellation.of(task));
                if (everyFace) {
                    identifyEveryFace(task, request, vote, analysis, start, listener);
                    return;
                }
                if (analysis.faces().isEmpty()) {
                    throw new NoFaceFoundException("no face found in [image]");
                }
                AnalyzedFace face = analysis.faces().get(FaceVerifier.mainFace(analysis));
                identifyOne(task, request, vote, face.embedding(), ComparedFace.of(face, -1), start, listener);
            }

            @Override
            public void onFailure(Exception e) {
                engine.countingRejections(listener).onFailure(e);
            }
        });
    }

    /** Every face's search in one multi-search, and every face's vote once all have answered. */
    private void identifyEveryFace(
        Task task,
        IdentifyRequest request,
        IdentityVote vote,
        FaceAnalysis analysis,
        long start,
        ActionListener<IdentifyResponse> listener
    ) {
        String format = analysis.format().label();
        if (analysis.faces().isEmpty()) {
            listener.onResponse(IdentifyResponse.everyFace(tookMillis(start), vote, analysis.width(), analysis.height(), format, List.of()));
            return;
        }
        MultiSearchRequest searches = new MultiSearchRequest();
        for (AnalyzedFace face : analysis.faces()) {
            searches.add(searchFor(request, face.embedding()));
        }
        searches.setParentTask(clusterService.localNode().getId(), task.getId());
        client.multiSearch(searches, ActionListener.wrap(responses -> {
            MultiSearchResponse.Item[] items = responses.getResponses();
            List<IdentifiedFace> faces = new ArrayList<>(items.length);
            for (int i = 0; i < items.length; i++) {
                if (items[i].isFailure()) {
                    listener.onFailure(items[i].getFailure());
                    return;
                }
                AnalyzedFace face = analysis.faces().get(i);
                IdentityVote.Decision decision = vote.decide(candidates(items[i].getResponse(), request.identityField()));
                faces.add(new IdentifiedFace(ComparedFace.of(face, -1), decision));
            }
            listener.onResponse(IdentifyResponse.everyFace(tookMillis(start), vote, analysis.width(), analysis.height(), format, faces));
        }, listener::onFailure));
    }

    /** One face's search and vote: the main face of a photo ({@code queryFace}), or a vector ({@code queryFace} null). */
    private void identifyOne(
        Task task,
        IdentifyRequest request,
        IdentityVote vote,
        float[] vector,
        ComparedFace queryFace,
        long start,
        ActionListener<IdentifyResponse> listener
    ) {
        SearchRequest search = searchFor(request, vector);
        search.setParentTask(clusterService.localNode().getId(), task.getId());
        client.search(search, ActionListener.wrap(response -> {
            IdentityVote.Decision decision = vote.decide(candidates(response, request.identityField()));
            listener.onResponse(new IdentifyResponse(tookMillis(start), decision, vote, queryFace));
        }, listener::onFailure));
    }

    /** The k2 nearest photos of a face, each with its best face as inner hit and its label in the source. */
    private static SearchRequest searchFor(IdentifyRequest request, float[] vector) {
        SearchSourceBuilder source = new SearchSourceBuilder().size(request.k2())
            .query(FaceMatchQueryBuilder.forVector(vector, request.field(), request.k2(), request.filter(), INNER_HITS, 1))
            .fetchSource(new String[] { request.identityField() }, null)
            .trackTotalHits(false);
        return new SearchRequest(request.indices()).source(source);
    }

    static List<IdentityVote.Candidate> candidates(SearchResponse response, String identityField) {
        return HitCandidates.read(response.getHits().getHits(), INNER_HITS, identityField, 1f);
    }

    private static long tookMillis(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
