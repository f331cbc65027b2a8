package io.facesearch.transport;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/** The cosine similarity of the two faces compared, the threshold, the decision, the model, and the faces. */
public class VerifyResponse extends ActionResponse implements ToXContentObject {
    private final long tookMillis;
    private final float similarity;
    private final float threshold;
    private final boolean samePerson;
    private final String model;
    private final ComparedFace faceA;
    private final ComparedFace faceB;

    public VerifyResponse(
        long tookMillis,
        float similarity,
        float threshold,
        boolean samePerson,
        String model,
        ComparedFace faceA,
        ComparedFace faceB
    ) {
        this.tookMillis = tookMillis;
        this.similarity = similarity;
        this.threshold = threshold;
        this.samePerson = samePerson;
        this.model = model;
        this.faceA = faceA;
        this.faceB = faceB;
    }

    public VerifyResponse(StreamInput in) throws IOException {
        super(in);
        this.tookMillis = in.readVLong();
        this.similarity = in.readFloat();
        this.threshold = in.readFloat();
        this.samePerson = in.readBoolean();
        this.model = in.readString();
        this.faceA = new ComparedFace(in);
        this.faceB = new ComparedFace(in);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVLong(tookMillis);
        out.writeFloat(similarity);
        out.writeFloat(threshold);
        out.writeBoolean(samePerson);
        out.writeString(model);
        faceA.writeTo(out);
        faceB.writeTo(out);
    }

    public float similarity() {
        return similarity;
    }

    public boolean samePerson() {
        return samePerson;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("took", tookMillis);
        builder.field("similarity", similarity);
        builder.field("threshold", threshold);
        builder.field("same_person", samePerson);
        builder.field("model", model);
        builder.startObject("face_a");
        faceA.toXContent(builder, params);
        builder.endObject();
        builder.startObject("face_b");
        faceB.toXContent(builder, params);
        builder.endObject();
        return builder.endObject();
    }
}
