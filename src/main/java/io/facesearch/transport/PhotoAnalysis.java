package io.facesearch.transport;

import io.facesearch.common.EncodedPhoto;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.vision.Cancellation;
import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.image.InvalidImageException;

import org.opensearch.core.tasks.TaskCancelledException;

import java.util.concurrent.CancellationException;

/** A request's photo, decoded from base64 and analysed by the node's models on the calling worker thread. */
final class PhotoAnalysis {
    private PhotoAnalysis() {}

    /** The analysis of {@code photo}; a bad photo's error names the request field it came in. */
    static FaceAnalysis analyze(FaceEngineService engine, EncodedPhoto photo, DetectionOptions options, boolean embed, Cancellation cancellation) {
        byte[] bytes = photo.decode();
        try {
            return engine.analyzer().analyze(bytes, options, embed, cancellation);
        } catch (InvalidImageException e) {
            throw e.in("[" + photo.field() + "]");
        } catch (CancellationException e) {
            throw new TaskCancelledException("the analysis of [" + photo.field() + "] was cancelled");
        }
    }
}
