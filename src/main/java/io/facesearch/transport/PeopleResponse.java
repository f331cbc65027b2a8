package io.facesearch.transport;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Map;

/** The answer of a request about persons: the persons it shows or changed, as JSON fields in their order. */
public class PeopleResponse extends ActionResponse implements ToXContentObject {
    private final Map<String, Object> body;

    public PeopleResponse(Map<String, Object> body) {
        this.body = body;
    }

    public PeopleResponse(StreamInput in) throws IOException {
        super(in);
        this.body = in.readMap();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeMap(body);
    }

    public Map<String, Object> body() {
        return body;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.map(body);
    }
}
