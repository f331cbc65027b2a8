package io.facesearch.qa.bench;

import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.align.FaceAligner;
import io.facesearch.vision.detect.DetectedFace;
import io.facesearch.vision.embed.FaceEmbedder;
import io.facesearch.vision.image.DecodedImage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the embedder's time per face depends on how many faces go through the model in one run: the aligned faces of
 * every photo embedded again and again, in runs of each size, by as many threads as the node's ingest pool has (each
 * run single-threaded inside, as on the node). This is what batching the faces of many documents of a bulk could gain.
 */
final class EmbedderRunSizes {
    private static final int ROUNDS = 3;

    private EmbedderRunSizes() {}

    /** Milliseconds inside the model per face for each run size, the median of the rounds (sizes interleaved). */
    record Result(int faces, int[] runSizes, double[] msPerFace) {
        Map<String, String> figures() {
            Map<String, String> figures = new LinkedHashMap<>();
            for (int i = 0; i < runSizes.length; i++) {
                figures.put("embed_ms_per_face_run" + runSizes[i], String.format(Locale.ROOT, "%.3f", msPerFace[i]));
            }
            return figures;
        }

        String describe() {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < runSizes.length; i++) {
                line.append(String.format(Locale.ROOT, "%s%d per run %.3f ms", i == 0 ? "" : ", ", runSizes[i], msPerFace[i]));
            }
            return line.toString();
        }
    }

    static Result measure(FaceAnalyzer analyzer, DetectionOptions detection, List<byte[]> photos, int threads, int[] runSizes) {
        List<byte[]> crops = alignedFaces(analyzer, detection, photos);
        if (crops.isEmpty()) {
            throw new BenchException("no face in the photos: nothing to embed");
        }
        FaceEmbedder embedder = analyzer.embedder();
        double[][] rounds = new double[runSizes.length][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            for (int s = 0; s < runSizes.length; s++) {
                int size = runSizes[s];
                int runs = (crops.size() + size - 1) / size;
                long[] nanos = new long[runs];
                BenchThreads.parallel(runs, threads, r -> {
                    List<byte[]> run = crops.subList(r * size, Math.min(crops.size(), (r + 1) * size));
                    nanos[r] = embedder.embed(run, size).inferenceNanos();
                });
                rounds[s][round] = Arrays.stream(nanos).sum() / 1e6 / crops.size();
            }
        }
        double[] median = new double[runSizes.length];
        for (int s = 0; s < runSizes.length; s++) {
            Arrays.sort(rounds[s]);
            median[s] = rounds[s][ROUNDS / 2];
        }
        return new Result(crops.size(), runSizes.clone(), median);
    }

    /** Every face the node would embed, aligned as the analyzer aligns it (from the photo decoded for detection). */
    private static List<byte[]> alignedFaces(FaceAnalyzer analyzer, DetectionOptions detection, List<byte[]> photos) {
        FaceAligner aligner = new FaceAligner(analyzer.embedder().cropSize());
        List<byte[]> crops = new ArrayList<>();
        for (byte[] photo : photos) {
            try (DecodedImage image = analyzer.decodeForDetection(photo)) {
                List<DetectedFace> faces = analyzer.detector().detect(image, detection.minScore()).faces();
                for (DetectedFace face : faces.subList(0, Math.min(faces.size(), detection.maxFaces()))) {
                    crops.add(aligner.align(image, face.landmarks()));
                }
            } catch (RuntimeException e) {
                // a photo the node refuses has no face to embed
            }
        }
        return crops;
    }
}
