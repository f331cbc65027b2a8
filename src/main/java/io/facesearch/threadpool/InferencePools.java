package io.facesearch.threadpool;

import org.opensearch.common.settings.Settings;
import org.opensearch.common.util.concurrent.AbstractRunnable;
import org.opensearch.common.util.concurrent.OpenSearchExecutors;
import org.opensearch.threadpool.ExecutorBuilder;
import org.opensearch.threadpool.FixedExecutorBuilder;
import org.opensearch.threadpool.ThreadPool;

import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * The plugin's two thread pools, and the one limit they share. {@code face_search} serves requests (detect, verify,
 * identify, query photos) with a short queue, so that a node under load answers 429 instead of holding photos in
 * memory; {@code face_search_ingest} serves ingest pipelines with a queue long enough for bulk requests, whose
 * documents are in memory already. Each has a thread per allocated processor, so that either can use every core
 * when the other is idle, but an analysis (decode, detect, embed: one ONNX Runtime thread each) only runs once it
 * holds one of {@code allocated processors} slots shared by both: inference threads never outnumber the CPUs the
 * node was given, whatever the mix of searches and ingestion.
 */
public final class InferencePools {
    public static final String SEARCH = "face_search";
    public static final String INGEST = "face_search_ingest";
    /** Queued photos per node beyond the running ones; more are rejected with 429 rather than held in memory. */
    static final int SEARCH_QUEUE_SIZE = 100;
    /** Documents of bulk requests waiting for a face worker; each already sits in memory as part of its request. */
    static final int INGEST_QUEUE_SIZE = 10_000;

    private final ThreadPool threadPool;
    private final Semaphore slots;
    private final int slotCount;

    public InferencePools(ThreadPool threadPool, Settings settings) {
        this.threadPool = threadPool;
        this.slotCount = OpenSearchExecutors.allocatedProcessors(settings);
        this.slots = new Semaphore(slotCount, true);
    }

    /** The pools, for {@code Plugin#getExecutorBuilders}; sizes and queues can be set as {@code thread_pool.<name>.*}. */
    public static List<ExecutorBuilder<?>> executorBuilders(Settings settings) {
        int processors = OpenSearchExecutors.allocatedProcessors(settings);
        return List.of(
            new FixedExecutorBuilder(settings, SEARCH, processors, SEARCH_QUEUE_SIZE, "thread_pool." + SEARCH),
            new FixedExecutorBuilder(settings, INGEST, processors, INGEST_QUEUE_SIZE, "thread_pool." + INGEST)
        );
    }

    /** How many analyses may run at once on this node. */
    public int slots() {
        return slotCount;
    }

    /** How many analyses run now. */
    public int slotsInUse() {
        return slotCount - slots.availablePermits();
    }

    /** Runs {@code task} on the request pool once it holds a slot; a full queue rejects it (429) through its own handler. */
    public void executeSearch(AbstractRunnable task) {
        threadPool.executor(SEARCH).execute(new InSlot(task, slots));
    }

    /** Runs {@code task} on the ingest pool once it holds a slot. */
    public void executeIngest(AbstractRunnable task) {
        threadPool.executor(INGEST).execute(new InSlot(task, slots));
    }

    /** A task that waits for a slot on its pool thread, runs, and gives the slot back; failures go to the task's own handlers. */
    private static final class InSlot extends AbstractRunnable {
        private final AbstractRunnable task;
        private final Semaphore slots;

        InSlot(AbstractRunnable task, Semaphore slots) {
            this.task = task;
            this.slots = slots;
        }

        @Override
        protected void doRun() throws InterruptedException {
            slots.acquire();
            try {
                task.run();
            } finally {
                slots.release();
            }
        }

        @Override
        public void onFailure(Exception e) {
            task.onFailure(e);
        }

        @Override
        public void onRejection(Exception e) {
            task.onRejection(e);
        }

        @Override
        public boolean isForceExecution() {
            return task.isForceExecution();
        }
    }
}
