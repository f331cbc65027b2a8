package io.facesearch.query;

import org.opensearch.core.action.ActionListener;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.transport.client.Client;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A query vector computed once, on the coordinating node, by an asynchronous rewrite action (a photo to embed, an
 * indexed face to fetch): the search waits for the action, then rewrites the query again with the vector.
 */
final class PendingVector {
    private PendingVector() {}

    /** Registers {@code computation} with the rewrite; the supplier gives null until it has answered. */
    static Supplier<float[]> register(QueryRewriteContext context, BiConsumer<Client, ActionListener<float[]>> computation) {
        AtomicReference<float[]> computed = new AtomicReference<>();
        context.registerAsyncAction((client, listener) -> computation.accept(client, ActionListener.wrap(vector -> {
            computed.set(vector);
            listener.onResponse(null);
        }, listener::onFailure)));
        return computed::get;
    }
}
