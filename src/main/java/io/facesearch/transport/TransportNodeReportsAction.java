package io.facesearch.transport;

import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Asks every chosen node for its report, on the node's management pool, and gathers the answers. */
abstract class TransportNodeReportsAction extends TransportNodesAction<NodeReportsRequest, NodeReportsResponse, NodeReportRequest, NodeReport> {

    TransportNodeReportsAction(
        String actionName,
        ThreadPool threadPool,
        ClusterService clusterService,
        TransportService transportService,
        ActionFilters actionFilters
    ) {
        super(
            actionName,
            threadPool,
            clusterService,
            transportService,
            actionFilters,
            NodeReportsRequest::new,
            NodeReportRequest::new,
            ThreadPool.Names.MANAGEMENT,
            NodeReport.class
        );
    }

    /** This node's report. */
    abstract Map<String, Object> report();

    @Override
    protected NodeReportsResponse newResponse(NodeReportsRequest request, List<NodeReport> responses, List<FailedNodeException> failures) {
        return new NodeReportsResponse(clusterService.getClusterName(), responses, failures);
    }

    @Override
    protected NodeReportRequest newNodeRequest(NodeReportsRequest request) {
        return new NodeReportRequest();
    }

    @Override
    protected NodeReport newNodeResponse(StreamInput in) throws IOException {
        return new NodeReport(in);
    }

    @Override
    protected NodeReport nodeOperation(NodeReportRequest request) {
        return new NodeReport(clusterService.localNode(), report());
    }
}
