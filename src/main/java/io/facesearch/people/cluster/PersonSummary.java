package io.facesearch.people.cluster;

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
}
