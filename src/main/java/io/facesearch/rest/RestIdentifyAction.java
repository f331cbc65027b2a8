package io.facesearch.rest;

import io.facesearch.plugin.FaceEngineService;
import io.facesearch.vision.Cancellation;
import io.facesearch.query.FaceMatchQueryBuilder;
import io.facesearch.vision.AnalyzedFace;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceVerifier;
import io.facesearch.vision.NoFaceFoundException;
import io.facesearch.vision.identify.IdentityVote;

import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.util.concurrent.AbstractRunnable;
import org.opensearch.common.xcontent.support.XContentMapValues;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestChannel;
import org.opensearch.rest.RestRequest;
import org.opensearch.search.SearchHit;
import org.opensearch.search.SearchHits;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.opensearch.rest.RestRequest.Method.POST;

/**
 * {@code POST _plugins/_face/identify}: who is this? Embeds the photo's main face once, searches the k2 nearest
 * photos (best face each) with {@code face_match} across all shards, and runs the k1/k2 identity vote over the
 * merged, globally ranked candidates, so the answer is the same whatever the number of shards or nodes.
 */
public class RestIdentifyAction extends FaceRestHandler {
    private static final String INNER_HITS = "identify";

    public RestIdentifyAction(Supplier<FaceEngineService> engine) {
        super(engine);
    }

    @Override
    public String getName() {
        return "face_identify_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/_plugins/_face/identify"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        IdentifyRequest identify = IdentifyRequest.parse(request.contentParser());
        Cancellation cancellation = ClientDisconnect.of(request);
        long start = System.nanoTime();
        return channel -> {
            FaceEngineService engine = engine();
            float threshold = identify.threshold() != null ? identify.threshold() : engine.identifyThreshold();
            IdentityVote vote = new IdentityVote(identify.k1(), identify.k2(), threshold);
            if (identify.vector() != null) {
                search(client, channel, identify, vote, identify.vector(), null, start);
                return;
            }
            engine.executeSearch(new AbstractRunnable() {
                @Override
                protected void doRun() {
                    FaceAnalysis analysis = analyze(
                        engine.analyzer(),
                        identify.image(),
                        "image",
                        engine.detectionOptions(null, null, null),
                        true,
                        cancellation
                    );
                    if (analysis.faces().isEmpty()) {
                        throw new NoFaceFoundException("no face found in [image]");
                    }
                    AnalyzedFace face = analysis.faces().get(FaceVerifier.mainFace(analysis));
                    search(client, channel, identify, vote, face.embedding(), face, start);
                }

                @Override
                public void onFailure(Exception e) {
                    sendError(channel, e);
                }
            });
        };
    }

    private static void search(
        NodeClient client,
        RestChannel channel,
        IdentifyRequest identify,
        IdentityVote vote,
        float[] vector,
        AnalyzedFace queryFace,
        long start
    ) {
        SearchSourceBuilder source = new SearchSourceBuilder().size(identify.k2())
            .query(FaceMatchQueryBuilder.forVector(vector, identify.field(), identify.k2(), identify.filter(), INNER_HITS, 1))
            .fetchSource(new String[] { identify.identityField() }, null)
            .trackTotalHits(false);
        SearchRequest search = new SearchRequest(identify.index().split(",")).source(source);
        client.search(search, ActionListener.wrap(response -> {
            IdentityVote.Decision decision = vote.decide(candidates(response, identify.identityField()));
            XContentBuilder builder = channel.newBuilder();
            write(builder, decision, vote, queryFace, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
        }, e -> sendError(channel, e)));
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

    private static void write(XContentBuilder builder, IdentityVote.Decision decision, IdentityVote vote, AnalyzedFace queryFace, long took)
        throws IOException {
        builder.startObject();
        builder.field("took", took);
        builder.field("identity", decision.identity());
        builder.field("known", decision.known());
        builder.field("votes", decision.votes());
        builder.field("window", decision.window());
        builder.field("best_similarity", decision.best());
        builder.field("mean_similarity", decision.mean());
        if (decision.runnerUp() != null) {
            builder.field("leading_identity", decision.runnerUp());
        }
        builder.field("k1", vote.k1());
        builder.field("k2", vote.k2());
        builder.field("threshold", vote.threshold());
        if (queryFace != null) {
            builder.startObject("query_face");
            builder.field("index", queryFace.index());
            builder.field("score", queryFace.detection().score());
            FaceXContent.box(builder, queryFace.detection());
            builder.endObject();
        }
        builder.startArray("candidates");
        for (IdentityVote.Candidate candidate : decision.candidates()) {
            int slash = candidate.photoId().indexOf('/');
            builder.startObject();
            builder.field("_index", candidate.photoId().substring(0, slash));
            builder.field("_id", candidate.photoId().substring(slash + 1));
            builder.field("face", candidate.face());
            builder.field("identity", candidate.identity());
            builder.field("similarity", candidate.similarity());
            builder.endObject();
        }
        builder.endArray();
        builder.endObject();
    }
}
