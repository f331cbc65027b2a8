package io.facesearch.identify;

import io.facesearch.vision.identify.IdentityVote;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.search.SearchExtBuilder;

import java.io.IOException;
import java.util.Objects;

/**
 * The answer of the {@code face_identity} search response processor, in the search response's {@code ext} as
 * {@code face_identity}: the identity (or {@code Unknown}), its support, the vote's parameters and the candidates,
 * written as the identify API writes them.
 */
public final class FaceIdentityExt extends SearchExtBuilder {
    public static final String NAME = FaceIdentityResponseProcessor.TYPE;

    private final IdentityVote vote;
    private final IdentityVote.Decision decision;

    public FaceIdentityExt(IdentityVote vote, IdentityVote.Decision decision) {
        this.vote = vote;
        this.decision = decision;
    }

    public FaceIdentityExt(StreamInput in) throws IOException {
        this.vote = IdentityDecisions.readVote(in);
        this.decision = IdentityDecisions.readDecision(in);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        IdentityDecisions.writeVote(out, vote);
        IdentityDecisions.writeDecision(out, decision);
    }

    /**
     * A search request naming {@code face_identity} in its {@code ext}: refused, since the processor writes it into
     * the answer and reads nothing from the request.
     */
    public static FaceIdentityExt parse(XContentParser parser) {
        throw new IllegalArgumentException(
            "[ext] [" + NAME + "] is the answer of the [" + FaceIdentityResponseProcessor.TYPE
                + "] search response processor; a search request cannot set it (set the options on the processor in its search pipeline)"
        );
    }

    public IdentityVote vote() {
        return vote;
    }

    public IdentityVote.Decision decision() {
        return decision;
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        IdentityDecisions.answerToXContent(builder, decision);
        IdentityDecisions.voteToXContent(builder, vote);
        IdentityDecisions.candidatesToXContent(builder, decision);
        return builder.endObject();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FaceIdentityExt that
            && vote.k1() == that.vote.k1()
            && vote.k2() == that.vote.k2()
            && Float.compare(vote.threshold(), that.vote.threshold()) == 0
            && decision.equals(that.decision);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vote.k1(), vote.k2(), vote.threshold(), decision);
    }
}
