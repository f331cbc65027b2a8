package io.facesearch.transport;

import io.facesearch.identify.IdentityDecisions;
import io.facesearch.vision.identify.IdentityVote;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;

/**
 * The vote's answers with the parameters used: for the main face (or a vector), its answer (an identity or
 * {@code Unknown}), its support, the query face and the candidates; for every face of a photo, the photo's size
 * and one such answer per face, in the order detect lists them.
 */
public class IdentifyResponse extends ActionResponse implements ToXContentObject {
    private final long tookMillis;
    private final IdentityVote vote;
    /** Null when every face was asked about. */
    private final IdentifiedFace main;
    /** Null when only the main face (or a vector) was asked about. */
    private final EveryFace every;

    /** The photo every face of which was identified. */
    private record EveryFace(int width, int height, String format, List<IdentifiedFace> faces) {}

    private IdentifyResponse(long tookMillis, IdentityVote vote, IdentifiedFace main, EveryFace every) {
        this.tookMillis = tookMillis;
        this.vote = vote;
        this.main = main;
        this.every = every;
    }

    /** The answer for the photo's main face ({@code queryFace}), or for a vector ({@code queryFace} null). */
    public IdentifyResponse(long tookMillis, IdentityVote.Decision decision, IdentityVote vote, ComparedFace queryFace) {
        this(tookMillis, vote, new IdentifiedFace(queryFace, decision), null);
    }

    /** The answers for every face of a photo, as detect orders them (largest first). */
    public static IdentifyResponse everyFace(long tookMillis, IdentityVote vote, int width, int height, String format, List<IdentifiedFace> faces) {
        return new IdentifyResponse(tookMillis, vote, null, new EveryFace(width, height, format, List.copyOf(faces)));
    }

    public IdentifyResponse(StreamInput in) throws IOException {
        super(in);
        this.tookMillis = in.readVLong();
        this.vote = IdentityDecisions.readVote(in);
        if (in.readBoolean()) {
            this.main = null;
            this.every = new EveryFace(in.readVInt(), in.readVInt(), in.readString(), in.readList(IdentifiedFace::new));
        } else {
            this.main = new IdentifiedFace(in);
            this.every = null;
        }
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVLong(tookMillis);
        IdentityDecisions.writeVote(out, vote);
        out.writeBoolean(every != null);
        if (every != null) {
            out.writeVInt(every.width());
            out.writeVInt(every.height());
            out.writeString(every.format());
            out.writeList(every.faces());
        } else {
            main.writeTo(out);
        }
    }

    /** The main face's (or the vector's) answer; null when every face was asked about. */
    public IdentityVote.Decision decision() {
        return main == null ? null : main.decision();
    }

    /** Every face's answer, as detect orders the faces; null when only the main face (or a vector) was asked about. */
    public List<IdentifiedFace> faces() {
        return every == null ? null : every.faces();
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("took", tookMillis);
        if (main != null) {
            IdentityDecisions.answerToXContent(builder, main.decision());
            IdentityDecisions.voteToXContent(builder, vote);
            if (main.face() != null) {
                builder.startObject("query_face");
                main.face().toXContent(builder, params);
                builder.endObject();
            }
            IdentityDecisions.candidatesToXContent(builder, main.decision());
            return builder.endObject();
        }
        IdentityDecisions.voteToXContent(builder, vote);
        builder.startObject("image");
        builder.field("width", every.width());
        builder.field("height", every.height());
        builder.field("format", every.format());
        builder.endObject();
        builder.field("face_count", every.faces().size());
        builder.startArray("faces");
        for (IdentifiedFace face : every.faces()) {
            builder.startObject();
            face.face().toXContent(builder, params);
            IdentityDecisions.answerToXContent(builder, face.decision());
            IdentityDecisions.candidatesToXContent(builder, face.decision());
            builder.endObject();
        }
        builder.endArray();
        return builder.endObject();
    }
}
