package io.facesearch.transport;

import org.opensearch.action.support.nodes.BaseNodeResponse;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

import java.io.IOException;
import java.util.Map;

/** One node's report: plain values, lists and maps, rendered as they are. */
public class NodeReport extends BaseNodeResponse {
    private final Map<String, Object> report;

    public NodeReport(DiscoveryNode node, Map<String, Object> report) {
        super(node);
        this.report = report;
    }

    public NodeReport(StreamInput in) throws IOException {
        super(in);
        this.report = in.readMap();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeMap(report);
    }

    public Map<String, Object> report() {
        return report;
    }
}
