package io.facesearch.query;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/**
 * A face already indexed: face number {@code face} of document {@code id} in {@code index}.
 *
 * @param index the index holding the photo
 * @param id    the photo's document id
 * @param face  position of the face in the document's list of faces (0 = the first, largest)
 */
public record FaceReference(String index, String id, int face) implements QueryInput {
    static final String OPTION = "face";

    public FaceReference {
        if (index == null || index.isEmpty() || id == null || id.isEmpty()) {
            throw new IllegalArgumentException("[face] needs [index] and [id]");
        }
        if (face < 0) {
            throw new IllegalArgumentException("[face.face] must be >= 0, got " + face);
        }
    }

    public FaceReference(StreamInput in) throws IOException {
        this(in.readString(), in.readString(), in.readVInt());
    }

    @Override
    public String option() {
        return OPTION;
    }

    @Override
    public void toXContent(XContentBuilder builder) throws IOException {
        builder.startObject(OPTION).field("index", index).field("id", id).field("face", face).endObject();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(index);
        out.writeString(id);
        out.writeVInt(face);
    }
}
