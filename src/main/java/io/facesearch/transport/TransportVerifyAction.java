package io.facesearch.transport;

import io.facesearch.engine.FaceEngineService;
import io.facesearch.stats.FaceStats;
import io.facesearch.vision.Cancellation;
import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceVerifier;

import org.opensearch.action.ActionRunnable;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;

import java.util.concurrent.TimeUnit;

/** Analyses both photos on the {@code face_search} pool and compares the chosen faces. */
public class TransportVerifyAction extends HandledTransportAction<VerifyRequest, VerifyResponse> {
    private final FaceEngineService engine;

    @Inject
    public TransportVerifyAction(TransportService transportService, ActionFilters actionFilters, FaceEngineService engine) {
        super(VerifyAction.NAME, transportService, actionFilters, VerifyRequest::new);
        this.engine = engine;
    }

    @Override
    protected void doExecute(Task task, VerifyRequest request, ActionListener<VerifyResponse> listener) {
        engine.stats().request(FaceStats.Source.VERIFY);
        engine.executeSearch(ActionRunnable.supply(engine.countingRejections(listener), () -> {
            long start = System.nanoTime();
            Cancellation cancellation = TaskCancellation.of(task);
            DetectionOptions options = engine.detectionOptions(request.minScore(), null, null);
            FaceAnalysis a = PhotoAnalysis.analyze(engine, request.imageA(), options, true, cancellation);
            FaceAnalysis b = PhotoAnalysis.analyze(engine, request.imageB(), options, true, cancellation);
            float threshold = request.threshold() != null ? request.threshold() : engine.verifyThreshold();
            FaceVerifier.Verification result = FaceVerifier.verify("image_a", a, request.faceA(), "image_b", b, request.faceB(), threshold);
            return new VerifyResponse(
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                result.similarity(),
                result.threshold(),
                result.samePerson(),
                engine.analyzer().embedder().spec().name(),
                ComparedFace.of(result.faceA(), a.faces().size()),
                ComparedFace.of(result.faceB(), b.faces().size())
            );
        }));
    }
}
