package io.facesearch.transport;

import io.facesearch.vision.identify.IdentityVote;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;

/** The vote's answer (an identity or {@code Unknown}), its support, the parameters used, the query face and the candidates. */
public class IdentifyResponse extends ActionResponse implements ToXContentObject {
    private final long tookMillis;
    private final IdentityVote.Decision decision;
    private final int k1;
    private final int k2;
    private final float threshold;
    private final ComparedFace queryFace;

    public IdentifyResponse(long tookMillis, IdentityVote.Decision decision, IdentityVote vote, ComparedFace queryFace) {
        this.tookMillis = tookMillis;
        this.decision = decision;
        this.k1 = vote.k1();
        this.k2 = vote.k2();
        this.threshold = vote.threshold();
        this.queryFace = queryFace;
    }

    public IdentifyResponse(StreamInput in) throws IOException {
        super(in);
        this.tookMillis = in.readVLong();
        String identity = in.readString();
        int votes = in.readVInt();
        int window = in.readVInt();
        float best = in.readFloat();
        float mean = in.readFloat();
        String runnerUp = in.readOptionalString();
        List<IdentityVote.Candidate> candidates = in.readList(IdentifyResponse::readCandidate);
        this.decision = new IdentityVote.Decision(identity, votes, window, best, mean, runnerUp, candidates);
        this.k1 = in.readVInt();
        this.k2 = in.readVInt();
        this.threshold = in.readFloat();
        this.queryFace = in.readOptionalWriteable(ComparedFace::new);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVLong(tookMillis);
        out.writeString(decision.identity());
        out.writeVInt(decision.votes());
        out.writeVInt(decision.window());
        out.writeFloat(decision.best());
        out.writeFloat(decision.mean());
        out.writeOptionalString(decision.runnerUp());
        out.writeCollection(decision.candidates(), IdentifyResponse::writeCandidate);
        out.writeVInt(k1);
        out.writeVInt(k2);
        out.writeFloat(threshold);
        out.writeOptionalWriteable(queryFace);
    }

    private static IdentityVote.Candidate readCandidate(StreamInput in) throws IOException {
        return new IdentityVote.Candidate(in.readOptionalString(), in.readFloat(), in.readString(), in.readVInt());
    }

    private static void writeCandidate(StreamOutput out, IdentityVote.Candidate candidate) throws IOException {
        out.writeOptionalString(candidate.identity());
        out.writeFloat(candidate.similarity());
        out.writeString(candidate.photoId());
        out.writeVInt(candidate.face());
    }

    public IdentityVote.Decision decision() {
        return decision;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("took", tookMillis);
        builder.field("identity", decision.identity());
        builder.field("known", decision.known());
        builder.field("votes", decision.votes());
        builder.field("window", decision.window());
        builder.field("best_similarity", decision.best());
        builder.field("mean_similarity", decision.mean());
        if (decision.runnerUp() != null) {
            builder.field("leading_identity", decision.runnerUp());
        }
        builder.field("k1", k1);
        builder.field("k2", k2);
        builder.field("threshold", threshold);
        if (queryFace != null) {
            builder.startObject("query_face");
            queryFace.toXContent(builder, params);
            builder.endObject();
        }
        builder.startArray("candidates");
        for (IdentityVote.Candidate candidate : decision.candidates()) {
            // photo ids are index/id: an index name cannot hold a slash
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
        return builder.endObject();
    }
}
