package io.facesearch.vision.image;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Memory that decoding may use, reserved before it is allocated: the decoder estimates what a photo will need
 * (heap and native, from the size its header declares and the decoder that will read it) and asks for it first, so
 * that a photo too large for what is left is refused instead of exhausting the process.
 *
 * <p>The plugin backs this with a circuit breaker of its own; tests use {@link #limited(long)}.
 */
public interface MemoryBudget {

    /**
     * Reserves {@code bytes} for {@code what} (e.g. "decoding a 6000x8000 WebP"), until the reservation is closed.
     *
     * @throws InvalidImageException when {@code bytes} exceeds what this budget can ever give (the photo is too large)
     * @throws RuntimeException      of the implementation's choice when the bytes are not available now (try later)
     */
    Reservation reserve(long bytes, String what);

    /** The most a single reservation can ever have, whatever else is reserved. */
    long limit();

    /** A reservation, released once by {@link #close()}. */
    interface Reservation extends AutoCloseable {
        long bytes();

        /** Keeps only {@code keep} of the reserved bytes (at most what is held), releasing the rest now. */
        void shrinkTo(long keep);

        @Override
        void close();
    }

    /** Reserves nothing and refuses nothing: for tools and tests that measure the decoder alone. */
    MemoryBudget UNLIMITED = new MemoryBudget() {
        @Override
        public Reservation reserve(long bytes, String what) {
            return held(bytes, released -> {});
        }

        @Override
        public long limit() {
            return Long.MAX_VALUE;
        }
    };

    /**
     * A budget of {@code limit} bytes shared by every reservation made through it: a reservation above the limit is
     * an {@link InvalidImageException}, one that does not fit beside those already held a {@link Exhausted}.
     */
    static MemoryBudget limited(long limit) {
        return new Limited(limit);
    }

    /** The bytes asked for are held by other reservations right now. */
    final class Exhausted extends RuntimeException {
        public Exhausted(String message) {
            super(message);
        }
    }

    /** Megabytes, for messages. */
    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    /** A reservation of {@code bytes} that hands what it releases, as a positive count, to {@code release}. */
    static Reservation held(long bytes, LongConsumer release) {
        return new Held(bytes, release);
    }

    /** See {@link #held(long, LongConsumer)}. */
    final class Held implements Reservation {
        private final LongConsumer release;
        private long held;

        private Held(long bytes, LongConsumer release) {
            this.release = release;
            this.held = bytes;
        }

        @Override
        public synchronized long bytes() {
            return held;
        }

        @Override
        public synchronized void shrinkTo(long keep) {
            long released = held - Math.max(0, Math.min(keep, held));
            if (released > 0) {
                release.accept(released);
                held -= released;
            }
        }

        @Override
        public void close() {
            shrinkTo(0);
        }
    }

    /** See {@link #limited(long)}. */
    final class Limited implements MemoryBudget {
        private final long limit;
        private final AtomicLong used = new AtomicLong();

        Limited(long limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit must not be negative, got " + limit);
            }
            this.limit = limit;
        }

        @Override
        public Reservation reserve(long bytes, String what) {
            if (bytes > limit) {
                throw new InvalidImageException(
                    what + " needs about " + megabytes(bytes) + ", more than the " + megabytes(limit) + " decoding may use"
                );
            }
            long now = used.addAndGet(bytes);
            if (now > limit) {
                used.addAndGet(-bytes);
                throw new Exhausted(what + " needs about " + megabytes(bytes) + " and only " + megabytes(limit - now + bytes) + " is free");
            }
            return held(bytes, released -> used.addAndGet(-released));
        }

        @Override
        public long limit() {
            return limit;
        }

        /** Bytes reserved now. */
        public long used() {
            return used.get();
        }
    }
}
