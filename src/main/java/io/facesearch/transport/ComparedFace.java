package io.facesearch.transport;

import io.facesearch.vision.AnalyzedFace;
import io.facesearch.vision.detect.DetectedFace;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/**
 * The face of a photo that verify or identify used: its position among the photo's faces, how many the photo has
 * (-1 when not reported), its detector score and box.
 */
public record ComparedFace(int index, int facesInImage, float score, float x, float y, float width, float height)
    implements
        Writeable,
        ToXContentFragment {

    static ComparedFace of(AnalyzedFace face, int facesInImage) {
        DetectedFace box = face.detection();
        return new ComparedFace(face.index(), facesInImage, box.score(), box.x(), box.y(), box.width(), box.height());
    }

    ComparedFace(StreamInput in) throws IOException {
        this(in.readVInt(), in.readInt(), in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVInt(index);
        out.writeInt(facesInImage);
        out.writeFloat(score);
        out.writeFloat(x);
        out.writeFloat(y);
        out.writeFloat(width);
        out.writeFloat(height);
    }

    /** Its fields, inside an object the caller opened. */
    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field("index", index);
        if (facesInImage >= 0) {
            builder.field("faces_in_image", facesInImage);
        }
        builder.field("score", score);
        FoundFace.box(builder, x, y, width, height);
        return builder;
    }
}
