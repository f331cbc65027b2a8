package io.facesearch.rest;

import io.facesearch.vision.Cancellation;

import org.opensearch.core.action.ActionListener;
import org.opensearch.http.HttpChannel;
import org.opensearch.rest.RestRequest;

/**
 * Cancels a request's photo work once its client has gone: the HTTP connection it came on closed, so nobody will
 * read the answer. A large photo then stops decoding at its next row instead of holding a worker and its memory.
 */
final class ClientDisconnect implements Cancellation {
    private volatile boolean closed;

    private ClientDisconnect() {}

    static Cancellation of(RestRequest request) {
        HttpChannel channel = request.getHttpChannel();
        if (channel == null) {
            return Cancellation.NONE;
        }
        ClientDisconnect cancellation = new ClientDisconnect();
        channel.addCloseListener(ActionListener.wrap(() -> cancellation.closed = true));
        return cancellation;
    }

    @Override
    public boolean isCancelled() {
        return closed;
    }
}
