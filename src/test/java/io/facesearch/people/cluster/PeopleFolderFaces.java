package io.facesearch.people.cluster;

import io.facesearch.vision.AnalyzedFace;
import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.FaceVerifier;
import io.facesearch.vision.TestModels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Every face of the labelled photos ({@code people/IDENTITY/*}), embedded in the test with the node's default
 * models and options (flip averaging, detector score 0.6), once per JVM. The main face of each photo carries its
 * folder's label; the other faces (people in the background) are unlabelled.
 */
final class PeopleFolderFaces {
    /** A face, with the identity of its folder when it is the photo's subject (null otherwise). */
    record LabelledFace(ClusterFace face, String identity) {}

    private static List<LabelledFace> faces;

    private PeopleFolderFaces() {}

    static synchronized List<LabelledFace> all() {
        if (faces == null) {
            faces = analyse();
        }
        return faces;
    }

    private static List<LabelledFace> analyse() {
        Path people = TestModels.facesDir().resolve("people");
        List<Path> photos;
        try (Stream<Path> files = Files.walk(people)) {
            photos = files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (FaceAnalyzer analyzer = FaceAnalyzer.open(TestModels.config("yunet_2023mar", true))) {
            List<Future<List<LabelledFace>>> results = new ArrayList<>();
            for (Path photo : photos) {
                results.add(threads.submit(() -> facesOf(analyzer, people, photo)));
            }
            List<LabelledFace> all = new ArrayList<>();
            for (Future<List<LabelledFace>> result : results) {
                all.addAll(result.get());
            }
            return List.copyOf(all);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            threads.shutdownNow();
        }
    }

    private static List<LabelledFace> facesOf(FaceAnalyzer analyzer, Path people, Path photo) throws IOException {
        FaceAnalysis analysis = analyzer.analyze(Files.readAllBytes(photo), new DetectionOptions(0.6f, 0, 100), true);
        List<LabelledFace> found = new ArrayList<>();
        int main = analysis.faces().isEmpty() ? -1 : FaceVerifier.mainFace(analysis);
        String id = people.relativize(photo).toString();
        for (AnalyzedFace face : analysis.faces()) {
            ClusterFace clusterFace = new ClusterFace(
                new FaceKey("people", id, face.index()),
                face.embedding(),
                face.detection().score(),
                face.quality().size(),
                face.quality().frontal(),
                null,
                Set.of()
            );
            found.add(new LabelledFace(clusterFace, face.index() == main ? photo.getParent().getFileName().toString() : null));
        }
        return found;
    }
}
