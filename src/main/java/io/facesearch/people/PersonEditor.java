package io.facesearch.people;

import io.facesearch.people.cluster.ClusterFace;
import io.facesearch.people.cluster.FaceKey;
import io.facesearch.people.cluster.PersonSummary;

import org.apache.lucene.search.join.ScoreMode;
import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.get.GetAction;
import org.opensearch.action.get.GetRequest;
import org.opensearch.action.get.GetResponse;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.fetch.subphase.FetchSourceContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The edits a user makes to persons: name one, merge several into one, split faces off into another, reject faces
 * ("not this person"). Each reads the faces of the persons it touches (with their vectors), writes the faces that
 * move, and writes the persons again from their faces; a person a user merged or split is marked {@code edited}, and
 * a named or edited person is kept as it is by later clustering runs.
 */
public final class PersonEditor {
    /** The most persons one merge takes. */
    public static final int MAX_MERGED = 1000;

    private final ChildRequests requests;
    private final RunMemory memory;
    private final List<String> photoIndices;
    private final int dimension;
    private final PersonStore store;
    private final Supplier<String> newIds;

    public PersonEditor(
        ChildRequests requests,
        RunMemory memory,
        List<String> photoIndices,
        int dimension,
        String peopleIndex,
        Supplier<String> newIds
    ) {
        this.requests = requests;
        this.memory = memory;
        this.photoIndices = photoIndices;
        this.dimension = dimension;
        this.store = new PersonStore(requests, peopleIndex);
        this.newIds = newIds;
    }

    /** Names a person: a name is unique within its people index, so that a search by name finds one person. */
    public Map<String, Object> name(String person, String name) {
        Map<String, Object> stored = get(person);
        String other = PersonSearch.idOfName(requests, store.index(), name);
        if (other != null && other.equals(person) == false) {
            throw new IllegalArgumentException(
                "[name] [" + name + "] is already the name of person [" + other + "]; merge the two persons with _merge"
            );
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put(PeopleIndex.NAME, name);
        changes.put(PeopleIndex.NAMED, true);
        changes.put(PeopleIndex.UPDATED_AT, Instant.now().toString());
        store.write(List.of(store.change(person, changes)), null);
        stored.putAll(changes);
        return Map.of("person", PersonSearch.render(person, stored));
    }

    /**
     * Moves the faces of {@code persons} into {@code into} (one of them, or another person), deletes the others, and
     * keeps a name: {@code into}'s, or else the first named one's. A face said not to be a merged person is now said
     * not to be {@code into}.
     */
    public Map<String, Object> merge(List<String> persons, String into) {
        Map<String, StoredPerson> stored = new LinkedHashMap<>();
        Set<String> all = new LinkedHashSet<>(persons);
        all.add(into);
        for (String id : all) {
            stored.put(id, StoredPerson.of(id, get(id)));
        }
        Set<String> merged = new LinkedHashSet<>(all);
        merged.remove(into);
        StoredFaces faces = read(QueryBuilders.boolQuery()
            .should(QueryBuilders.nestedQuery(FacePersonFields.FACES, QueryBuilders.termsQuery(FacePersonFields.person(), all), ScoreMode.None))
            .should(QueryBuilders.nestedQuery(FacePersonFields.FACES, QueryBuilders.termsQuery(FacePersonFields.notPersons(), merged), ScoreMode.None)));
        Map<String, FaceWriter.PhotoChange> changes = new LinkedHashMap<>();
        Map<FaceKey, String> after = new HashMap<>();
        int moved = 0;
        for (ClusterFace face : faces.faces()) {
            if (face.person() != null && merged.contains(face.person())) {
                change(changes, faces, face).person(face.key().face(), into);
                after.put(face.key(), into);
                moved++;
            }
            for (String rejected : face.notPersons()) {
                if (merged.contains(rejected)) {
                    change(changes, faces, face).forgetNotPerson(face.key().face(), rejected).notPerson(face.key().face(), into);
                }
            }
        }
        long skipped = new FaceWriter(requests).write(new ArrayList<>(changes.values()), null);
        StoredPerson target = stored.get(into);
        if (target.named() == false) {
            for (StoredPerson person : stored.values()) {
                if (person.named()) {
                    target = new StoredPerson(into, person.name(), true, target.edited(), target.faceCount(), target.photoCount(), target.createdAt(), target.embedderSha256());
                    break;
                }
            }
        }
        List<DocWriteRequest<?>> writes = new ArrayList<>();
        Map<String, Object> person = rewrite(into, target, faces, after, writes);
        merged.forEach(id -> writes.add(store.remove(id)));
        store.write(writes, null);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("person", person);
        answer.put("merged", List.copyOf(merged));
        answer.put("faces_moved", moved);
        answer.put("photos_skipped", skipped);
        return answer;
    }

    /** Moves {@code moved} faces of {@code person} into {@code into}, an existing person, or a new one when null. */
    public Map<String, Object> split(String person, List<FaceKey> moved, String into) {
        if (person.equals(into)) {
            throw new IllegalArgumentException("[into] must be another person than [" + person + "]");
        }
        StoredPerson source = StoredPerson.of(person, get(person));
        StoredPerson target = into == null ? null : StoredPerson.of(into, get(into));
        String targetId = into == null ? newIds.get() : into;
        StoredFaces faces = read(
            QueryBuilders.nestedQuery(
                FacePersonFields.FACES,
                QueryBuilders.termsQuery(FacePersonFields.person(), into == null ? List.of(person) : List.of(person, into)),
                ScoreMode.None
            )
        );
        Map<FaceKey, ClusterFace> byKey = checkMembers(faces, person, moved);
        Map<String, FaceWriter.PhotoChange> changes = new LinkedHashMap<>();
        Map<FaceKey, String> after = new HashMap<>();
        for (FaceKey key : moved) {
            change(changes, faces, byKey.get(key)).person(key.face(), targetId);
            after.put(key, targetId);
        }
        long skipped = new FaceWriter(requests).write(new ArrayList<>(changes.values()), null);
        List<DocWriteRequest<?>> writes = new ArrayList<>();
        Map<String, Object> left = rewrite(person, edited(source), faces, after, writes);
        StoredPerson newTarget = target == null ? new StoredPerson(targetId, null, false, true, 0, 0, null, null) : edited(target);
        Map<String, Object> gained = rewrite(targetId, newTarget, faces, after, writes);
        store.write(writes, null);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("person", left);
        answer.put("into", gained);
        answer.put("faces_moved", moved.size());
        answer.put("photos_skipped", skipped);
        return answer;
    }

    /** Takes {@code rejected} faces out of {@code person}, and records on each that it is not that person. */
    public Map<String, Object> reject(String person, List<FaceKey> rejected) {
        StoredPerson stored = StoredPerson.of(person, get(person));
        StoredFaces faces = read(QueryBuilders.nestedQuery(FacePersonFields.FACES, QueryBuilders.termQuery(FacePersonFields.person(), person), ScoreMode.None));
        Map<FaceKey, ClusterFace> byKey = checkMembers(faces, person, rejected);
        Map<String, FaceWriter.PhotoChange> changes = new LinkedHashMap<>();
        Map<FaceKey, String> after = new HashMap<>();
        for (FaceKey key : rejected) {
            change(changes, faces, byKey.get(key)).person(key.face(), null).notPerson(key.face(), person);
            after.put(key, null);
        }
        long skipped = new FaceWriter(requests).write(new ArrayList<>(changes.values()), null);
        List<DocWriteRequest<?>> writes = new ArrayList<>();
        Map<String, Object> left = rewrite(person, edited(stored), faces, after, writes);
        store.write(writes, null);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("person", left);
        answer.put("faces_rejected", rejected.size());
        answer.put("photos_skipped", skipped);
        return answer;
    }

    /** Whether the people index holds {@code person}. */
    public boolean exists(String person) {
        return requests.execute(
            GetAction.INSTANCE,
            new GetRequest(store.index(), person).fetchSourceContext(FetchSourceContext.DO_NOT_FETCH_SOURCE)
        ).isExists();
    }

    /** Deletes a person's document, named or not (an erasure of that person). */
    public void delete(String person) {
        store.write(List.of(store.remove(person)), null);
    }

    /**
     * Computes a person's document again from the faces that name it now, after some of them were erased; a person left
     * without faces is deleted, named or not, since all that made it is gone.
     */
    public void recount(String person) {
        StoredPerson stored = StoredPerson.of(person, get(person));
        StoredFaces faces = read(QueryBuilders.nestedQuery(FacePersonFields.FACES, QueryBuilders.termQuery(FacePersonFields.person(), person), ScoreMode.None));
        List<DocWriteRequest<?>> writes = new ArrayList<>();
        boolean any = faces.faces().stream().anyMatch(face -> person.equals(face.person()));
        if (any) {
            rewrite(person, stored, faces, Map.of(), writes);
        } else {
            writes.add(store.remove(person));
        }
        store.write(writes, null);
    }

    private static StoredPerson edited(StoredPerson person) {
        return new StoredPerson(person.id(), person.name(), person.named(), true, person.faceCount(), person.photoCount(), person.createdAt(), person.embedderSha256());
    }

    /** A person's document, or 404. */
    private Map<String, Object> get(String person) {
        GetResponse response = requests.execute(
            GetAction.INSTANCE,
            new GetRequest(store.index(), person).fetchSourceContext(new FetchSourceContext(true, null, PeopleIndex.hiddenFields().toArray(String[]::new)))
        );
        if (response.isExists() == false) {
            throw new ResourceNotFoundException("person [{}] not found in [{}]", person, store.index());
        }
        return new LinkedHashMap<>(response.getSourceAsMap());
    }

    private StoredFaces read(org.opensearch.index.query.QueryBuilder query) {
        return StoredFaces.read(requests, photoIndices, query, dimension, memory, new ClusterProgress());
    }

    /** The faces named, each checked to belong to {@code person}; a 400 naming those that do not. */
    private static Map<FaceKey, ClusterFace> checkMembers(StoredFaces faces, String person, Collection<FaceKey> named) {
        Map<FaceKey, ClusterFace> byKey = new HashMap<>();
        for (ClusterFace face : faces.faces()) {
            byKey.put(face.key(), face);
        }
        List<String> wrong = new ArrayList<>();
        for (FaceKey key : named) {
            ClusterFace face = byKey.get(key);
            if (face == null || person.equals(face.person()) == false) {
                wrong.add("face " + key.face() + " of [" + key.index() + "/" + key.id() + "]");
            }
        }
        if (wrong.isEmpty() == false) {
            throw new IllegalArgumentException(
                "[faces] must be faces of person [" + person + "]; " + wrong.size() + " are not: " + String.join(", ", wrong.subList(0, Math.min(10, wrong.size())))
                    + (wrong.size() > 10 ? ", ..." : "")
            );
        }
        return byKey;
    }

    private static FaceWriter.PhotoChange change(Map<String, FaceWriter.PhotoChange> changes, StoredFaces faces, ClusterFace face) {
        String photo = StoredFaces.photoKey(face.key().index(), face.key().id());
        return changes.computeIfAbsent(photo, p -> new FaceWriter.PhotoChange(face.key().index(), face.key().id(), faces.versions().get(p)));
    }

    /**
     * Adds the write of {@code id}'s document, computed from its faces after the edit ({@code after} overrides the
     * stored persons of the faces moved), to {@code writes}, and returns it as answered. A person left without faces is
     * deleted, unless it is named: then it stays, with no faces.
     */
    private Map<String, Object> rewrite(String id, StoredPerson stored, StoredFaces faces, Map<FaceKey, String> after, List<DocWriteRequest<?>> writes) {
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < faces.faces().size(); i++) {
            ClusterFace face = faces.faces().get(i);
            String person = after.containsKey(face.key()) ? after.get(face.key()) : face.person();
            if (id.equals(person)) {
                members.add(i);
            }
        }
        Instant now = Instant.now();
        if (members.isEmpty()) {
            if (stored.named() == false) {
                writes.add(store.remove(id));
                return null;
            }
            Map<String, Object> empty = new LinkedHashMap<>();
            empty.put(PeopleIndex.FACE_COUNT, 0);
            empty.put(PeopleIndex.PHOTO_COUNT, 0);
            empty.put(PeopleIndex.EDITED, stored.edited());
            empty.put(PeopleIndex.UPDATED_AT, now.toString());
            writes.add(store.change(id, empty));
            Map<String, Object> shown = new LinkedHashMap<>(empty);
            shown.put(PeopleIndex.NAME, stored.name());
            shown.put(PeopleIndex.NAMED, true);
            return PersonSearch.render(id, shown);
        }
        PersonSummary summary = PersonSummary.of(id, faces.faces(), members.stream().mapToInt(Integer::intValue).toArray(), false, true);
        Map<String, Object> document = PersonStore.document(summary, faces.faces(), stored.createdAt() == null ? null : stored, faces.model(), stored.edited(), now);
        if (stored.createdAt() == null) {
            // a new person, made by a split: what the user gave it is in stored
            document.put(PeopleIndex.NAME, stored.name());
            document.put(PeopleIndex.NAMED, stored.named());
        }
        writes.add(store.put(id, document));
        return PersonSearch.render(id, document);
    }
}
