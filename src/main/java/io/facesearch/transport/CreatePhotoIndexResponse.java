package io.facesearch.transport;

import io.facesearch.ingest.HnswGraph;
import io.facesearch.ingest.VectorCompression;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/**
 * The created index, its pipeline, the dimensions of its vectors (CLIP's when it has a CLIP field), and the compression
 * and graph of its face vectors.
 */
public class CreatePhotoIndexResponse extends ActionResponse implements ToXContentObject {
    private final boolean acknowledged;
    private final String index;
    private final String pipeline;
    private final int dimension;
    private final VectorCompression compression;
    private final HnswGraph graph;
    private final String clipField;
    private final int clipDimension;

    public CreatePhotoIndexResponse(
        boolean acknowledged,
        String index,
        String pipeline,
        int dimension,
        VectorCompression compression,
        HnswGraph graph,
        String clipField,
        int clipDimension
    ) {
        this.acknowledged = acknowledged;
        this.index = index;
        this.pipeline = pipeline;
        this.dimension = dimension;
        this.compression = compression;
        this.graph = graph;
        this.clipField = clipField;
        this.clipDimension = clipDimension;
    }

    public CreatePhotoIndexResponse(StreamInput in) throws IOException {
        super(in);
        this.acknowledged = in.readBoolean();
        this.index = in.readString();
        this.pipeline = in.readString();
        this.dimension = in.readVInt();
        this.compression = in.readEnum(VectorCompression.class);
        this.graph = new HnswGraph(in);
        this.clipField = in.readOptionalString();
        this.clipDimension = in.readVInt();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeBoolean(acknowledged);
        out.writeString(index);
        out.writeString(pipeline);
        out.writeVInt(dimension);
        out.writeEnum(compression);
        graph.writeTo(out);
        out.writeOptionalString(clipField);
        out.writeVInt(clipDimension);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("acknowledged", acknowledged);
        builder.field("index", index);
        builder.field("pipeline", pipeline);
        builder.field("dimension", dimension);
        builder.field(VectorCompression.FIELD, compression.value());
        graph.toXContent(builder, params);
        if (clipField != null) {
            builder.field("clip_field", clipField);
            builder.field("clip_dimension", clipDimension);
        }
        return builder.endObject();
    }
}
