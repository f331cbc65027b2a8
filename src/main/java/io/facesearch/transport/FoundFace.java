package io.facesearch.transport;

import io.facesearch.vision.AnalyzedFace;
import io.facesearch.vision.detect.DetectedFace;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/**
 * A face as the APIs report it: its position among the photo's faces, detector score, box and landmarks in the
 * upright photo's pixels, and its identity vector when asked for.
 *
 * @param landmarks five points as x0, y0, ... x4, y4 (see {@link DetectedFace#LANDMARK_NAMES})
 * @param embedding the identity vector, or null
 */
public record FoundFace(int index, float score, float x, float y, float width, float height, float[] landmarks, float[] embedding)
    implements
        Writeable,
        ToXContentObject {

    public static FoundFace of(AnalyzedFace face, boolean withEmbedding) {
        DetectedFace detection = face.detection();
        return new FoundFace(
            face.index(),
            detection.score(),
            detection.x(),
            detection.y(),
            detection.width(),
            detection.height(),
            detection.landmarks(),
            withEmbedding ? face.embedding() : null
        );
    }

    public FoundFace(StreamInput in) throws IOException {
        this(
            in.readVInt(),
            in.readFloat(),
            in.readFloat(),
            in.readFloat(),
            in.readFloat(),
            in.readFloat(),
            in.readFloatArray(),
            in.readBoolean() ? in.readFloatArray() : null
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVInt(index);
        out.writeFloat(score);
        out.writeFloat(x);
        out.writeFloat(y);
        out.writeFloat(width);
        out.writeFloat(height);
        out.writeFloatArray(landmarks);
        out.writeBoolean(embedding != null);
        if (embedding != null) {
            out.writeFloatArray(embedding);
        }
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("index", index);
        builder.field("score", score);
        box(builder, x, y, width, height);
        builder.startObject("landmarks");
        for (int i = 0; i < DetectedFace.LANDMARK_NAMES.length; i++) {
            builder.array(DetectedFace.LANDMARK_NAMES[i], landmarks[2 * i], landmarks[2 * i + 1]);
        }
        builder.endObject();
        if (embedding != null) {
            builder.array("embedding", embedding);
        }
        return builder.endObject();
    }

    /** A face box as every API writes it. */
    static void box(XContentBuilder builder, float x, float y, float width, float height) throws IOException {
        builder.startObject("box");
        builder.field("x", x);
        builder.field("y", y);
        builder.field("width", width);
        builder.field("height", height);
        builder.endObject();
    }
}
