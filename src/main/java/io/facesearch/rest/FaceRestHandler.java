package io.facesearch.rest;

import io.facesearch.plugin.FaceEngineService;
import io.facesearch.vision.Cancellation;
import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.image.InvalidImageException;

import org.opensearch.common.util.concurrent.AbstractRunnable;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestChannel;
import org.opensearch.rest.RestRequest;

import java.util.function.Supplier;

/** Common ground of the face REST handlers: inference runs on the plugin's own bounded thread pool. */
abstract class FaceRestHandler extends BaseRestHandler {
    private final Supplier<FaceEngineService> engine;

    FaceRestHandler(Supplier<FaceEngineService> engine) {
        this.engine = engine;
    }

    FaceEngineService engine() {
        return engine.get();
    }

    /** Writes the response body of a successful call; {@code cancellation} says when the client has gone. */
    @FunctionalInterface
    interface ResponseWriter {
        void write(XContentBuilder builder, Cancellation cancellation) throws Exception;
    }

    /**
     * Runs {@code writer} on the face thread pool and sends its JSON with 200, or the error with its status
     * (400 for bad input, 429 when the pool's queue is full or the photo's memory is not free, 500 when the models
     * are unavailable). The work stops when the client of {@code request} disconnects.
     */
    RestChannelConsumer onFacePool(RestRequest request, ResponseWriter writer) {
        Cancellation cancellation = ClientDisconnect.of(request);
        return channel -> engine().executeSearch(new AbstractRunnable() {
            @Override
            protected void doRun() throws Exception {
                cancellation.check("the request");
                XContentBuilder builder = channel.newBuilder();
                builder.startObject();
                writer.write(builder, cancellation);
                builder.endObject();
                channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
            }

            @Override
            public void onFailure(Exception e) {
                sendError(channel, e);
            }
        });
    }

    /** Analyses a photo of the request; a bad photo's error names its field. */
    static FaceAnalysis analyze(
        FaceAnalyzer analyzer,
        byte[] photo,
        String field,
        DetectionOptions options,
        boolean embed,
        Cancellation cancellation
    ) {
        try {
            return analyzer.analyze(photo, options, embed, cancellation);
        } catch (InvalidImageException e) {
            throw e.in("[" + field + "]");
        }
    }

    static void sendError(RestChannel channel, Exception e) {
        try {
            channel.sendResponse(new BytesRestResponse(channel, e));
        } catch (Exception inner) {
            inner.addSuppressed(e);
            throw new IllegalStateException("cannot send error response", inner);
        }
    }
}
