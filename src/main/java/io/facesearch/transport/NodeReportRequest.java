package io.facesearch.transport;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.transport.TransportRequest;

import java.io.IOException;

/** What each node is asked: its report; there is nothing more to say. */
public class NodeReportRequest extends TransportRequest {

    public NodeReportRequest() {}

    public NodeReportRequest(StreamInput in) throws IOException {
        super(in);
    }
}
