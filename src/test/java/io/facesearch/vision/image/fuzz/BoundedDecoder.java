package io.facesearch.vision.image.fuzz;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.image.ImageDecoder;
import io.facesearch.vision.image.InvalidImageException;
import io.facesearch.vision.image.MemoryBudget;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decodes hostile files one at a time as the node does (the default pixel limits) with a fresh
 * {@link MemoryBudget#limited} budget of {@link #BUDGET_BYTES} each, on a worker thread, so that a decode that never
 * ends is given up instead of stopping the run; every throwable, {@link Error}s included, becomes a
 * {@link DecodeOutcome}.
 *
 * <p>Time is measured as the work a decode causes: the CPU time of its thread plus the garbage collections while it
 * runs (one decode at a time, so they are its own). On a machine shared with other builds the wall-clock time of the
 * same decode varies several-fold with their load, and would make the limits fail at random.
 */
public final class BoundedDecoder implements AutoCloseable {
    /** What one decode may reserve: about what a node's decoding gets on a small heap. */
    public static final long BUDGET_BYTES = 256L << 20;
    /** The most CPU and garbage-collection time a decode may take and still count as a pass. */
    public static final long CASE_LIMIT_MILLIS = 5_000;
    /** A decode that has run this long (wall clock) and taken more than {@link #CASE_LIMIT_MILLIS} of work is given up. */
    public static final long HANG_LIMIT_MILLIS = 20_000;
    /** A decode that has run this long is given up whatever work it took: it waits on something that does not come. */
    public static final long HANG_WALL_LIMIT_MILLIS = 120_000;
    /**
     * How long a run waits for a decode it gave up to end on its own before it goes on: until then that thread runs
     * (and holds its memory) beside the next cases, whose times and outcomes would not be their own.
     */
    public static final long GIVEN_UP_WAIT_MILLIS = 30_000;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ExecutorService worker = newWorker();
    /** The last decode given up as hung, while it may still be running. */
    private Future<DecodeOutcome> givenUp;

    /** The work done so far by the decode running on {@link #thread}, from when it started. */
    private static final class Work {
        private volatile Thread thread;
        private volatile long cpuStart;
        private volatile long gcStart;

        void start() {
            cpuStart = THREADS.getCurrentThreadCpuTime();
            gcStart = gcNanos();
            thread = Thread.currentThread();
        }

        long cpuNanos() {
            Thread t = thread;
            return t == null ? 0 : Math.max(0, THREADS.getThreadCpuTime(t.threadId()) - cpuStart);
        }

        long gcNanosSinceStart() {
            return thread == null ? 0 : gcNanos() - gcStart;
        }

        private static long gcNanos() {
            long millis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                millis += Math.max(0, gc.getCollectionTime());
            }
            return TimeUnit.MILLISECONDS.toNanos(millis);
        }
    }

    /**
     * Decodes {@code bytes} with {@code decode(bytes)}, or with {@code decode(bytes, minLongSide)} when
     * {@code minLongSide} is above 0 (as face detection asks for its input size), and closes the image.
     */
    public DecodeOutcome decode(byte[] bytes, int minLongSide) {
        Work work = new Work();
        long start = System.nanoTime();
        Future<DecodeOutcome> future = worker.submit(() -> decodeHere(bytes, minLongSide, work));
        while (true) {
            try {
                return future.get(250, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long wall = System.nanoTime() - start;
                long cpu = work.cpuNanos();
                long gc = work.gcNanosSinceStart();
                boolean working = cpu + gc > TimeUnit.MILLISECONDS.toNanos(CASE_LIMIT_MILLIS);
                if ((working && wall > TimeUnit.MILLISECONDS.toNanos(HANG_LIMIT_MILLIS)) || wall > TimeUnit.MILLISECONDS.toNanos(HANG_WALL_LIMIT_MILLIS)) {
                    // The thread cannot be stopped; it is a daemon, left to finish on its own while a new one takes over.
                    worker.shutdownNow();
                    worker = newWorker();
                    givenUp = future;
                    return new DecodeOutcome(DecodeOutcome.Result.HUNG, wall, cpu, gc, 0, 0, 0, null);
                }
            } catch (ExecutionException e) {
                throw new AssertionError("decodeHere catches every throwable", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /**
     * Waits up to {@link #GIVEN_UP_WAIT_MILLIS} for the last decode given up as hung to end; false when it still runs
     * (the run should stop: what comes next would share the machine and the heap with it).
     */
    public boolean awaitGivenUp() {
        if (givenUp == null) {
            return true;
        }
        try {
            givenUp.get(GIVEN_UP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            // it ended, badly: that is all this wait is about
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        givenUp = null;
        return true;
    }

    private static DecodeOutcome decodeHere(byte[] bytes, int minLongSide, Work work) {
        MemoryBudget.Limited budget = (MemoryBudget.Limited) MemoryBudget.limited(BUDGET_BYTES);
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.DEFAULT_WORKING_MAX_PIXELS, budget);
        long start = System.nanoTime();
        work.start();
        DecodeOutcome.Result result;
        int width = 0;
        int height = 0;
        Throwable error = null;
        try (DecodedImage image = minLongSide > 0 ? decoder.decode(bytes, minLongSide) : decoder.decode(bytes)) {
            width = image.width();
            height = image.height();
            result = DecodeOutcome.Result.DECODED;
        } catch (InvalidImageException e) {
            result = DecodeOutcome.Result.INVALID;
            error = e;
        } catch (MemoryBudget.Exhausted e) {
            result = DecodeOutcome.Result.EXHAUSTED;
            error = e;
        } catch (Throwable t) { // OutOfMemoryError and StackOverflowError included: that is what is looked for
            result = DecodeOutcome.Result.FAILED;
            error = t;
        }
        long wall = System.nanoTime() - start;
        return new DecodeOutcome(result, wall, work.cpuNanos(), work.gcNanosSinceStart(), budget.used(), width, height, error);
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bounded-decoder");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
