package io.facesearch.qa.bench;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Loads photos into a cluster the way a careful client does: bulk requests sent round robin to the nodes that are up,
 * a request that fails as a whole (the node died, the connection broke) sent again to another node, and the items
 * answered 429 or 5xx sent again in a later bulk, so that every photo ends either acknowledged or refused in the
 * {@link AckLedger}.
 */
final class ClusterBulkLoader {
    /** Sends of one photo before it is given up on: enough to outlast a node's restart and the shards' failover. */
    private static final int MAX_ATTEMPTS = 40;
    private static final long MAX_BACKOFF_MILLIS = 2000;

    private final List<NodeHttpClient> nodes;
    private final LiveNodes live;
    private final AckLedger ledger;
    private final Function<String, byte[]> documentLines;

    /** {@code documentLines}: the two NDJSON lines (action and source) of a photo's id. */
    ClusterBulkLoader(List<NodeHttpClient> nodes, LiveNodes live, AckLedger ledger, Function<String, byte[]> documentLines) {
        if (nodes.size() != live.size()) {
            throw new IllegalArgumentException(nodes.size() + " clients for " + live.size() + " nodes");
        }
        this.nodes = nodes;
        this.live = live;
        this.ledger = ledger;
        this.documentLines = documentLines;
    }

    /** The wall time of a load, its bulk requests, those that failed as a whole, and the items sent again. */
    record Outcome(long nanos, int requests, int failedRequests, int retriedItems) {}

    private record Batch(List<String> ids, int attempt) {}

    Outcome load(String index, List<String> ids, int bulkSize, int concurrency) {
        LinkedBlockingQueue<Batch> pending = new LinkedBlockingQueue<>();
        for (int first = 0; first < ids.size(); first += bulkSize) {
            pending.add(new Batch(List.copyOf(ids.subList(first, Math.min(ids.size(), first + bulkSize))), 1));
        }
        AtomicInteger outstanding = new AtomicInteger(ids.size());
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger failedRequests = new AtomicInteger();
        AtomicInteger retriedItems = new AtomicInteger();
        String path = "/" + index + "/_bulk";
        long nanos = BenchThreads.parallel(concurrency, concurrency, worker -> {
            while (outstanding.get() > 0) {
                Batch batch = poll(pending);
                if (batch == null) {
                    continue; // the last batches are in flight on other workers, or waiting to be sent again
                }
                int node = live.next();
                if (node < 0) {
                    VerifyBenchmark.say("  every node is down: waiting");
                    BenchThreads.sleep(1000);
                    pending.add(batch);
                    continue;
                }
                requests.incrementAndGet();
                NodeHttpClient.Response response;
                try {
                    response = nodes.get(node).post(path, List.of(body(batch.ids())));
                } catch (BenchException e) {
                    failedRequests.incrementAndGet();
                    if (live.isUp(node)) {
                        live.down(node);
                        VerifyBenchmark.say("  node %d failed (%s): sending to the other nodes until it is back", node, e.getMessage());
                    }
                    again(pending, batch.ids(), batch.attempt(), "request failed: " + e.getMessage(), outstanding);
                    continue;
                }
                if (response.status() != 200 || response.body() == null) {
                    failedRequests.incrementAndGet();
                    if (AckLedger.outcome(response.status()) == AckLedger.ItemOutcome.REFUSED) {
                        throw new BenchException("bulk to node " + node + " answered " + response.describe());
                    }
                    again(pending, batch.ids(), batch.attempt(), response.describe(), outstanding);
                    continue;
                }
                List<Map<String, Object>> items = BenchJson.objects(response.body().get("items"));
                if (items.size() != batch.ids().size()) {
                    throw new BenchException("bulk of " + batch.ids().size() + " photos answered " + items.size() + " items");
                }
                List<String> retry = new ArrayList<>();
                String lastReason = null;
                for (int i = 0; i < items.size(); i++) {
                    String id = batch.ids().get(i);
                    Map<String, Object> item = BenchJson.objects(List.copyOf(items.get(i).values())).get(0);
                    int status = (int) BenchJson.number(item.get("status"), -1);
                    switch (AckLedger.outcome(status)) {
                        case ACKNOWLEDGED -> {
                            ledger.acknowledge(id);
                            outstanding.decrementAndGet();
                        }
                        case RETRY -> {
                            retry.add(id);
                            lastReason = status + " " + item.get("error");
                        }
                        case REFUSED -> {
                            ledger.refuse(id, status + " " + item.get("error"));
                            outstanding.decrementAndGet();
                        }
                    }
                }
                if (retry.isEmpty() == false) {
                    retriedItems.addAndGet(retry.size());
                    again(pending, retry, batch.attempt(), lastReason, outstanding);
                }
            }
        });
        return new Outcome(nanos, requests.get(), failedRequests.get(), retriedItems.get());
    }

    /** Queues photos to be sent again after a pause that grows with their attempts, or gives them up after the last. */
    private void again(LinkedBlockingQueue<Batch> pending, List<String> ids, int attempt, String reason, AtomicInteger outstanding) {
        if (attempt >= MAX_ATTEMPTS) {
            for (String id : ids) {
                ledger.refuse(id, "given up after " + attempt + " attempts: " + reason);
            }
            outstanding.addAndGet(-ids.size());
            return;
        }
        BenchThreads.sleep(Math.min(MAX_BACKOFF_MILLIS, 100L * attempt));
        pending.add(new Batch(ids, attempt + 1));
    }

    private byte[] body(List<String> ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String id : ids) {
            out.writeBytes(documentLines.apply(id));
        }
        return out.toByteArray();
    }

    private static Batch poll(LinkedBlockingQueue<Batch> pending) {
        try {
            return pending.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}
