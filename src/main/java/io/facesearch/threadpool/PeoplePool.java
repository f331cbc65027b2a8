package io.facesearch.threadpool;

import org.opensearch.common.settings.Settings;
import org.opensearch.threadpool.ExecutorBuilder;
import org.opensearch.threadpool.FixedExecutorBuilder;

/**
 * The pool people operations run on ({@code face_search_people}): a clustering run or a person edit sends its searches
 * and writes one after the other and waits for each, and clusters in memory; two threads, so that an edit is not held
 * behind a long run, and a short queue, so that runs do not pile up.
 */
public final class PeoplePool {
    public static final String NAME = "face_search_people";
    static final int THREADS = 2;
    static final int QUEUE_SIZE = 100;

    private PeoplePool() {}

    public static ExecutorBuilder<?> executorBuilder(Settings settings) {
        return new FixedExecutorBuilder(settings, NAME, THREADS, QUEUE_SIZE, "thread_pool." + NAME);
    }
}
