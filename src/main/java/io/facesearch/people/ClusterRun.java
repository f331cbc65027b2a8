package io.facesearch.people;

import io.facesearch.ingest.VectorCompression;
import io.facesearch.people.cluster.Centroids;
import io.facesearch.people.cluster.ClusterFace;
import io.facesearch.people.cluster.ClusterMode;
import io.facesearch.people.cluster.ClusterOptions;
import io.facesearch.people.cluster.ClusterOutcome;
import io.facesearch.people.cluster.NeighbourGraph;
import io.facesearch.people.cluster.PeopleClustering;
import io.facesearch.people.cluster.PersonSummary;

import org.opensearch.ResourceAlreadyExistsException;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.admin.indices.create.CreateIndexAction;
import org.opensearch.action.admin.indices.create.CreateIndexRequest;
import org.opensearch.action.admin.indices.mapping.put.PutMappingAction;
import org.opensearch.action.admin.indices.mapping.put.PutMappingRequest;
import org.opensearch.core.tasks.TaskCancelledException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One clustering run, step after step, on a thread of the plugin's people pool: the mappings it needs, the persons
 * and faces stored, each free face's nearest neighbours, the clustering ({@link PeopleClustering}), then the faces'
 * persons and the person documents written back. Its progress shows in its task's status.
 */
public final class ClusterRun {
    /**
     * What the run did.
     *
     * @param stepMillis how long each step took, by the name its status gives it
     */
    public record Result(
        long facesConsidered,
        long facesAssigned,
        long persons,
        long personsCreated,
        long personsUpdated,
        long personsRemoved,
        long photosSkipped,
        Map<String, Long> stepMillis
    ) {}

    /**
     * The photo indices a run reads, checked by the caller.
     *
     * @param indices          concrete names
     * @param dimension        their faces' vector dimension
     * @param withoutPersonFields those whose mapping lacks the person fields yet
     */
    /**
     * @param faceVectors how each index stores the faces' vectors, which its searches must be given alike
     */
    public record PhotoIndices(List<String> indices, int dimension, List<String> withoutPersonFields, Map<String, VectorCompression> faceVectors) {}

    private final ChildRequests requests;
    private final RunMemory memory;
    private final ClusterProgress progress;
    private final Supplier<String> newIds;

    public ClusterRun(ChildRequests requests, RunMemory memory, ClusterProgress progress, Supplier<String> newIds) {
        this.requests = requests;
        this.memory = memory;
        this.progress = progress;
        this.newIds = newIds;
    }

    /**
     * @param peopleIndexExists whether the people index exists (else it is created)
     * @param personsFrom       another people index whose persons the faces may name (see {@link #adopt}), or null
     */
    public Result run(PhotoIndices photos, String peopleIndex, boolean peopleIndexExists, String personsFrom, ClusterOptions options) {
        for (String index : photos.withoutPersonFields()) {
            requests.execute(PutMappingAction.INSTANCE, new PutMappingRequest(index).source(FacePersonFields.mappingUpdate()));
        }
        if (peopleIndexExists == false) {
            createPeopleIndex(peopleIndex, photos.dimension());
        }
        PersonStore store = new PersonStore(requests, peopleIndex);
        Map<String, float[]> centroids = new HashMap<>();
        Map<String, StoredPerson> persons = store.readAll(centroids);

        StepClock clock = new StepClock();
        progress.step(ClusterProgress.READING_FACES);
        StoredFaces stored = StoredFaces.read(requests, photos.indices(), null, photos.dimension(), memory, progress);
        List<ClusterFace> faces = stored.faces();
        Set<String> adopted = personsFrom == null ? Set.of() : adopt(new PersonStore(requests, personsFrom).readAll(), faces, persons);
        Set<String> locked = new HashSet<>();
        persons.values().stream().filter(StoredPerson::locked).forEach(p -> locked.add(p.id()));
        Object embedder = stored.model() == null ? null : stored.model().get("embedder_sha256");

        clock.done(ClusterProgress.READING_FACES);
        progress.step(ClusterProgress.SEARCHING_NEIGHBOURS);
        boolean[] toSearch = new boolean[faces.size()];
        for (int i = 0; i < faces.size(); i++) {
            ClusterFace face = faces.get(i);
            boolean fixed = face.person() != null && (options.mode() == ClusterMode.INCREMENTAL || locked.contains(face.person()));
            toSearch[i] = fixed == false && options.eligibility().admits(face);
        }
        NeighbourGraph graph = NeighbourSearch.search(requests, photos.indices(), photos.faceVectors(), faces, toSearch, options.similarity(), memory, progress);

        clock.done(ClusterProgress.SEARCHING_NEIGHBOURS);
        progress.step(ClusterProgress.CLUSTERING);
        ClusterOutcome outcome;
        try {
            outcome = new PeopleClustering(faces, graph, options, locked, newIds, requests::isCancelled).run();
        } catch (CancellationException e) {
            throw new TaskCancelledException(e.getMessage());
        }

        clock.done(ClusterProgress.CLUSTERING);
        progress.step(ClusterProgress.WRITING_FACES);
        long skipped = writeFaces(stored, outcome);

        clock.done(ClusterProgress.WRITING_FACES);
        progress.step(ClusterProgress.WRITING_PERSONS);
        Instant now = Instant.now();
        List<DocWriteRequest<?>> writes = new ArrayList<>();
        long updated = 0;
        Set<String> withFaces = new HashSet<>();
        for (PersonSummary person : outcome.persons()) {
            withFaces.add(person.id());
            StoredPerson before = persons.get(person.id());
            // the same faces may hold other vectors than when the centroid was computed, as after the photos were
            // analysed again with other models
            boolean stale = before == null
                || adopted.contains(person.id())
                || before.faceCount() != person.faceCount()
                || before.photoCount() != person.photoCount()
                || Objects.equals(before.embedderSha256(), embedder) == false
                || sameDirection(centroids.get(person.id()), person.centroid()) == false;
            if (person.created() || person.changed() || stale) {
                writes.add(store.put(person.id(), PersonStore.document(person, faces, before, stored.model(), false, now)));
                if (person.created() == false) {
                    updated++;
                }
            }
        }
        List<String> removed = new ArrayList<>(new TreeSet<>(outcome.removed()));
        for (StoredPerson person : persons.values()) {
            if (withFaces.contains(person.id()) || outcome.removed().contains(person.id()) || adopted.contains(person.id())) {
                continue;
            }
            if (person.locked()) {
                if (person.faceCount() != 0) {
                    writes.add(store.change(person.id(), Map.of(PeopleIndex.FACE_COUNT, 0, PeopleIndex.PHOTO_COUNT, 0, PeopleIndex.UPDATED_AT, now.toString())));
                    updated++;
                }
            } else {
                // a person whose faces all went (their photos deleted): nothing is left to show
                removed.add(person.id());
            }
        }
        removed.forEach(id -> writes.add(store.remove(id)));
        store.write(writes, progress);
        clock.done(ClusterProgress.WRITING_PERSONS);
        progress.step(ClusterProgress.DONE);
        return new Result(
            outcome.facesConsidered(),
            outcome.facesAssigned(),
            outcome.persons().size() + persons.values().stream().filter(p -> p.locked() && withFaces.contains(p.id()) == false).count(),
            outcome.personsCreated(),
            updated,
            removed.size(),
            skipped,
            clock.millis()
        );
    }

    /**
     * Takes into {@code persons} the earlier persons that faces name but the run's people index lacks, with their
     * names and edits: after photos were re-embedded into a new index with another model, whose people index starts
     * empty, the persons the faces carried over keep their names.
     *
     * @return the ids taken
     */
    static Set<String> adopt(Map<String, StoredPerson> earlier, List<ClusterFace> faces, Map<String, StoredPerson> persons) {
        Set<String> adopted = new HashSet<>();
        for (ClusterFace face : faces) {
            String id = face.person();
            if (id != null && persons.containsKey(id) == false && earlier.containsKey(id)) {
                persons.put(id, earlier.get(id));
                adopted.add(id);
            }
        }
        return adopted;
    }

    /** Whether a stored centroid is the one computed now, but for the rounding of its JSON numbers. */
    static boolean sameDirection(float[] stored, float[] computed) {
        return stored != null && stored.length == computed.length && Centroids.dot(stored, computed) >= 1 - 1e-5;
    }

    /** The time of each step, taken as each ends. */
    private static final class StepClock {
        private final Map<String, Long> millis = new LinkedHashMap<>();
        private long start = System.nanoTime();

        void done(String step) {
            long now = System.nanoTime();
            millis.put(step, TimeUnit.NANOSECONDS.toMillis(now - start));
            start = now;
        }

        Map<String, Long> millis() {
            return millis;
        }
    }

    private void createPeopleIndex(String index, int dimension) {
        try {
            requests.execute(
                CreateIndexAction.INSTANCE,
                new CreateIndexRequest(index).settings(PeopleIndex.settings()).mapping(PeopleIndex.mapping(dimension))
            );
        } catch (ResourceAlreadyExistsException e) {
            // made by a run beside this one
        }
    }

    /** The faces whose person changed, by photo. */
    private long writeFaces(StoredFaces stored, ClusterOutcome outcome) {
        Map<String, FaceWriter.PhotoChange> changes = new LinkedHashMap<>();
        List<ClusterFace> faces = stored.faces();
        for (int i = 0; i < faces.size(); i++) {
            ClusterFace face = faces.get(i);
            String after = outcome.assignments()[i];
            if (after == null ? face.person() == null : after.equals(face.person())) {
                continue;
            }
            String photo = StoredFaces.photoKey(face.key().index(), face.key().id());
            changes.computeIfAbsent(photo, p -> new FaceWriter.PhotoChange(face.key().index(), face.key().id(), stored.versions().get(p)))
                .person(face.key().face(), after);
        }
        progress.photosToUpdate(changes.size());
        return new FaceWriter(requests).write(new ArrayList<>(changes.values()), progress);
    }
}
