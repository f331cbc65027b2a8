package io.facesearch.people.cluster;

import java.util.Set;

/**
 * A face as the clustering sees it.
 *
 * @param key        where it lives
 * @param vector     its identity vector, L2-normalised
 * @param score      the detector's score
 * @param size       the shorter side of its box, in pixels of the photo
 * @param quality    how frontal it is, 0 to 1 ({@code quality.frontal})
 * @param person     the person it belongs to now, or null while unassigned
 * @param notPersons the persons the user said it is not
 */
public record ClusterFace(FaceKey key, float[] vector, float score, float size, float quality, String person, Set<String> notPersons) {
    public ClusterFace {
        notPersons = notPersons == null ? Set.of() : Set.copyOf(notPersons);
    }
}
