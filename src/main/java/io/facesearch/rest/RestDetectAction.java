package io.facesearch.rest;

import io.facesearch.plugin.FaceEngineService;
import io.facesearch.vision.AnalyzedFace;
import io.facesearch.vision.FaceAnalysis;

import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.opensearch.rest.RestRequest.Method.POST;

/** {@code POST _plugins/_face/detect}: a photo in, its faces out (box, landmarks, score, optionally the embedding). */
public class RestDetectAction extends FaceRestHandler {

    public RestDetectAction(Supplier<FaceEngineService> engine) {
        super(engine);
    }

    @Override
    public String getName() {
        return "face_detect_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/_plugins/_face/detect"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        DetectRequest detect = DetectRequest.parse(request.contentParser());
        return onFacePool(request, (builder, cancellation) -> {
            FaceEngineService engine = engine();
            FaceAnalysis analysis = analyze(
                engine.analyzer(),
                detect.image(),
                "image",
                engine.detectionOptions(detect.minScore(), detect.minFaceSize(), detect.maxFaces()),
                detect.includeEmbeddings(),
                cancellation
            );
            builder.field("took", TimeUnit.NANOSECONDS.toMillis(analysis.totalNanos()));
            FaceXContent.photo(builder, analysis);
            builder.field("face_count", analysis.faces().size());
            builder.startArray("faces");
            for (AnalyzedFace face : analysis.faces()) {
                FaceXContent.face(builder, face, detect.includeEmbeddings());
            }
            builder.endArray();
        });
    }
}
