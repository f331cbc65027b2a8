package io.facesearch.rest;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;
import io.facesearch.ingest.FaceProcessor;
import io.facesearch.ingest.FaceProcessorFactory;
import io.facesearch.ingest.PhotoIndexMapping;
import io.facesearch.plugin.FaceEngineService;

import org.opensearch.action.admin.indices.create.CreateIndexRequest;
import org.opensearch.action.ingest.PutPipelineRequest;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.settings.SettingsException;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import static org.opensearch.rest.RestRequest.Method.PUT;

/**
 * {@code PUT _plugins/_face/index/{index}}: creates a ready photo index in one call: an ingest pipeline with the
 * {@code face} processor, and the index with the face mapping and that pipeline as its default pipeline.
 */
public class RestCreatePhotoIndexAction extends FaceRestHandler {
    static final String KNOWN_FIELDS = "[pipeline, processor, settings]";

    public RestCreatePhotoIndexAction(Supplier<FaceEngineService> engine) {
        super(engine);
    }

    @Override
    public String getName() {
        return "face_create_photo_index_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(PUT, "/_plugins/_face/index/{index}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        String index = request.param("index");
        String pipeline = "face-search-" + index;
        Map<String, Object> processor = new LinkedHashMap<>();
        Settings settings = Settings.EMPTY;
        if (request.hasContent()) {
            for (Map.Entry<String, Object> entry : body(request).entrySet()) {
                switch (entry.getKey()) {
                    case "pipeline" -> pipeline = FieldValues.string(entry.getValue(), "pipeline");
                    case "processor" -> processor.putAll(FieldValues.object(entry.getValue(), "processor"));
                    case "settings" -> settings = indexSettings(entry.getValue());
                    default -> throw FieldValues.unknownField(entry.getKey(), KNOWN_FIELDS);
                }
            }
        }
        // the options the mapping depends on; the pipeline, stored first, checks them all with the same rules
        String field = processorOption(processor, "field", FaceProcessorFactory.DEFAULT_FIELD, FieldValues::string);
        String targetField = processorOption(processor, "target_field", FaceProcessorFactory.DEFAULT_TARGET_FIELD, FieldValues::string);
        String photoField = processorOption(processor, "photo_field", FaceProcessorFactory.DEFAULT_PHOTO_FIELD, FieldValues::string);
        String embedder = processorOption(processor, "embedder", null, FieldValues::string);
        int dimension = engine().analyzer(null, embedder).embedder().dimension();
        // CLIP vectors are written by default wherever the node can make them
        if (processor.containsKey("clip") == false && engine().clipEnabled() && engine().clip().canEmbedImages()) {
            processor.put("clip", true);
        }
        boolean clip = processorOption(processor, "clip", false, FieldValues::bool);
        boolean faceClip = processorOption(processor, "face_clip", false, FieldValues::bool);
        String clipField = clip ? processorOption(processor, "clip_field", FaceProcessorFactory.DEFAULT_CLIP_FIELD, FieldValues::string) : null;
        int clipDimension = clip ? engine().clip().dimension() : 0;

        XContentBuilder pipelineBody = XContentFactory.jsonBuilder()
            .startObject()
            .field("description", "faces of the photos in [" + index + "], written by PUT _plugins/_face/index")
            .startArray("processors")
            .startObject()
            .field(FaceProcessor.TYPE, processor)
            .endObject()
            .endArray()
            .endObject();
        Settings indexSettings = Settings.builder()
            .put("index.knn", true)
            .put("index.number_of_shards", 1)
            .put("index.auto_expand_replicas", "0-1")
            .put("index.default_pipeline", pipeline)
            .put(settings)
            .build();
        CreateIndexRequest create = new CreateIndexRequest(index).settings(indexSettings)
            .mapping(PhotoIndexMapping.build(field, targetField, photoField, dimension, clipField, clipDimension, faceClip));
        String pipelineId = pipeline;
        return channel -> client.admin()
            .cluster()
            .putPipeline(
                new PutPipelineRequest(pipelineId, BytesReference.bytes(pipelineBody), XContentType.JSON),
                ActionListener.wrap(
                    pipelineCreated -> client.admin().indices().create(create, ActionListener.wrap(created -> {
                        XContentBuilder builder = channel.newBuilder();
                        builder.startObject();
                        builder.field("acknowledged", created.isAcknowledged());
                        builder.field("index", created.index());
                        builder.field("pipeline", pipelineId);
                        builder.field("dimension", dimension);
                        if (clipField != null) {
                            builder.field("clip_field", clipField);
                            builder.field("clip_dimension", clipDimension);
                        }
                        builder.endObject();
                        channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
                    }, e -> sendError(channel, e))),
                    e -> sendError(channel, e)
                )
            );
    }

    private static Map<String, Object> body(RestRequest request) throws IOException {
        try (XContentParser parser = request.contentParser()) {
            return FieldReader.body(parser, XContentParser::map);
        }
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

    /**
     * A processor option read with the face processor's own rules, or {@code defaultValue} when it is not given; an
     * error names the option as the pipeline's would.
     */
    private static <T> T processorOption(Map<String, Object> processor, String key, T defaultValue, BiFunction<Object, String, T> read) {
        return processor.containsKey(key) ? read.apply(processor.get(key), key) : defaultValue;
    }
}
