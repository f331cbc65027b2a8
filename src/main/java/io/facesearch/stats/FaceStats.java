package io.facesearch.stats;

import io.facesearch.vision.AnalysisObserver;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.image.InvalidImageException;
import io.facesearch.vision.model.ModelUnavailableException;

import org.opensearch.core.common.breaker.CircuitBreakingException;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a node's face work has done since it started: photos analysed and faces found, failures by reason, requests
 * by kind, and how long decoding, detection and embedding took. Every analysis of the node's analyzers reports here
 * ({@link AnalysisObserver}); the entry points count their requests.
 */
public final class FaceStats implements AnalysisObserver {

    /** Where face work comes from. */
    public enum Source {
        DETECT,
        VERIFY,
        IDENTIFY,
        INGEST,
        FACE_MATCH,
        CLIP_MATCH;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a photo could not be analysed. */
    enum Failure {
        /** not an image, corrupt, truncated, too large */
        INVALID_IMAGE,
        /** the decoding breaker or another had no room for it */
        MEMORY,
        /** the request was cancelled or its client went away */
        CANCELLED,
        /** the thread pool's queue was full */
        REJECTED,
        /** the models are not loaded */
        MODELS,
        OTHER;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Failure of(Throwable failure) {
            if (failure instanceof InvalidImageException) {
                return INVALID_IMAGE;
            }
            if (failure instanceof CircuitBreakingException) {
                return MEMORY;
            }
            if (failure instanceof CancellationException) {
                return CANCELLED;
            }
            if (failure instanceof OpenSearchRejectedExecutionException) {
                return REJECTED;
            }
            if (failure instanceof ModelUnavailableException) {
                return MODELS;
            }
            return OTHER;
        }
    }

    private final AtomicLong photos = new AtomicLong();
    private final AtomicLong photosWithoutFaces = new AtomicLong();
    private final AtomicLong faces = new AtomicLong();
    private final Map<Failure, AtomicLong> failures = new EnumMap<>(Failure.class);
    private final Map<Source, AtomicLong> requests = new EnumMap<>(Source.class);
    private final LatencyHistogram decode = new LatencyHistogram();
    private final LatencyHistogram detect = new LatencyHistogram();
    private final LatencyHistogram embed = new LatencyHistogram();
    private final LatencyHistogram analysis = new LatencyHistogram();
    private final AtomicLong knnGraphSearches = new AtomicLong();
    private final AtomicLong knnHitsCarriedToFetch = new AtomicLong();

    public FaceStats() {
        for (Failure failure : Failure.values()) {
            failures.put(failure, new AtomicLong());
        }
        for (Source source : Source.values()) {
            requests.put(source, new AtomicLong());
        }
    }

    /** One request or document of {@code source} came in. */
    public void request(Source source) {
        requests.get(source).incrementAndGet();
    }

    @Override
    public void analysed(FaceAnalysis result) {
        photos.incrementAndGet();
        faces.addAndGet(result.faces().size());
        if (result.faces().isEmpty()) {
            photosWithoutFaces.incrementAndGet();
        }
        decode.record(result.decodeNanos());
        detect.record(result.detectNanos());
        if (result.faces().isEmpty() == false && result.embedNanos() > 0) {
            embed.record(result.embedNanos());
        }
        analysis.record(result.totalNanos());
    }

    @Override
    public void failed(Throwable failure) {
        failures.get(Failure.of(failure)).incrementAndGet();
    }

    /** A request that failed before any photo reached an analyzer (a full queue, a bad base64 string, ...). */
    public void requestFailed(Throwable failure) {
        failed(failure);
    }

    /**
     * The search phases of {@code face_match}, {@code clip_match} and the people clustering's neighbour searches on this
     * node searched a graph {@code searches} times.
     */
    public void knnGraphSearches(long searches) {
        knnGraphSearches.addAndGet(searches);
    }

    /** A fetch phase took {@code queries} queries' hits from its query phase instead of searching the graph again. */
    public void knnHitsCarriedToFetch(long queries) {
        knnHitsCarriedToFetch.addAndGet(queries);
    }

    /** The counters and latencies as they are now. */
    public Map<String, Object> report() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("photos_analysed", photos.get());
        report.put("photos_without_faces", photosWithoutFaces.get());
        report.put("faces_found", faces.get());
        Map<String, Object> failed = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<Failure, AtomicLong> entry : failures.entrySet()) {
            failed.put(entry.getKey().label(), entry.getValue().get());
            total += entry.getValue().get();
        }
        failed.put("total", total);
        report.put("failures", failed);
        Map<String, Object> received = new LinkedHashMap<>();
        for (Map.Entry<Source, AtomicLong> entry : requests.entrySet()) {
            received.put(entry.getKey().label(), entry.getValue().get());
        }
        report.put("requests", received);
        Map<String, Object> vectorSearch = new LinkedHashMap<>();
        vectorSearch.put("graph_searches", knnGraphSearches.get());
        vectorSearch.put("hits_carried_to_fetch", knnHitsCarriedToFetch.get());
        report.put("vector_search", vectorSearch);
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("decode", decode.report());
        latency.put("detect", detect.report());
        latency.put("embed", embed.report());
        latency.put("analysis", analysis.report());
        report.put("latency", latency);
        return report;
    }
}
