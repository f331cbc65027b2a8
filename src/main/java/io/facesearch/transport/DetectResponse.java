package io.facesearch.transport;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;

/** The faces found in a photo, largest first, and the photo's upright size and format. */
public class DetectResponse extends ActionResponse implements ToXContentObject {
    private final long tookMillis;
    private final int width;
    private final int height;
    private final String format;
    private final List<FoundFace> faces;

    public DetectResponse(long tookMillis, int width, int height, String format, List<FoundFace> faces) {
        this.tookMillis = tookMillis;
        this.width = width;
        this.height = height;
        this.format = format;
        this.faces = List.copyOf(faces);
    }

    public DetectResponse(StreamInput in) throws IOException {
        super(in);
        this.tookMillis = in.readVLong();
        this.width = in.readVInt();
        this.height = in.readVInt();
        this.format = in.readString();
        this.faces = in.readList(FoundFace::new);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVLong(tookMillis);
        out.writeVInt(width);
        out.writeVInt(height);
        out.writeString(format);
        out.writeList(faces);
    }

    public List<FoundFace> faces() {
        return faces;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("took", tookMillis);
        builder.startObject("image");
        builder.field("width", width);
        builder.field("height", height);
        builder.field("format", format);
        builder.endObject();
        builder.field("face_count", faces.size());
        builder.startArray("faces");
        for (FoundFace face : faces) {
            face.toXContent(builder, params);
        }
        builder.endArray();
        return builder.endObject();
    }
}
