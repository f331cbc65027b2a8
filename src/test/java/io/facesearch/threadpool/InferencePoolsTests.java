package io.facesearch.threadpool;

import org.opensearch.common.settings.Settings;
import org.opensearch.common.util.concurrent.AbstractRunnable;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;
import org.opensearch.test.OpenSearchTestCase;
import org.opensearch.threadpool.TestThreadPool;
import org.opensearch.threadpool.ThreadPool;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Both pools run at most one analysis per allocated processor between them, and still use every slot. */
public class InferencePoolsTests extends OpenSearchTestCase {

    public void testAnalysesNeverOutnumberTheAllocatedProcessors() throws Exception {
        Settings settings = Settings.builder().put("node.processors", 2).build();
        ThreadPool threadPool = new TestThreadPool("inference-pools", settings, InferencePools.executorBuilders(settings).toArray(new org.opensearch.threadpool.ExecutorBuilder<?>[0]));
        try {
            InferencePools pools = new InferencePools(threadPool, settings);
            assertEquals(2, pools.slots());
            assertEquals(2, threadPool.info(InferencePools.SEARCH).getMax());
            assertEquals(2, threadPool.info(InferencePools.INGEST).getMax());

            AtomicInteger running = new AtomicInteger();
            AtomicInteger mostAtOnce = new AtomicInteger();
            CountDownLatch twoStarted = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            int tasks = 8;
            CountDownLatch done = new CountDownLatch(tasks);
            for (int i = 0; i < tasks; i++) {
                AbstractRunnable analysis = new AbstractRunnable() {
                    @Override
                    protected void doRun() throws InterruptedException {
                        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                        twoStarted.countDown();
                        release.await(30, TimeUnit.SECONDS);
                        running.decrementAndGet();
                    }

                    @Override
                    public void onFailure(Exception e) {
                        throw new AssertionError(e);
                    }

                    @Override
                    public void onAfter() {
                        done.countDown();
                    }
                };
                if (i % 2 == 0) {
                    pools.executeSearch(analysis);
                } else {
                    pools.executeIngest(analysis);
                }
            }
            assertTrue(twoStarted.await(30, TimeUnit.SECONDS));
            Thread.sleep(200); // time for a third to start, were it allowed to
            assertEquals(2, running.get());
            release.countDown();
            assertTrue(done.await(30, TimeUnit.SECONDS));
            assertEquals(2, mostAtOnce.get());
        } finally {
            ThreadPool.terminate(threadPool, 10, TimeUnit.SECONDS);
        }
    }

    public void testAFullQueueRejectsThroughTheTasksOwnHandler() throws Exception {
        Settings settings = Settings.builder()
            .put("node.processors", 1)
            .put("thread_pool." + InferencePools.SEARCH + ".queue_size", 1)
            .build();
        ThreadPool threadPool = new TestThreadPool("inference-pools", settings, InferencePools.executorBuilders(settings).toArray(new org.opensearch.threadpool.ExecutorBuilder<?>[0]));
        try {
            InferencePools pools = new InferencePools(threadPool, settings);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger rejected = new AtomicInteger();
            for (int i = 0; i < 4; i++) {
                pools.executeSearch(new AbstractRunnable() {
                    @Override
                    protected void doRun() throws InterruptedException {
                        release.await(30, TimeUnit.SECONDS);
                    }

                    @Override
                    public void onFailure(Exception e) {
                        if (e instanceof OpenSearchRejectedExecutionException) {
                            rejected.incrementAndGet();
                        }
                    }
                });
            }
            assertEquals("one running, one queued, two rejected", 2, rejected.get());
            release.countDown();
        } finally {
            ThreadPool.terminate(threadPool, 10, TimeUnit.SECONDS);
        }
    }
}
