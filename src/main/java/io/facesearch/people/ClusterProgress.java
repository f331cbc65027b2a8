package io.facesearch.people;

import java.util.concurrent.atomic.AtomicLong;

/** What a clustering run has done so far, updated as it goes and read by its task's status at any time. */
public final class ClusterProgress {
    /** The steps of a run, in order, as its status names them. */
    public static final String STARTING = "starting";
    public static final String READING_FACES = "reading_faces";
    public static final String SEARCHING_NEIGHBOURS = "searching_neighbours";
    public static final String CLUSTERING = "clustering";
    public static final String WRITING_FACES = "writing_faces";
    public static final String WRITING_PERSONS = "writing_persons";
    public static final String DONE = "done";

    private volatile String step = STARTING;
    private final AtomicLong facesRead = new AtomicLong();
    private final AtomicLong facesToSearch = new AtomicLong();
    private final AtomicLong facesSearched = new AtomicLong();
    private final AtomicLong links = new AtomicLong();
    private final AtomicLong photosToUpdate = new AtomicLong();
    private final AtomicLong photosUpdated = new AtomicLong();
    private final AtomicLong personsWritten = new AtomicLong();

    /** The counts at one moment. */
    public record Snapshot(
        String step,
        long facesRead,
        long facesToSearch,
        long facesSearched,
        long links,
        long photosToUpdate,
        long photosUpdated,
        long personsWritten
    ) {}

    public Snapshot snapshot() {
        return new Snapshot(
            step,
            facesRead.get(),
            facesToSearch.get(),
            facesSearched.get(),
            links.get(),
            photosToUpdate.get(),
            photosUpdated.get(),
            personsWritten.get()
        );
    }

    void step(String step) {
        this.step = step;
    }

    void facesRead(long count) {
        facesRead.addAndGet(count);
    }

    void facesToSearch(long count) {
        facesToSearch.set(count);
    }

    void facesSearched(long count, long linksSoFar) {
        facesSearched.addAndGet(count);
        links.set(linksSoFar);
    }

    void photosToUpdate(long count) {
        photosToUpdate.set(count);
    }

    void photosUpdated(long count) {
        photosUpdated.addAndGet(count);
    }

    void personsWritten(long count) {
        personsWritten.addAndGet(count);
    }
}
