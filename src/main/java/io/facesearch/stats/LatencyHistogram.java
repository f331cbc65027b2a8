package io.facesearch.stats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Durations counted in buckets that grow by 10% from 10 microseconds to about 3 hours: percentiles within 5% of the
 * truth, in constant memory, recorded from any thread without a lock.
 */
final class LatencyHistogram {
    private static final double FIRST_MICROS = 10;
    private static final double GROWTH = 1.1;
    private static final int BUCKETS = 210;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong totalNanos = new AtomicLong();

    void record(long nanos) {
        long value = Math.max(0, nanos);
        counts.incrementAndGet(bucket(value));
        count.incrementAndGet();
        totalNanos.addAndGet(value);
    }

    /** The bucket holding {@code nanos}: the first one whose upper bound it does not exceed. */
    static int bucket(long nanos) {
        double micros = nanos / 1000.0;
        if (micros <= FIRST_MICROS) {
            return 0;
        }
        int bucket = (int) Math.ceil(Math.log(micros / FIRST_MICROS) / Math.log(GROWTH));
        return Math.min(BUCKETS - 1, bucket);
    }

    /** The middle of bucket {@code bucket}, in milliseconds. */
    private static double middleMillis(int bucket) {
        double upper = FIRST_MICROS * Math.pow(GROWTH, bucket);
        double lower = bucket == 0 ? 0 : upper / GROWTH;
        return (upper + lower) / 2 / 1000.0;
    }

    /** The duration in milliseconds below which a share {@code quantile} of the recorded ones lie; 0 when none. */
    double quantileMillis(double quantile) {
        long total = count.get();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return middleMillis(i);
            }
        }
        return middleMillis(BUCKETS - 1);
    }

    /** count, mean, p50 and p99, in milliseconds. */
    Map<String, Object> report() {
        long n = count.get();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("count", n);
        report.put("mean_ms", n == 0 ? 0.0 : round(totalNanos.get() / 1e6 / n));
        report.put("p50_ms", round(quantileMillis(0.5)));
        report.put("p99_ms", round(quantileMillis(0.99)));
        return report;
    }

    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
