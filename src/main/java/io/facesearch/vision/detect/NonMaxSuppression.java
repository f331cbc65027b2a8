package io.facesearch.vision.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression: keeps the best box of every group that overlaps above a threshold. */
final class NonMaxSuppression {
    private NonMaxSuppression() {}

    static List<DetectedFace> apply(List<DetectedFace> candidates, float iouThreshold) {
        List<DetectedFace> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(DetectedFace::score).reversed());
        List<DetectedFace> kept = new ArrayList<>();
        for (DetectedFace candidate : sorted) {
            boolean overlaps = false;
            for (DetectedFace face : kept) {
                if (face.iou(candidate) > iouThreshold) {
                    overlaps = true;
                    break;
                }
            }
            if (overlaps == false) {
                kept.add(candidate);
            }
        }
        return kept;
    }
}
