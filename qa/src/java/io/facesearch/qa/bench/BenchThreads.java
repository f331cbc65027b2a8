package io.facesearch.qa.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Runs benchmark work on a few threads. */
final class BenchThreads {
    private BenchThreads() {}

    /** Runs {@code task(0..n-1)} on {@code threads} threads, each taking the next index; returns the wall time. */
    static long parallel(int n, int threads, IntConsumer task) {
        if (n == 0) {
            return 0;
        }
        AtomicInteger next = new AtomicInteger();
        int workers = Math.min(threads, n);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "bench-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        task.accept(i);
                    }
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    next.set(n);
                    if (e.getCause() instanceof BenchException b) {
                        throw b;
                    }
                    throw new BenchException("worker thread failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BenchException("interrupted", e);
                }
            }
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Nanoseconds as seconds. */
    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Sleeps, ending the benchmark if interrupted. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}
