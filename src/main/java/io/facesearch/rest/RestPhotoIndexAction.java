package io.facesearch.rest;

import io.facesearch.transport.CreatePhotoIndexAction;
import io.facesearch.transport.CreatePhotoIndexRequest;
import io.facesearch.transport.DeletePhotoIndexAction;
import io.facesearch.transport.GetPhotoIndexAction;
import io.facesearch.transport.PhotoIndexRequest;

import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.List;

import static org.opensearch.rest.RestRequest.Method.DELETE;
import static org.opensearch.rest.RestRequest.Method.GET;
import static org.opensearch.rest.RestRequest.Method.PUT;

/**
 * {@code PUT}, {@code GET} and {@code DELETE _plugins/_face/index/{index}}: a photo index and its ingest pipeline,
 * created, described and deleted together.
 */
public class RestPhotoIndexAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "face_photo_index_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(
            new Route(PUT, "/_plugins/_face/index/{index}"),
            new Route(GET, "/_plugins/_face/index/{index}"),
            new Route(DELETE, "/_plugins/_face/index/{index}")
        );
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        String index = request.param("index");
        return switch (request.method()) {
            case PUT -> {
                CreatePhotoIndexRequest create;
                if (request.hasContent()) {
                    try (XContentParser parser = request.contentParser()) {
                        create = CreatePhotoIndexRequest.parse(index, parser);
                    }
                } else {
                    create = CreatePhotoIndexRequest.parse(index, null);
                }
                CreatePhotoIndexRequest parsed = create;
                yield channel -> client.execute(CreatePhotoIndexAction.INSTANCE, parsed, new RestToXContentListener<>(channel));
            }
            case GET -> channel -> client.execute(GetPhotoIndexAction.INSTANCE, new PhotoIndexRequest(index), new RestToXContentListener<>(channel));
            default -> channel -> client.execute(DeletePhotoIndexAction.INSTANCE, new PhotoIndexRequest(index), new RestToXContentListener<>(channel));
        };
    }
}
