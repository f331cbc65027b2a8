package io.facesearch.rest;

import io.facesearch.ingest.FaceProcessor;
import io.facesearch.ingest.FaceProcessorFactory;
import io.facesearch.ingest.PhotoIndexMapping;
import io.facesearch.plugin.FaceEngineService;

import org.opensearch.action.admin.indices.create.CreateIndexRequest;
import org.opensearch.action.ingest.PutPipelineRequest;
import org.opensearch.common.settings.Settings;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        Map<String, Object> settings = new HashMap<>();
        if (request.hasContent()) {
            try (XContentParser parser = request.contentParser()) {
                Map<String, Object> body = parser.map();
                for (Map.Entry<String, Object> entry : body.entrySet()) {
                    switch (entry.getKey()) {
                        case "pipeline" -> pipeline = string(entry.getValue(), "pipeline");
                        case "processor" -> processor.putAll(object(entry.getValue(), "processor"));
                        case "settings" -> settings.putAll(object(entry.getValue(), "settings"));
                        default -> throw RequestFields.unknownField(entry.getKey(), KNOWN_FIELDS);
                    }
                }
            }
        }
        String field = processor.getOrDefault("field", FaceProcessorFactory.DEFAULT_FIELD).toString();
        String targetField = processor.getOrDefault("target_field", FaceProcessorFactory.DEFAULT_TARGET_FIELD).toString();
        String photoField = processor.getOrDefault("photo_field", FaceProcessorFactory.DEFAULT_PHOTO_FIELD).toString();
        Object embedder = processor.get("embedder");
        int dimension = engine().analyzer(null, embedder == null ? null : embedder.toString()).embedder().dimension();
        // CLIP vectors are written by default wherever the node can make them
        if (processor.containsKey("clip") == false && engine().clipEnabled() && engine().clip().canEmbedImages()) {
            processor.put("clip", true);
        }
        boolean clip = Boolean.parseBoolean(String.valueOf(processor.getOrDefault("clip", false)));
        boolean faceClip = Boolean.parseBoolean(String.valueOf(processor.getOrDefault("face_clip", false)));
        String clipField = clip ? processor.getOrDefault("clip_field", FaceProcessorFactory.DEFAULT_CLIP_FIELD).toString() : null;
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
            .put(Settings.builder().loadFromMap(settings).normalizePrefix("index.").build())
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

    private static String string(Object value, String field) {
        if (value instanceof String s && s.isEmpty() == false) {
            return s;
        }
        throw new IllegalArgumentException("[" + field + "] must be a non-empty string");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String field) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("[" + field + "] must be an object");
    }
}
