package io.facesearch.vision;

import io.facesearch.vision.detect.DetectedFace;

import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertTrue;

/** Detection recall on the hand-annotated group photos ({@code group/face_boxes.tsv}) at IoU 0.5. */
public class GroupDetectionRecallTests {
    @Test
    public void findsAtLeast85PercentOfAnnotatedFaces() throws IOException {
        double fixed = recall(TestModels.analyzer(), "yunet_2023mar");
        assertTrue("recall " + fixed, fixed >= 0.85);
    }

    /** The dynamic-input detector, its input sized to each photo, finds at least as many of the annotated faces. */
    @Test
    public void theDynamicInputDetectorFindsAsMany() throws IOException {
        try (FaceAnalyzer dynamic = FaceAnalyzer.open(TestModels.config("yunet_n_dynamic", false))) {
            double sized = recall(dynamic, "yunet_n_dynamic");
            double fixed = recall(TestModels.analyzer(), "yunet_2023mar");
            assertTrue("recall " + sized + " against " + fixed, sized >= fixed);
        }
    }

    private static double recall(FaceAnalyzer analyzer, String detector) throws IOException {
        Map<String, List<DetectedFace>> annotated = new LinkedHashMap<>();
        for (String line : Files.readAllLines(TestModels.facesDir().resolve("group/face_boxes.tsv"))) {
            String[] columns = line.split("\t");
            if (columns.length != 5 || columns[1].equals("left")) {
                continue;
            }
            annotated.computeIfAbsent(columns[0], k -> new ArrayList<>())
                .add(
                    new DetectedFace(
                        Float.parseFloat(columns[1]),
                        Float.parseFloat(columns[2]),
                        Float.parseFloat(columns[3]),
                        Float.parseFloat(columns[4]),
                        1f,
                        new float[10]
                    )
                );
        }
        int total = 0;
        int found = 0;
        StringBuilder report = new StringBuilder();
        for (Map.Entry<String, List<DetectedFace>> photo : annotated.entrySet()) {
            FaceAnalysis analysis = analyzer.analyze(TestModels.photo(photo.getKey()), new DetectionOptions(0.6f, 0, 1000), false);
            List<DetectedFace> detected = new ArrayList<>();
            analysis.faces().forEach(face -> detected.add(face.detection()));
            int matched = 0;
            for (DetectedFace truth : photo.getValue()) {
                DetectedFace best = null;
                for (DetectedFace candidate : detected) {
                    if (truth.iou(candidate) >= 0.5f && (best == null || truth.iou(candidate) > truth.iou(best))) {
                        best = candidate;
                    }
                }
                if (best != null) {
                    detected.remove(best);
                    matched++;
                }
            }
            total += photo.getValue().size();
            found += matched;
            report.append(photo.getKey()).append(": ").append(matched).append('/').append(photo.getValue().size())
                .append(" (").append(analysis.faces().size()).append(" detected)\n");
        }
        double recall = (double) found / total;
        System.out.printf("%s: group detection recall at IoU 0.5: %d/%d = %.3f%n%s", detector, found, total, recall, report);
        return recall;
    }
}
