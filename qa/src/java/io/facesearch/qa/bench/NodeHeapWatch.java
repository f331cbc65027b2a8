package io.facesearch.qa.bench;

import java.time.Duration;
import java.util.Map;

/**
 * Reads the node's heap in use ({@code GET _nodes/_local/stats/jvm}) every {@link #INTERVAL_MILLIS} on a thread of its
 * own, and keeps the highest value of the whole run and of the current window (e.g. while one request is in flight).
 * Readings that fail (the node is down or busy) are skipped.
 */
final class NodeHeapWatch implements AutoCloseable {
    static final long INTERVAL_MILLIS = 500;
    private static final String PATH = "/_nodes/_local/stats/jvm?filter_path=nodes.*.jvm.mem.heap_used_in_bytes";

    private final NodeHttpClient client;
    private final Thread thread;
    private volatile boolean running = true;
    private long maxBytes;
    private long windowMaxBytes;

    NodeHeapWatch(String url) {
        this.client = new NodeHttpClient(url, Duration.ofSeconds(2));
        this.thread = new Thread(this::poll, "node-heap-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        while (running) {
            read();
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Takes one reading now; the highest values include it. */
    void read() {
        try {
            NodeHttpClient.Response response = client.get(PATH);
            Map<String, Object> node = NodeHttpClient.localNode(response.body());
            if (response.status() == 200 && node != null && NodeHttpClient.at(node, "jvm.mem.heap_used_in_bytes") instanceof Number used) {
                synchronized (this) {
                    maxBytes = Math.max(maxBytes, used.longValue());
                    windowMaxBytes = Math.max(windowMaxBytes, used.longValue());
                }
            }
        } catch (BenchException e) {
            // down or not answering: no reading
        }
    }

    /** Starts a new window: {@link #windowMaxMb()} then covers the readings from now on. */
    synchronized void startWindow() {
        windowMaxBytes = 0;
    }

    synchronized long windowMaxMb() {
        return windowMaxBytes >> 20;
    }

    synchronized long maxMb() {
        return maxBytes >> 20;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
