package io.facesearch.breaker;

import io.facesearch.vision.image.InvalidImageException;
import io.facesearch.vision.image.MemoryBudget;

import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.breaker.CircuitBreakingException;
import org.opensearch.indices.breaker.BreakerSettings;
import org.opensearch.monitor.jvm.JvmInfo;

/**
 * The plugin's circuit breaker, {@code face_search}: the memory photos take while they are decoded and analysed
 * (heap and the native buffers of libjpeg-turbo and libwebp), and the vectors and links a people clustering holds,
 * reserved before any of it is allocated. It is a child of the node's hierarchy of breakers, so it shows in
 * {@code _nodes/stats/breaker}, its limit is the standard dynamic setting {@code breaker.face_search.limit}, and the
 * parent breaker sees what it holds.
 *
 * <p>A photo that needs more than the whole limit can never be decoded here: that is the photo's fault, a 400. One
 * that does not fit beside the photos being decoded now is refused with the breaker's own
 * {@link CircuitBreakingException}, a 429: the client should retry later.
 */
public final class DecodeMemoryBreaker implements MemoryBudget {
    public static final String NAME = "face_search";
    public static final String LIMIT_SETTING = "breaker." + NAME + ".limit";
    /** Share of the heap the breaker allows by default. */
    static final double DEFAULT_HEAP_SHARE = 0.5;

    private volatile CircuitBreaker breaker;

    /** The breaker's definition, for {@code CircuitBreakerPlugin#getCircuitBreaker}. */
    public static BreakerSettings settings() {
        long limit = (long) (JvmInfo.jvmInfo().getMem().getHeapMax().getBytes() * DEFAULT_HEAP_SHARE);
        return new BreakerSettings(NAME, limit, 1.0, CircuitBreaker.Type.MEMORY, CircuitBreaker.Durability.TRANSIENT);
    }

    /** The node's breaker of this name, once the node has made it. */
    public void use(CircuitBreaker circuitBreaker) {
        this.breaker = circuitBreaker;
    }

    @Override
    public long limit() {
        CircuitBreaker current = breaker;
        return current == null ? Long.MAX_VALUE : current.getLimit();
    }

    @Override
    public Reservation reserve(long bytes, String what) {
        CircuitBreaker current = breaker;
        if (current == null) {
            return UNLIMITED.reserve(bytes, what); // no node around it (tools): nothing to count against
        }
        long limit = current.getLimit();
        if (limit >= 0 && bytes > limit) {
            throw new InvalidImageException(
                what + " needs about " + MemoryBudget.megabytes(bytes) + " of memory, more than the " + MemoryBudget.megabytes(limit)
                    + " that [" + LIMIT_SETTING + "] lets photos use on this node"
            );
        }
        current.addEstimateBytesAndMaybeBreak(bytes, what);
        return MemoryBudget.held(bytes, released -> current.addWithoutBreaking(-released));
    }

    /**
     * Reserves {@code bytes} of heap that a people operation holds (its faces' vectors, their links), refused with the
     * breaker's own {@link CircuitBreakingException} (429) when they do not fit beside what is held now.
     */
    public Reservation hold(long bytes, String what) {
        CircuitBreaker current = breaker;
        if (current == null) {
            return UNLIMITED.reserve(bytes, what);
        }
        current.addEstimateBytesAndMaybeBreak(bytes, what);
        return MemoryBudget.held(bytes, released -> current.addWithoutBreaking(-released));
    }
}
