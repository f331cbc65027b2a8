package io.facesearch.people.cluster;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A person after a run: its faces and what describes it.
 *
 * @param id             the person's id
 * @param members        its faces, by position in the run
 * @param centroid       the normalised mean of its faces' vectors
 * @param representative the face nearest to the centroid, by position in the run
 * @param photoCount     how many photos its faces are in
 * @param created        whether the run made it
 * @param changed        whether the run gave it faces or took faces from it
 */
public record PersonSummary(String id, int[] members, float[] centroid, int representative, int photoCount, boolean created, boolean changed) {
    public int faceCount() {
        return members.length;
    }

    /** The person whose faces are {@code members} (positions in {@code faces}, at least one). */
    public static PersonSummary of(String id, List<ClusterFace> faces, int[] members, boolean created, boolean changed) {
        float[] centroid = Centroids.of(faces, members);
        int representative = members[0];
        double best = Double.NEGATIVE_INFINITY;
        Set<String> photos = new HashSet<>();
        for (int face : members) {
            double similarity = Centroids.dot(faces.get(face).vector(), centroid);
            if (similarity > best) {
                best = similarity;
                representative = face;
            }
            photos.add(faces.get(face).key().photo());
        }
        return new PersonSummary(id, members, centroid, representative, photos.size(), created, changed);
    }
}
