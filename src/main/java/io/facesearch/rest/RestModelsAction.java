package io.facesearch.rest;

import io.facesearch.plugin.FaceEngineService;
import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.FaceEngineConfig;
import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.clip.ClipEngine;
import io.facesearch.vision.image.ImageDecoder;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelTask;

import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

import static org.opensearch.rest.RestRequest.Method.GET;

/** {@code GET _plugins/_face/models}: which models this node has loaded, or why it could not load them. */
public class RestModelsAction extends FaceRestHandler {

    public RestModelsAction(Supplier<FaceEngineService> engine) {
        super(engine);
    }

    @Override
    public String getName() {
        return "face_models_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(GET, "/_plugins/_face/models"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        return channel -> {
            FaceEngineService engine = engine();
            XContentBuilder builder = channel.newBuilder();
            builder.startObject();
            builder.field("status", engine.failure() == null ? "loaded" : "failed");
            if (engine.failure() != null) {
                builder.field("error", engine.failure().getMessage());
            }
            builder.field("models_path", engine.modelsDir().toString());
            builder.field("jpeg_decoder", ImageDecoder.jpegDecoder());
            builder.field("manifest", engine.manifestSource());
            FaceEngineConfig config = engine.config();
            if (config != null) {
                FaceAnalyzer analyzer = engine.failure() == null ? engine.analyzer() : null;
                builder.startObject("detector");
                model(builder, config.manifest().all(), config.detector(), analyzer != null);
                builder.endObject();
                builder.startObject("embedder");
                model(builder, config.manifest().all(), config.embedder(), analyzer != null);
                if (analyzer != null) {
                    builder.field("dimension", analyzer.embedder().dimension());
                    builder.field("flip_average", analyzer.embedder().flipAverage());
                }
                builder.endObject();
            }
            builder.startObject("clip");
            builder.field("enabled", engine.clipEnabled());
            if (engine.clipEnabled()) {
                ClipEngine clip = engine.clip();
                builder.field("dimension", clip.dimension());
                builder.field("text_search", clip.canEmbedTexts());
                if (clip.imageModel() != null) {
                    builder.startObject("image_model");
                    model(builder, List.of(clip.imageModel()), clip.imageModel().name(), true);
                    builder.endObject();
                }
                if (clip.textModel() != null) {
                    builder.startObject("text_model");
                    model(builder, List.of(clip.textModel()), clip.textModel().name(), true);
                    builder.endObject();
                }
            } else {
                builder.field("reason", engine.clipFailure().getMessage());
            }
            builder.endObject();
            DetectionOptions defaults = engine.detectionOptions(null, null, null);
            builder.startObject("defaults");
            builder.field("min_score", defaults.minScore());
            builder.field("min_face_size", defaults.minFaceSize());
            builder.field("max_faces", defaults.maxFaces());
            builder.field("verify_threshold", engine.verifyThreshold());
            builder.field("identify_threshold", engine.identifyThreshold());
            builder.endObject();
            if (engine.manifest() != null) {
                builder.startArray("available");
                for (ModelSpec spec : engine.manifest().all()) {
                    builder.startObject();
                    builder.field("name", spec.name());
                    builder.field("task", spec.task().label());
                    builder.field("file", spec.file());
                    builder.field("sha256", spec.sha256());
                    builder.endObject();
                }
                builder.endArray();
            }
            builder.endObject();
            channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
        };
    }

    private static void model(XContentBuilder builder, List<ModelSpec> specs, String name, boolean loaded) throws IOException {
        builder.field("name", name);
        builder.field("loaded", loaded);
        for (ModelSpec spec : specs) {
            if (spec.name().equals(name)) {
                builder.field("task", spec.task().label());
                builder.field("architecture", spec.architecture());
                builder.field("file", spec.file());
                builder.field("sha256", spec.sha256());
                if (spec.task() == ModelTask.CLIP_TEXT) {
                    builder.field("context_length", spec.contextLength());
                } else {
                    builder.field("input_width", spec.inputWidth());
                    builder.field("input_height", spec.inputHeight());
                    builder.field("channel_order", spec.bgr() ? "bgr" : "rgb");
                }
            }
        }
    }
}
