package io.facesearch.vision;

import java.util.concurrent.CancellationException;

/**
 * Whether the request a piece of work serves has been cancelled (its client went away, its task was cancelled).
 * Long steps such as decoding a large photo look at it and stop with a {@link CancellationException}.
 */
@FunctionalInterface
public interface Cancellation {
    /** Never cancelled. */
    Cancellation NONE = () -> false;

    boolean isCancelled();

    /** Throws a {@link CancellationException} naming {@code what} once cancelled. */
    default void check(String what) {
        if (isCancelled()) {
            throw new CancellationException(what + " was cancelled");
        }
    }
}
