package io.facesearch.people.cluster;

/**
 * Which faces take part in a clustering run: those the detector is sure of, large enough and frontal enough to be
 * recognised. The others are left where they are (see {@link PeopleClustering}).
 *
 * @param minScore    lowest detector score, 0 to 1
 * @param minFaceSize shortest box side, in pixels
 * @param minQuality  lowest {@code quality.frontal}, 0 to 1
 */
public record FaceEligibility(float minScore, float minFaceSize, float minQuality) {
    public static final FaceEligibility ALL = new FaceEligibility(0, 0, 0);

    public boolean admits(ClusterFace face) {
        return face.score() >= minScore && face.size() >= minFaceSize && face.quality() >= minQuality;
    }
}
