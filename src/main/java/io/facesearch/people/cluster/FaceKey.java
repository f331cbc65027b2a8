package io.facesearch.people.cluster;

import java.util.Comparator;

/**
 * Where a face lives: face number {@code face} (its position in the photo's list of faces) of document {@code id} in
 * photo index {@code index}. Faces are ordered by these three, so that a run sees them in the same order whatever the
 * order they were read in, and gives the same persons on one node or several.
 */
public record FaceKey(String index, String id, int face) implements Comparable<FaceKey> {
    private static final Comparator<FaceKey> ORDER = Comparator.comparing(FaceKey::index)
        .thenComparing(FaceKey::id)
        .thenComparingInt(FaceKey::face);

    public FaceKey {
        if (index == null || id == null || face < 0) {
            throw new IllegalArgumentException("a face needs an index, a document id and a position >= 0");
        }
    }

    /** The photo the face is in. */
    public String photo() {
        return index + "/" + id;
    }

    @Override
    public int compareTo(FaceKey other) {
        return ORDER.compare(this, other);
    }
}
