package io.facesearch.identify;

import io.facesearch.vision.identify.IdentityVote;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;

/**
 * How an identity vote and its decision are written, as JSON and between nodes: one form for the identify API and
 * the {@code face_identity} search response processor.
 */
public final class IdentityDecisions {
    private IdentityDecisions() {}

    /** The answer and its support, inside an object the caller opened: identity, known, votes, similarities. */
    public static void answerToXContent(XContentBuilder builder, IdentityVote.Decision decision) throws IOException {
        builder.field("identity", decision.identity());
        builder.field("known", decision.known());
        builder.field("votes", decision.votes());
        builder.field("window", decision.window());
        builder.field("best_similarity", decision.best());
        builder.field("mean_similarity", decision.mean());
        if (decision.runnerUp() != null) {
            builder.field("leading_identity", decision.runnerUp());
        }
    }

    /** The vote's parameters, inside an object the caller opened. */
    public static void voteToXContent(XContentBuilder builder, IdentityVote vote) throws IOException {
        builder.field("k1", vote.k1());
        builder.field("k2", vote.k2());
        builder.field("threshold", vote.threshold());
    }

    /** The candidates considered, most similar first, as the array {@code candidates}. */
    public static void candidatesToXContent(XContentBuilder builder, IdentityVote.Decision decision) throws IOException {
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
    }

    public static void writeDecision(StreamOutput out, IdentityVote.Decision decision) throws IOException {
        out.writeString(decision.identity());
        out.writeVInt(decision.votes());
        out.writeVInt(decision.window());
        out.writeFloat(decision.best());
        out.writeFloat(decision.mean());
        out.writeOptionalString(decision.runnerUp());
        out.writeCollection(decision.candidates(), IdentityDecisions::writeCandidate);
    }

    public static IdentityVote.Decision readDecision(StreamInput in) throws IOException {
        String identity = in.readString();
        int votes = in.readVInt();
        int window = in.readVInt();
        float best = in.readFloat();
        float mean = in.readFloat();
        String runnerUp = in.readOptionalString();
        List<IdentityVote.Candidate> candidates = in.readList(IdentityDecisions::readCandidate);
        return new IdentityVote.Decision(identity, votes, window, best, mean, runnerUp, candidates);
    }

    public static void writeVote(StreamOutput out, IdentityVote vote) throws IOException {
        out.writeVInt(vote.k1());
        out.writeVInt(vote.k2());
        out.writeFloat(vote.threshold());
    }

    public static IdentityVote readVote(StreamInput in) throws IOException {
        return new IdentityVote(in.readVInt(), in.readVInt(), in.readFloat());
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
}
