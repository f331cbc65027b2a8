package io.facesearch.transport;

import io.facesearch.breaker.DecodeMemoryBreaker;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.threadpool.InferencePools;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.indices.breaker.CircuitBreakerService;
import org.opensearch.core.indices.breaker.CircuitBreakerStats;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.threadpool.ThreadPoolStats;
import org.opensearch.transport.TransportService;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each node reports what its face work has done (photos, faces, failures by reason, requests by kind, latencies),
 * the state of its models, its two thread pools and their shared inference slots, and its decoding breaker.
 */
public class TransportStatsAction extends TransportNodeReportsAction {
    private final FaceEngineService engine;
    private final CircuitBreakerService breakers;

    @Inject
    public TransportStatsAction(
        ThreadPool threadPool,
        ClusterService clusterService,
        TransportService transportService,
        ActionFilters actionFilters,
        FaceEngineService engine,
        CircuitBreakerService breakers
    ) {
        super(StatsAction.NAME, threadPool, clusterService, transportService, actionFilters);
        this.engine = engine;
        this.breakers = breakers;
    }

    @Override
    Map<String, Object> report() {
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> models = new LinkedHashMap<>();
        models.put("status", engine.failure() == null ? "loaded" : "failed");
        if (engine.failure() != null) {
            models.put("error", engine.failure().getMessage());
        } else {
            models.put("detector", engine.config().detector());
            models.put("embedder", engine.config().embedder());
        }
        models.put("clip", engine.clipEnabled());
        report.put("models", models);
        report.putAll(engine.stats().report());
        report.put("thread_pools", threadPools());
        CircuitBreakerStats breaker = breakers.stats(DecodeMemoryBreaker.NAME);
        Map<String, Object> decoding = new LinkedHashMap<>();
        decoding.put("limit_size_in_bytes", breaker.getLimit());
        decoding.put("estimated_size_in_bytes", breaker.getEstimated());
        decoding.put("tripped", breaker.getTrippedCount());
        report.put("breaker", decoding);
        return report;
    }

    private Map<String, Object> threadPools() {
        Map<String, Object> pools = new LinkedHashMap<>();
        for (ThreadPoolStats.Stats stats : threadPool.stats()) {
            if (stats.getName().equals(InferencePools.SEARCH) || stats.getName().equals(InferencePools.INGEST)) {
                Map<String, Object> pool = new LinkedHashMap<>();
                pool.put("threads", stats.getThreads());
                pool.put("active", stats.getActive());
                pool.put("queue", stats.getQueue());
                pool.put("rejected", stats.getRejected());
                pool.put("completed", stats.getCompleted());
                pools.put(stats.getName(), pool);
            }
        }
        Map<String, Object> slots = new LinkedHashMap<>();
        slots.put("total", engine.inferenceSlots());
        slots.put("in_use", engine.inferenceSlotsInUse());
        pools.put("inference_slots", slots);
        return pools;
    }
}
