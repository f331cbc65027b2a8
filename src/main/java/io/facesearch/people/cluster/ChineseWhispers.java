package io.facesearch.people.cluster;

import io.facesearch.vision.Cancellation;

import java.util.Arrays;

/**
 * Chinese Whispers (Biemann, 2006) over the links between free faces: every face starts as its own group, then,
 * face after face, takes the group that its linked faces hold with the highest total similarity, until no face
 * changes. A face takes the group of its strongest neighbourhood, not of its single nearest face, so a chain of
 * look-alikes does not merge two people the way connected components (single linkage) would.
 *
 * <p>Faces are visited in their order in the run (sorted by their keys), ties keep the face's group or else go to the
 * lower group number: the result depends only on the faces and their links.
 */
final class ChineseWhispers {
    /** Enough for every graph seen in tests to settle (they do within 10); a rare oscillating face stops it here. */
    static final int MAX_ROUNDS = 50;
    private static final float MIN_WEIGHT = 1e-3f;

    private ChineseWhispers() {}

    /**
     * @param free which faces are grouped; links to the others are ignored
     * @return each free face's group (the number of one of its faces), -1 for the others
     */
    static int[] groups(NeighbourGraph graph, boolean[] free, Cancellation cancellation) {
        int n = graph.size();
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = free[i] ? i : -1;
        }
        // the weight each group gets from the face's neighbours, reset after each face through the groups touched
        float[] weight = new float[n];
        int[] touched = new int[n];
        for (int round = 0; round < MAX_ROUNDS; round++) {
            cancellation.check("grouping faces");
            boolean changed = false;
            for (int face = 0; face < n; face++) {
                if (free[face] == false) {
                    continue;
                }
                int touchedCount = 0;
                for (int k = 0; k < graph.degree(face); k++) {
                    int neighbour = graph.neighbour(face, k);
                    if (free[neighbour] == false) {
                        continue;
                    }
                    int g = group[neighbour];
                    if (weight[g] == 0) {
                        touched[touchedCount++] = g;
                    }
                    weight[g] += linkWeight(graph.similarity(face, k));
                }
                if (touchedCount == 0) {
                    continue;
                }
                int best = group[face];
                float bestWeight = weight[best];
                for (int t = 0; t < touchedCount; t++) {
                    int g = touched[t];
                    if (weight[g] > bestWeight || (weight[g] == bestWeight && g < best && best != group[face])) {
                        best = g;
                        bestWeight = weight[g];
                    }
                }
                for (int t = 0; t < touchedCount; t++) {
                    weight[touched[t]] = 0;
                }
                weight[group[face]] = 0;
                if (best != group[face]) {
                    group[face] = best;
                    changed = true;
                }
            }
            if (changed == false) {
                break;
            }
        }
        return group;
    }

    /** A link's weight: its similarity, kept above 0 (a threshold may be negative) so that every link counts. */
    static float linkWeight(float similarity) {
        return Math.max(similarity, MIN_WEIGHT);
    }

    /** The faces of each group, by group number (groups of no face are empty). */
    static int[][] members(int[] group) {
        int[] counts = new int[group.length];
        for (int g : group) {
            if (g >= 0) {
                counts[g]++;
            }
        }
        int[][] members = new int[group.length][];
        for (int g = 0; g < group.length; g++) {
            members[g] = new int[counts[g]];
        }
        Arrays.fill(counts, 0);
        for (int face = 0; face < group.length; face++) {
            int g = group[face];
            if (g >= 0) {
                members[g][counts[g]++] = face;
            }
        }
        return members;
    }
}
