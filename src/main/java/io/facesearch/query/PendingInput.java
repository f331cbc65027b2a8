package io.facesearch.query;

import org.opensearch.core.action.ActionListener;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.transport.client.Client;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * What a query searches with, computed once, on the coordinating node, by an asynchronous rewrite action (a photo to
 * embed, an indexed face or a person to fetch): the search waits for the action, then rewrites the query again with
 * it.
 */
final class PendingInput {
    private PendingInput() {}

    /** Registers {@code computation} with the rewrite; the supplier gives null until it has answered. */
    static Supplier<QueryInput> register(QueryRewriteContext context, BiConsumer<Client, ActionListener<QueryInput>> computation) {
        AtomicReference<QueryInput> computed = new AtomicReference<>();
        context.registerAsyncAction((client, listener) -> computation.accept(client, ActionListener.wrap(input -> {
            computed.set(input);
            listener.onResponse(null);
        }, listener::onFailure)));
        return computed::get;
    }
}
