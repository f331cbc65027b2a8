package io.facesearch.transport;

import io.facesearch.engine.FaceEngineService;
import io.facesearch.stats.FaceStats;
import io.facesearch.vision.AnalyzedFace;
import io.facesearch.vision.FaceAnalysis;

import org.opensearch.action.ActionRunnable;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Decodes, detects and (when asked) embeds on the {@code face_search} pool, never on the thread that received the request. */
public class TransportDetectAction extends HandledTransportAction<DetectRequest, DetectResponse> {
    private final FaceEngineService engine;

    @Inject
    public TransportDetectAction(TransportService transportService, ActionFilters actionFilters, FaceEngineService engine) {
        super(DetectAction.NAME, transportService, actionFilters, DetectRequest::new);
        this.engine = engine;
    }

    @Override
    protected void doExecute(Task task, DetectRequest request, ActionListener<DetectResponse> listener) {
        engine.stats().request(FaceStats.Source.DETECT);
        engine.executeSearch(ActionRunnable.supply(engine.countingRejections(listener), () -> {
            FaceAnalysis analysis = PhotoAnalysis.analyze(
                engine,
                request.image(),
                engine.detectionOptions(request.minScore(), request.minFaceSize(), request.maxFaces()),
                request.includeEmbeddings(),
                TaskCancellation.of(task)
            );
            List<FoundFace> faces = new ArrayList<>(analysis.faces().size());
            for (AnalyzedFace face : analysis.faces()) {
                faces.add(FoundFace.of(face, request.includeEmbeddings()));
            }
            return new DetectResponse(
                TimeUnit.NANOSECONDS.toMillis(analysis.totalNanos()),
                analysis.width(),
                analysis.height(),
                analysis.format().label(),
                faces
            );
        }));
    }
}
