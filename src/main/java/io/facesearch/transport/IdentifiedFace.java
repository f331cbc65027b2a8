package io.facesearch.transport;

import io.facesearch.identify.IdentityDecisions;
import io.facesearch.vision.identify.IdentityVote;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;

import java.io.IOException;

/**
 * A face identify answered for, and its answer.
 *
 * @param face     the face of the photo (its index, score and box); null when the request gave a vector
 * @param decision the vote's answer, its support and the candidates that voted
 */
public record IdentifiedFace(ComparedFace face, IdentityVote.Decision decision) implements Writeable {

    IdentifiedFace(StreamInput in) throws IOException {
        this(in.readOptionalWriteable(ComparedFace::new), IdentityDecisions.readDecision(in));
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalWriteable(face);
        IdentityDecisions.writeDecision(out, decision);
    }
}
