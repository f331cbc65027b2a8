package io.facesearch.transport;

import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.nodes.BaseNodesResponse;
import org.opensearch.cluster.ClusterName;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.action.RestActions;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Every node's report, keyed by node id, with the node's name and the counts of nodes that answered and failed. */
public class NodeReportsResponse extends BaseNodesResponse<NodeReport> implements ToXContentObject {

    public NodeReportsResponse(ClusterName clusterName, List<NodeReport> nodes, List<FailedNodeException> failures) {
        super(clusterName, nodes, failures);
    }

    public NodeReportsResponse(StreamInput in) throws IOException {
        super(in);
    }

    @Override
    protected List<NodeReport> readNodesFrom(StreamInput in) throws IOException {
        return in.readList(NodeReport::new);
    }

    @Override
    protected void writeNodesTo(StreamOutput out, List<NodeReport> nodes) throws IOException {
        out.writeList(nodes);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        RestActions.buildNodesHeader(builder, params, this);
        builder.field("cluster_name", getClusterName().value());
        builder.startObject("nodes");
        for (NodeReport node : getNodes()) {
            builder.startObject(node.getNode().getId());
            builder.field("name", node.getNode().getName());
            for (Map.Entry<String, Object> entry : node.report().entrySet()) {
                builder.field(entry.getKey(), entry.getValue());
            }
            builder.endObject();
        }
        builder.endObject();
        return builder.endObject();
    }
}
