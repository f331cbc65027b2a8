package io.facesearch.people.cluster;

import java.util.Arrays;

/**
 * The links between faces that are at least as similar as a threshold, found among each face's nearest neighbours (a
 * kNN graph: never all pairs). Links are undirected: a link found from either face serves both. Faces are numbered
 * by their position in the run's sorted list of faces.
 *
 * <p>Held in compressed rows: for face {@code i}, its neighbours are {@code targets[offsets[i] .. offsets[i + 1])}, in
 * increasing order, with their similarities at the same positions.
 */
public final class NeighbourGraph {
    /** Bytes a link takes once built: both directions, a target and a similarity each. */
    public static final long BYTES_PER_LINK = 2L * (Integer.BYTES + Float.BYTES);

    private final int[] offsets;
    private final int[] targets;
    private final float[] similarities;

    private NeighbourGraph(int[] offsets, int[] targets, float[] similarities) {
        this.offsets = offsets;
        this.targets = targets;
        this.similarities = similarities;
    }

    public int size() {
        return offsets.length - 1;
    }

    /** How many faces {@code face} is linked to. */
    public int degree(int face) {
        return offsets[face + 1] - offsets[face];
    }

    /** The {@code n}-th neighbour of {@code face}. */
    public int neighbour(int face, int n) {
        return targets[offsets[face] + n];
    }

    /** The similarity of {@code face} to its {@code n}-th neighbour. */
    public float similarity(int face, int n) {
        return similarities[offsets[face] + n];
    }

    /** How many undirected links the graph holds. */
    public long links() {
        return targets.length / 2;
    }

    /** Collects links, then builds the graph; links below the threshold are not kept. */
    public static final class Builder {
        private final int size;
        private final float threshold;
        private int[] from = new int[64];
        private int[] to = new int[64];
        private float[] similarity = new float[64];
        private int count;

        /**
         * @param size      the number of faces
         * @param threshold the similarity a link needs
         */
        public Builder(int size, float threshold) {
            this.size = size;
            this.threshold = threshold;
        }

        /** A neighbour {@code b} found for face {@code a}; a link of a face to itself is ignored. */
        public Builder add(int a, int b, float sim) {
            if (a < 0 || a >= size || b < 0 || b >= size) {
                throw new IllegalArgumentException("link [" + a + ", " + b + "] outside the " + size + " faces");
            }
            if (a == b || (sim >= threshold) == false) {
                return this;
            }
            if (count == from.length) {
                int grown = Math.max(64, count + (count >> 1));
                from = Arrays.copyOf(from, grown);
                to = Arrays.copyOf(to, grown);
                similarity = Arrays.copyOf(similarity, grown);
            }
            // kept once, lower face first, so that a link found from both faces is not counted twice
            from[count] = Math.min(a, b);
            to[count] = Math.max(a, b);
            similarity[count] = sim;
            count++;
            return this;
        }

        /** Links collected so far (a link found from both faces counts twice until the graph is built). */
        public int collected() {
            return count;
        }

        public NeighbourGraph build() {
            // links bucketed by their lower face, each as (higher face, similarity) packed in a long that sorts by face
            int[] bucket = new int[size + 1];
            for (int i = 0; i < count; i++) {
                bucket[from[i] + 1]++;
            }
            for (int a = 0; a < size; a++) {
                bucket[a + 1] += bucket[a];
            }
            long[] packed = new long[count];
            int[] fill = Arrays.copyOf(bucket, size);
            for (int i = 0; i < count; i++) {
                packed[fill[from[i]]++] = ((long) to[i] << 32) | (Float.floatToRawIntBits(similarity[i]) & 0xFFFFFFFFL);
            }
            int[] offsets = new int[size + 1];
            for (int a = 0; a < size; a++) {
                Arrays.sort(packed, bucket[a], bucket[a + 1]);
                for (int n = bucket[a]; n < bucket[a + 1]; n = endOfRun(packed, n, bucket[a + 1])) {
                    offsets[a + 1]++;
                    offsets[face(packed[n]) + 1]++;
                }
            }
            for (int a = 0; a < size; a++) {
                offsets[a + 1] += offsets[a];
            }
            int[] targets = new int[offsets[size]];
            float[] similarities = new float[offsets[size]];
            int[] next = Arrays.copyOf(offsets, size);
            // faces in increasing order: a row gets its lower neighbours (from earlier buckets) before its higher ones
            // (from its own), so every row comes out sorted
            for (int a = 0; a < size; a++) {
                int n = bucket[a];
                while (n < bucket[a + 1]) {
                    int end = endOfRun(packed, n, bucket[a + 1]);
                    // the two searches of one pair may report slightly different similarities: the higher counts
                    float best = similarityOf(packed[n]);
                    for (int m = n + 1; m < end; m++) {
                        best = Math.max(best, similarityOf(packed[m]));
                    }
                    int b = face(packed[n]);
                    targets[next[a]] = b;
                    similarities[next[a]++] = best;
                    targets[next[b]] = a;
                    similarities[next[b]++] = best;
                    n = end;
                }
            }
            return new NeighbourGraph(offsets, targets, similarities);
        }

        /** The position after the entries of the same face as {@code packed[n]}. */
        private static int endOfRun(long[] packed, int n, int end) {
            int m = n + 1;
            while (m < end && face(packed[m]) == face(packed[n])) {
                m++;
            }
            return m;
        }

        private static int face(long packed) {
            return (int) (packed >>> 32);
        }

        private static float similarityOf(long packed) {
            return Float.intBitsToFloat((int) packed);
        }
    }
}
