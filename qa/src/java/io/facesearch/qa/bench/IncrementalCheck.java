package io.facesearch.qa.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The arithmetic of the incremental check: after a first clustering every person is named after the identity most of
 * its main faces have, photos are added and the clustering runs again; the named persons must keep their names and
 * their faces, and the added photos should join the person named after their identity. Pure logic: no node.
 */
final class IncrementalCheck {
    private IncrementalCheck() {}

    /**
     * The main face of a labelled photo.
     *
     * @param key       its document id and face index, as {@link #faceKey}
     * @param identity  the photo's label
     * @param person    its person, null when unassigned
     */
    record MainFace(String key, String identity, String person) {}

    /**
     * What the second run did.
     *
     * @param named            persons named after the first run
     * @param renamed          named persons that carry another name after the second run (must be 0)
     * @param lost             named persons that are no longer in the people index (must be 0)
     * @param split            named persons some of whose first-run faces belong to another person now (must be 0)
     * @param facesMoved       first-run faces of named persons now in another person
     * @param facesLeft        first-run faces of named persons now unassigned
     * @param added            added photos with a main face
     * @param addedNamed       of these, photos whose identity a person was named after
     * @param addedRight       of these, photos whose main face joined a person named after its identity
     * @param addedWrongNamed  added photos whose main face joined a person named after another identity
     * @param addedOther       added photos whose main face is in an unnamed person (a new one, most likely)
     * @param addedUnassigned  added photos whose main face is unassigned
     */
    record Outcome(
        int named,
        int renamed,
        int lost,
        int split,
        int facesMoved,
        int facesLeft,
        int added,
        int addedNamed,
        int addedRight,
        int addedWrongNamed,
        int addedOther,
        int addedUnassigned
    ) {}

    /** The key of face {@code faceIndex} of document {@code id}. */
    static String faceKey(String id, int faceIndex) {
        return id + "#" + faceIndex;
    }

    /**
     * For each person holding at least one of {@code mainFaces}, the identity most of those faces have (a tie goes to the
     * identity first in alphabetical order). Persons made only of other faces (bystanders) get no name: nothing says who
     * they are.
     */
    static Map<String, String> majorityNames(List<MainFace> mainFaces) {
        Map<String, Map<String, Integer>> votes = new TreeMap<>();
        for (MainFace f : mainFaces) {
            if (f.person() != null) {
                votes.computeIfAbsent(f.person(), k -> new TreeMap<>()).merge(f.identity(), 1, Integer::sum);
            }
        }
        Map<String, String> names = new TreeMap<>();
        for (Map.Entry<String, Map<String, Integer>> person : votes.entrySet()) {
            String best = null;
            int bestVotes = 0;
            for (Map.Entry<String, Integer> identity : person.getValue().entrySet()) { // alphabetical: ties keep the first
                if (identity.getValue() > bestVotes) {
                    best = identity.getKey();
                    bestVotes = identity.getValue();
                }
            }
            names.put(person.getKey(), best);
        }
        return names;
    }

    /**
     * Compares the two runs.
     *
     * @param firstRun     face key to person after the first run (assigned faces only)
     * @param given        person to the name given to it after the first run
     * @param secondRun    face key to person after the second run (assigned faces only)
     * @param personsAfter every person in the people index after the second run, to its name (a null value: unnamed)
     * @param addedMain    the main faces of the added photos, with their person after the second run
     */
    static Outcome compare(
        Map<String, String> firstRun,
        Map<String, String> given,
        Map<String, String> secondRun,
        Map<String, String> personsAfter,
        List<MainFace> addedMain
    ) {
        int renamed = 0;
        int lost = 0;
        for (Map.Entry<String, String> person : given.entrySet()) {
            if (personsAfter.containsKey(person.getKey()) == false) {
                lost++;
            } else if (person.getValue().equals(personsAfter.get(person.getKey())) == false) {
                renamed++;
            }
        }
        Set<String> split = new HashSet<>();
        int facesMoved = 0;
        int facesLeft = 0;
        for (Map.Entry<String, String> face : firstRun.entrySet()) {
            String before = face.getValue();
            if (given.containsKey(before) == false) {
                continue;
            }
            String after = secondRun.get(face.getKey());
            if (after == null) {
                facesLeft++;
            } else if (after.equals(before) == false) {
                facesMoved++;
                split.add(before);
            }
        }
        Set<String> namedIdentities = new HashSet<>(given.values());
        Map<String, Integer> counts = new HashMap<>();
        for (MainFace f : addedMain) {
            boolean eligible = namedIdentities.contains(f.identity());
            if (eligible) {
                counts.merge("named", 1, Integer::sum);
            }
            String name = f.person() == null ? null : given.get(f.person());
            String outcome;
            if (f.person() == null) {
                outcome = "unassigned";
            } else if (name == null) {
                outcome = "other";
            } else if (name.equals(f.identity())) {
                outcome = "right";
            } else {
                outcome = "wrong";
            }
            counts.merge(outcome, 1, Integer::sum);
        }
        return new Outcome(
            given.size(),
            renamed,
            lost,
            split.size(),
            facesMoved,
            facesLeft,
            addedMain.size(),
            counts.getOrDefault("named", 0),
            counts.getOrDefault("right", 0),
            counts.getOrDefault("wrong", 0),
            counts.getOrDefault("other", 0),
            counts.getOrDefault("unassigned", 0)
        );
    }
}
