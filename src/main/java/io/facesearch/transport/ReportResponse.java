package io.facesearch.transport;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Map;

/** An answer of plain values, lists and maps, rendered as they are: a photo index's, an erasure's. */
public class ReportResponse extends ActionResponse implements ToXContentObject {
    private final Map<String, Object> report;

    public ReportResponse(Map<String, Object> report) {
        this.report = report;
    }

    public ReportResponse(StreamInput in) throws IOException {
        super(in);
        this.report = in.readMap();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeMap(report);
    }

    public Map<String, Object> report() {
        return report;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.map(report);
    }
}
