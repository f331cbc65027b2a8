package io.facesearch.people;

import io.facesearch.breaker.DecodeMemoryBreaker;
import io.facesearch.vision.image.MemoryBudget;

import java.util.ArrayList;
import java.util.List;

/**
 * The memory a people operation holds (vectors, links), reserved in the plugin's circuit breaker before it is
 * allocated and released together when the operation ends.
 */
public final class RunMemory implements AutoCloseable {
    private final DecodeMemoryBreaker breaker;
    private final List<MemoryBudget.Reservation> held = new ArrayList<>();

    public RunMemory(DecodeMemoryBreaker breaker) {
        this.breaker = breaker;
    }

    /** Reserves {@code bytes} for {@code what}; the breaker's 429 when they do not fit beside what is held now. */
    public void hold(long bytes, String what) {
        if (bytes > 0) {
            held.add(breaker.hold(bytes, what));
        }
    }

    public long bytes() {
        return held.stream().mapToLong(MemoryBudget.Reservation::bytes).sum();
    }

    @Override
    public void close() {
        held.forEach(MemoryBudget.Reservation::close);
        held.clear();
    }
}
