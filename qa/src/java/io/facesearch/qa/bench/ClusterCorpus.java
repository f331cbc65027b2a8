package io.facesearch.qa.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The photos of a clustering benchmark, each labelled with the identity folder it lies in, and the seeded choice of
 * the photos held back for the incremental check. Pure logic: no node.
 */
final class ClusterCorpus {
    private ClusterCorpus() {}

    /** A photo: its path relative to the listed folder ({@code /} separators, also its document id) and its identity. */
    record LabelledPhoto(String path, Path file, String identity) {}

    /** Which photos go into the index before the first clustering and which are added after it, as positions, ascending. */
    record HoldOut(List<Integer> initial, List<Integer> added) {}

    /**
     * Every photo under {@code dir} ({@link IngestCorpus#list}: sorted, side files skipped; at most {@code limit} when
     * limit > 0), labelled with the name of the folder it lies in. A photo directly in {@code dir} has no label and is
     * refused.
     */
    static List<LabelledPhoto> list(Path dir, int limit) throws IOException {
        List<LabelledPhoto> photos = new ArrayList<>();
        for (IngestCorpus.PhotoFile p : IngestCorpus.list(dir, limit)) {
            String identity = identityOf(p.path());
            if (identity == null) {
                throw new BenchException(
                    "photo [" + p.path() + "] lies directly in " + dir + ": every photo must be in a folder named by its identity"
                );
            }
            photos.add(new LabelledPhoto(p.path(), p.file(), identity));
        }
        return photos;
    }

    /** The name of the folder holding the photo at {@code relativePath} ({@code /} separators), or null when none. */
    static String identityOf(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        if (slash <= 0) {
            return null;
        }
        String folder = relativePath.substring(0, slash);
        return folder.substring(folder.lastIndexOf('/') + 1);
    }

    /**
     * Holds back a seeded random {@code fraction} of {@code count} photos (rounded; at least one when the fraction is
     * above 0 and there are two photos or more, and never all of them): the same seed always holds back the same
     * positions.
     */
    static HoldOut holdOut(int count, double fraction, long seed) {
        if (fraction < 0 || fraction >= 1 || Double.isNaN(fraction)) {
            throw new IllegalArgumentException("the fraction added later must be in [0, 1), got " + fraction);
        }
        int held = (int) Math.round(fraction * count);
        if (fraction > 0 && held == 0 && count > 1) {
            held = 1;
        }
        held = Math.min(held, Math.max(0, count - 1));
        List<Integer> order = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        List<Integer> added = new ArrayList<>(order.subList(0, held));
        List<Integer> initial = new ArrayList<>(order.subList(held, count));
        Collections.sort(added);
        Collections.sort(initial);
        return new HoldOut(List.copyOf(initial), List.copyOf(added));
    }
}
