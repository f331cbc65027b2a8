package io.facesearch.qa.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Loads prepared {@code _bulk} bodies into a node, a few requests in flight, counting the items that failed. */
final class BenchBulk {
    private static final int MAX_429_RETRIES = 50;
    private static final int FAILURES_SHOWN = 5;

    private BenchBulk() {}

    /** Wall time of the whole load, and how many items answered an error (the first few are printed). */
    record Outcome(long nanos, int failedItems) {}

    /**
     * POSTs {@code body.apply(0 .. count - 1)} to {@code path} (e.g. {@code /photos/_bulk?pipeline=_none}), {@code concurrency}
     * requests at a time. A body is asked for just before it is sent, so that large loads need not be held in memory at
     * once. A request answered 429 is sent again after a pause; any other failure of a whole request ends the benchmark.
     */
    static Outcome send(NodeHttpClient client, String path, int count, IntFunction<byte[]> body, int concurrency) {
        AtomicInteger failedItems = new AtomicInteger();
        long nanos = BenchThreads.parallel(count, concurrency, b -> {
            byte[] bytes = body.apply(b);
            NodeHttpClient.Response r = client.post(path, List.of(bytes));
            for (int attempt = 0; r.status() == 429 && attempt < MAX_429_RETRIES; attempt++) {
                BenchThreads.sleep(Math.min(1000, 20L * (attempt + 1)));
                r = client.post(path, List.of(bytes));
            }
            if (r.status() != 200 || r.body() == null) {
                throw new BenchException("bulk " + b + " to " + path + " answered " + r.describe());
            }
            if (Boolean.TRUE.equals(r.body().get("errors"))) {
                for (Map<String, Object> item : BenchJson.objects(r.body().get("items"))) {
                    Object result = item.values().iterator().next();
                    if (result instanceof Map<?, ?> m && m.get("error") != null) {
                        if (failedItems.getAndIncrement() < FAILURES_SHOWN) {
                            VerifyBenchmark.say("  bulk failure: %s: %s", m.get("_id"), m.get("error"));
                        }
                    }
                }
            }
        });
        return new Outcome(nanos, failedItems.get());
    }
}
