package io.facesearch.people.cluster;

/**
 * The parameters of a run.
 *
 * @param mode        incremental or full
 * @param similarity  cosine similarity at or above which two faces are linked
 * @param minFaces    the fewest faces a new person may have; smaller groups stay unassigned
 * @param eligibility which faces take part
 */
public record ClusterOptions(ClusterMode mode, float similarity, int minFaces, FaceEligibility eligibility) {
    /**
     * Default similarity threshold, measured on the labelled photos of the development set (see
     * PeopleClusteringQualityTests): the highest BCubed F, and no two identities merged.
     */
    public static final float DEFAULT_SIMILARITY = 0.45f;
    /** Default fewest faces of a person: 2, since a person seen twice is worth naming (measured as above). */
    public static final int DEFAULT_MIN_FACES = 2;

    public ClusterOptions {
        if ((similarity >= -1 && similarity <= 1) == false) {
            throw new IllegalArgumentException("[similarity] must be between -1 and 1, got " + similarity);
        }
        if (minFaces < 1) {
            throw new IllegalArgumentException("[min_faces] must be >= 1, got " + minFaces);
        }
    }
}
