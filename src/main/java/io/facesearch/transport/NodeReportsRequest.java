package io.facesearch.transport;

import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.core.common.io.stream.StreamInput;

import java.io.IOException;

/** Which nodes should report (none named: all of them), for the models and stats APIs. */
public class NodeReportsRequest extends BaseNodesRequest<NodeReportsRequest> {

    public NodeReportsRequest(String... nodeIds) {
        super(nodeIds);
    }

    public NodeReportsRequest(StreamInput in) throws IOException {
        super(in);
    }
}
