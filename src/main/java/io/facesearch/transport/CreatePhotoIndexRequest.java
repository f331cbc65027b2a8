package io.facesearch.transport;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;
import io.facesearch.ingest.HnswGraph;
import io.facesearch.ingest.VectorCompression;

import org.opensearch.common.settings.Settings;
import org.opensearch.common.settings.SettingsException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A photo index to create: its name, its pipeline's id, the {@code face} processor's options, index settings, and
 * how its face vectors are compressed and their graph built.
 */
public class CreatePhotoIndexRequest extends PhotoIndexRequest {
    static final String KNOWN_FIELDS = "[pipeline, processor, settings, compression, hnsw]";

    private final String pipeline;
    private final Map<String, Object> processor;
    private final Settings settings;
    private final VectorCompression compression;
    private final HnswGraph graph;

    public CreatePhotoIndexRequest(String index, String pipeline, Map<String, Object> processor, Settings settings) {
        this(index, pipeline, processor, settings, VectorCompression.NONE, HnswGraph.DEFAULT);
    }

    public CreatePhotoIndexRequest(
        String index,
        String pipeline,
        Map<String, Object> processor,
        Settings settings,
        VectorCompression compression,
        HnswGraph graph
    ) {
        super(index);
        this.pipeline = pipeline == null ? defaultPipeline(index) : pipeline;
        this.processor = processor;
        this.settings = settings;
        this.compression = compression;
        this.graph = graph;
    }

    public CreatePhotoIndexRequest(StreamInput in) throws IOException {
        super(in);
        this.pipeline = in.readString();
        this.processor = in.readMap();
        this.settings = Settings.readSettingsFromStream(in);
        this.compression = in.readEnum(VectorCompression.class);
        this.graph = new HnswGraph(in);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeString(pipeline);
        out.writeMap(processor);
        Settings.writeSettingsToStream(settings, out);
        out.writeEnum(compression);
        graph.writeTo(out);
    }

    /** The pipeline of a photo index when the request names none. */
    public static String defaultPipeline(String index) {
        return "face-search-" + index;
    }

    /** Reads the optional JSON body of {@code PUT _plugins/_face/index/{index}} (null: no body); errors name the field. */
    public static CreatePhotoIndexRequest parse(String index, XContentParser parser) throws IOException {
        String pipeline = null;
        Map<String, Object> processor = new LinkedHashMap<>();
        Settings settings = Settings.EMPTY;
        VectorCompression compression = VectorCompression.NONE;
        HnswGraph graph = HnswGraph.DEFAULT;
        if (parser != null) {
            for (Map.Entry<String, Object> entry : FieldReader.body(parser, XContentParser::map).entrySet()) {
                switch (entry.getKey()) {
                    case "pipeline" -> pipeline = FieldValues.string(entry.getValue(), "pipeline");
                    case "processor" -> processor.putAll(FieldValues.object(entry.getValue(), "processor"));
                    case "settings" -> settings = indexSettings(entry.getValue());
                    case VectorCompression.FIELD -> compression = VectorCompression.parse(entry.getValue(), VectorCompression.FIELD);
                    case HnswGraph.FIELD -> graph = HnswGraph.parse(entry.getValue());
                    default -> throw FieldValues.unknownField(entry.getKey(), KNOWN_FIELDS);
                }
            }
        }
        return new CreatePhotoIndexRequest(index, pipeline, processor, settings, compression, graph);
    }

    /** The {@code settings} of the body, as index settings; a value Settings cannot hold is the client's error. */
    private static Settings indexSettings(Object value) {
        try {
            return Settings.builder().loadFromMap(FieldValues.object(value, "settings")).normalizePrefix("index.").build();
        } catch (SettingsException e) {
            String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw FieldValues.invalid("settings", "must hold index settings: " + reason);
        }
    }

    public String pipeline() {
        return pipeline;
    }

    /** The processor options as given (a copy each time: building a processor consumes its options). */
    public Map<String, Object> processor() {
        return new LinkedHashMap<>(processor);
    }

    public Settings settings() {
        return settings;
    }

    /** How the face vectors are stored in the index's graph. */
    public VectorCompression compression() {
        return compression;
    }

    /** How the graph of the face vectors is built. */
    public HnswGraph graph() {
        return graph;
    }
}
