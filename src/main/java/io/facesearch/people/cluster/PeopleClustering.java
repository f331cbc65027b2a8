package io.facesearch.people.cluster;

import io.facesearch.vision.Cancellation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Groups faces into persons, from the faces and the links between near ones ({@link NeighbourGraph}).
 *
 * <p>Which faces move: faces that fail the {@link FaceEligibility} take no part. Fixed faces keep their person: in
 * incremental mode every face that has one, in full mode those of locked persons (named or edited by a user). The
 * other eligible faces are free, and are placed in three steps:
 * <ol>
 *   <li>the free faces are grouped by {@link ChineseWhispers} over the links between them;</li>
 *   <li>a group joins the fixed person it is linked to most strongly (the sum of the similarities of its links), if at
 *       least half of its faces are linked to that person: a few look-alike faces cannot pull a whole group into
 *       another person;</li>
 *   <li>a group that joins no one becomes a person if it has at least {@code min_faces} faces; in full mode it takes
 *       the id of the former person it shares most faces with, so that ids survive re-clustering. Smaller groups stay
 *       unassigned.</li>
 * </ol>
 * A face never ends in a person the user said it is not (its {@code not_persons}); it stays unassigned instead. Faces
 * must be given sorted by key, with the graph numbered the same way: the outcome then depends only on the faces, their
 * links and the options.
 */
public final class PeopleClustering {
    private final List<ClusterFace> faces;
    private final NeighbourGraph graph;
    private final ClusterOptions options;
    private final Set<String> lockedPersons;
    private final Supplier<String> newIds;
    private final Cancellation cancellation;

    /**
     * @param lockedPersons persons a full run keeps as they are (named or edited)
     * @param newIds        ids for new persons
     */
    public PeopleClustering(
        List<ClusterFace> faces,
        NeighbourGraph graph,
        ClusterOptions options,
        Set<String> lockedPersons,
        Supplier<String> newIds,
        Cancellation cancellation
    ) {
        if (graph.size() != faces.size()) {
            throw new IllegalArgumentException("the graph links " + graph.size() + " faces, but " + faces.size() + " are given");
        }
        for (int i = 1; i < faces.size(); i++) {
            if (faces.get(i - 1).key().compareTo(faces.get(i).key()) >= 0) {
                throw new IllegalArgumentException("faces must be sorted by key, without repeats: " + faces.get(i).key() + " follows " + faces.get(i - 1).key());
            }
        }
        this.faces = faces;
        this.graph = graph;
        this.options = options;
        this.lockedPersons = lockedPersons;
        this.newIds = newIds;
        this.cancellation = cancellation;
    }

    public ClusterOutcome run() {
        int n = faces.size();
        boolean[] eligible = new boolean[n];
        boolean[] fixed = new boolean[n];
        boolean[] free = new boolean[n];
        String[] assignments = new String[n];
        int considered = 0;
        for (int i = 0; i < n; i++) {
            ClusterFace face = faces.get(i);
            eligible[i] = options.eligibility().admits(face);
            fixed[i] = face.person() != null && (options.mode() == ClusterMode.INCREMENTAL || lockedPersons.contains(face.person()));
            free[i] = eligible[i] && fixed[i] == false;
            assignments[i] = fixed[i] ? face.person() : null;
            if (eligible[i]) {
                considered++;
            }
        }
        cancellation.check("clustering faces");
        int[] group = ChineseWhispers.groups(eligibleOnly(eligible), free, cancellation);
        int[][] groups = ChineseWhispers.members(group);
        List<int[]> unjoined = new ArrayList<>();
        for (int[] members : groups) {
            if (members.length == 0) {
                continue;
            }
            String joined = personToJoin(members, fixed, eligible, assignments);
            if (joined != null) {
                for (int face : members) {
                    assignments[face] = faces.get(face).notPersons().contains(joined) ? null : joined;
                }
            } else if (members.length >= options.minFaces()) {
                unjoined.add(members);
            }
        }
        cancellation.check("clustering faces");
        Set<String> created = new HashSet<>();
        String[] formerIds = options.mode() == ClusterMode.FULL ? formerIds(unjoined) : new String[unjoined.size()];
        for (int g = 0; g < unjoined.size(); g++) {
            int[] members = unjoined.get(g);
            String id = formerIds[g];
            List<Integer> kept = new ArrayList<>();
            for (int face : members) {
                if (id == null || faces.get(face).notPersons().contains(id) == false) {
                    kept.add(face);
                }
            }
            if (kept.size() < options.minFaces()) {
                continue;
            }
            if (id == null) {
                id = newIds.get();
                created.add(id);
            }
            for (int face : kept) {
                assignments[face] = id;
            }
        }
        return outcome(assignments, eligible, considered, created);
    }

    /** The graph without the links of faces that take no part, so that they vote for no one. */
    private NeighbourGraph eligibleOnly(boolean[] eligible) {
        for (boolean e : eligible) {
            if (e == false) {
                NeighbourGraph.Builder builder = new NeighbourGraph.Builder(graph.size(), Float.NEGATIVE_INFINITY);
                for (int face = 0; face < graph.size(); face++) {
                    for (int k = 0; k < graph.degree(face); k++) {
                        int other = graph.neighbour(face, k);
                        if (eligible[face] && eligible[other] && face < other) {
                            builder.add(face, other, graph.similarity(face, k));
                        }
                    }
                }
                return builder.build();
            }
        }
        return graph;
    }

    /**
     * The fixed person a group joins: the one its links to fixed faces give the highest total similarity, among
     * those linked to at least half of its faces; null for none. A person some of its faces were said not to be still
     * counts; those faces alone stay out.
     */
    private String personToJoin(int[] members, boolean[] fixed, boolean[] eligible, String[] assignments) {
        Map<String, double[]> links = new TreeMap<>(); // person -> {total similarity, faces linked}
        for (int face : members) {
            Set<String> linkedHere = new HashSet<>();
            for (int k = 0; k < graph.degree(face); k++) {
                int other = graph.neighbour(face, k);
                if (fixed[other] == false || eligible[other] == false) {
                    continue;
                }
                double[] total = links.computeIfAbsent(assignments[other], p -> new double[2]);
                total[0] += ChineseWhispers.linkWeight(graph.similarity(face, k));
                if (linkedHere.add(assignments[other])) {
                    total[1]++;
                }
            }
        }
        String best = null;
        double bestTotal = 0;
        for (Map.Entry<String, double[]> entry : links.entrySet()) {
            double[] total = entry.getValue();
            if (2 * total[1] >= members.length && total[0] > bestTotal) {
                best = entry.getKey();
                bestTotal = total[0];
            }
        }
        return best;
    }

    /**
     * For a full run, the former person each new group continues: pairs of group and former (unlocked) person are
     * taken by the number of faces they share, largest first, each group and each person once.
     */
    private String[] formerIds(List<int[]> groups) {
        record Overlap(int group, String person, int faces) {}
        List<Overlap> overlaps = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            Map<String, Integer> shared = new TreeMap<>();
            for (int face : groups.get(g)) {
                String former = faces.get(face).person();
                if (former != null && lockedPersons.contains(former) == false) {
                    shared.merge(former, 1, Integer::sum);
                }
            }
            for (Map.Entry<String, Integer> entry : shared.entrySet()) {
                overlaps.add(new Overlap(g, entry.getKey(), entry.getValue()));
            }
        }
        overlaps.sort(Comparator.comparingInt(Overlap::faces).reversed().thenComparingInt(Overlap::group).thenComparing(Overlap::person));
        String[] ids = new String[groups.size()];
        Set<String> taken = new HashSet<>();
        for (Overlap overlap : overlaps) {
            if (ids[overlap.group()] == null && taken.add(overlap.person())) {
                ids[overlap.group()] = overlap.person();
            }
        }
        return ids;
    }

    private ClusterOutcome outcome(String[] assignments, boolean[] eligible, int considered, Set<String> created) {
        Map<String, List<Integer>> members = new LinkedHashMap<>();
        Set<String> changed = new HashSet<>();
        Set<String> before = new HashSet<>();
        int assigned = 0;
        for (int face = 0; face < assignments.length; face++) {
            String former = faces.get(face).person();
            if (former != null) {
                before.add(former);
            }
            if (assignments[face] != null) {
                members.computeIfAbsent(assignments[face], p -> new ArrayList<>()).add(face);
                if (eligible[face]) {
                    assigned++;
                }
            }
            if (former == null ? assignments[face] != null : former.equals(assignments[face]) == false) {
                if (former != null) {
                    changed.add(former);
                }
                if (assignments[face] != null) {
                    changed.add(assignments[face]);
                }
            }
        }
        List<PersonSummary> persons = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> entry : new TreeMap<>(members).entrySet()) {
            cancellation.check("describing persons");
            int[] faceList = entry.getValue().stream().mapToInt(Integer::intValue).toArray();
            persons.add(PersonSummary.of(entry.getKey(), faces, faceList, created.contains(entry.getKey()), changed.contains(entry.getKey())));
        }
        Set<String> removed = new HashSet<>(before);
        removed.removeAll(members.keySet());
        removed.removeAll(lockedPersons);
        return new ClusterOutcome(assignments, persons, Set.copyOf(removed), considered, assigned);
    }

    /** {@code faces} sorted by key, as a run needs them. */
    public static List<ClusterFace> sorted(List<ClusterFace> faces) {
        ClusterFace[] array = faces.toArray(ClusterFace[]::new);
        Arrays.sort(array, Comparator.comparing(ClusterFace::key));
        return List.of(array);
    }
}
