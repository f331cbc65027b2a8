package io.facesearch.transport;

import io.facesearch.engine.FaceEngineService;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

import java.util.Map;

/** Each node reports its models, CLIP, decoders and defaults. */
public class TransportModelsAction extends TransportNodeReportsAction {
    private final FaceEngineService engine;

    @Inject
    public TransportModelsAction(
        ThreadPool threadPool,
        ClusterService clusterService,
        TransportService transportService,
        ActionFilters actionFilters,
        FaceEngineService engine
    ) {
        super(ModelsAction.NAME, threadPool, clusterService, transportService, actionFilters);
        this.engine = engine;
    }

    @Override
    Map<String, Object> report() {
        return ModelsReport.of(engine);
    }
}
