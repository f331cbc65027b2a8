package io.facesearch.rest;

import io.facesearch.plugin.FaceEngineService;
import io.facesearch.vision.AnalyzedFace;
import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.FaceVerifier;

import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.opensearch.rest.RestRequest.Method.POST;

/**
 * {@code POST _plugins/_face/verify}: are the people in two photos the same person? Compares the largest face
 * of each photo unless {@code face_a} / {@code face_b} pick another.
 */
public class RestVerifyAction extends FaceRestHandler {

    public RestVerifyAction(Supplier<FaceEngineService> engine) {
        super(engine);
    }

    @Override
    public String getName() {
        return "face_verify_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, "/_plugins/_face/verify"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        VerifyRequest verify = VerifyRequest.parse(request.contentParser());
        return onFacePool(request, (builder, cancellation) -> {
            long start = System.nanoTime();
            FaceEngineService engine = engine();
            FaceAnalyzer analyzer = engine.analyzer();
            DetectionOptions options = engine.detectionOptions(verify.minScore(), null, null);
            FaceAnalysis a = analyze(analyzer, verify.imageA(), "image_a", options, true, cancellation);
            FaceAnalysis b = analyze(analyzer, verify.imageB(), "image_b", options, true, cancellation);
            float threshold = verify.threshold() != null ? verify.threshold() : engine.verifyThreshold();
            FaceVerifier.Verification result = FaceVerifier.verify("image_a", a, verify.faceA(), "image_b", b, verify.faceB(), threshold);
            builder.field("took", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            builder.field("similarity", result.similarity());
            builder.field("threshold", result.threshold());
            builder.field("same_person", result.samePerson());
            builder.field("model", analyzer.embedder().spec().name());
            face(builder, "face_a", result.faceA(), a);
            face(builder, "face_b", result.faceB(), b);
        });
    }

    private static void face(XContentBuilder builder, String name, AnalyzedFace face, FaceAnalysis photo) throws IOException {
        builder.startObject(name);
        builder.field("index", face.index());
        builder.field("faces_in_image", photo.faces().size());
        builder.field("score", face.detection().score());
        FaceXContent.box(builder, face.detection());
        builder.endObject();
    }
}
