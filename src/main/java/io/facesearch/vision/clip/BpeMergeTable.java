package io.facesearch.vision.clip;

import java.util.Arrays;

/**
 * The ranked merges of a byte-pair encoding, keyed by the vocabulary ids of the two symbols, and the
 * encoding of one word with them. Working on ids rather than strings lets a word be encoded without
 * building any intermediate string; each merge's result is itself a vocabulary token, so its id is
 * stored with the rank.
 *
 * <p>The lookup is an open-addressing hash table over {@code long} keys: a short query does a few
 * dozen lookups, and boxing each pair into a {@code HashMap} key would cost more than the work itself.
 */
final class BpeMergeTable {
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int[] mergedIds;
    private final int mask;
    private final int shift;

    /** {@code first[i]} and {@code second[i]} merge into {@code merged[i]}; earlier entries merge first. */
    BpeMergeTable(int[] first, int[] second, int[] merged) {
        int capacity = Integer.highestOneBit(Math.max(2, first.length) * 2) * 2;
        keys = new long[capacity];
        ranks = new int[capacity];
        mergedIds = new int[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        Arrays.fill(keys, EMPTY);
        for (int rank = 0; rank < first.length; rank++) {
            long key = key(first[rank], second[rank]);
            int slot = slot(key);
            while (keys[slot] != EMPTY && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            // a repeated pair keeps its first, better rank
            if (keys[slot] == EMPTY) {
                keys[slot] = key;
                ranks[slot] = rank;
                mergedIds[slot] = merged[rank];
            }
        }
    }

    /**
     * Applies the merges to a word given as the ids of its initial symbols, in place, and returns how many
     * symbols are left at the front of {@code symbols}. As in CLIP, the best-ranked pair present is merged
     * everywhere it occurs (left to right, without overlap) before the next pair is looked for.
     */
    int encode(int[] symbols, int length) {
        while (length > 1) {
            int bestRank = Integer.MAX_VALUE;
            int bestIndex = -1;
            int bestSlot = -1;
            for (int i = 0; i + 1 < length; i++) {
                int slot = find(symbols[i], symbols[i + 1]);
                if (slot >= 0 && ranks[slot] < bestRank) {
                    bestRank = ranks[slot];
                    bestIndex = i;
                    bestSlot = slot;
                }
            }
            if (bestIndex < 0) {
                break;
            }
            int first = symbols[bestIndex];
            int second = symbols[bestIndex + 1];
            int merged = mergedIds[bestSlot];
            // the scan kept the pair's first occurrence, so nothing before it can merge
            int out = bestIndex;
            int i = bestIndex;
            while (i < length) {
                if (i + 1 < length && symbols[i] == first && symbols[i + 1] == second) {
                    symbols[out++] = merged;
                    i += 2;
                } else {
                    symbols[out++] = symbols[i++];
                }
            }
            length = out;
        }
        return length;
    }

    /** The slot of the pair, or -1 when the two symbols never merge. */
    private int find(int first, int second) {
        long key = key(first, second);
        int slot = slot(key);
        while (true) {
            long found = keys[slot];
            if (found == key) {
                return slot;
            }
            if (found == EMPTY) {
                return -1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static long key(int first, int second) {
        return ((long) first << 32) | (second & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }
}
