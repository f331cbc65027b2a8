package io.facesearch.qa.bench;

import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.FaceVerifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A gallery of synthetic faces fitted to real ones, shared by the {@code knn} and {@code cluster} benchmarks: the node's
 * models, opened in this JVM, embed the main face of every photo under a folder of identities; {@link SyntheticFaces} is
 * fitted to the same-identity and different-identity similarities measured there; then {@code faces / perIdentity}
 * identity centres are drawn and {@code perIdentity} faces around each. Every step prints what it found, and the
 * statistics of the synthetic gallery are printed beside the real ones.
 *
 * @param generator  the fitted generator, to draw more faces (queries, identities not in the gallery)
 * @param real       same-identity [0] and different-identity [1] similarities of the real photos
 * @param synthetic  the same, measured on a sample of the gallery's pairs
 * @param centres    one centre per identity
 * @param vectors    the faces, unit length, in the model's dimension
 * @param identity   the identity of each face: face i belongs to identity {@code min(identities - 1, i / perIdentity)}
 */
record SyntheticGallery(SyntheticFaces generator, SyntheticFaces.Stats[] real, SyntheticFaces.Stats[] synthetic, double[][] centres,
    float[][] vectors, int[] identity) {

    int identities() {
        return centres.length;
    }

    int dimension() {
        return generator.params().dim();
    }

    /**
     * Measures the real photos under {@code people} (one folder per identity), fits the generator (seeded by
     * {@code seed}) and draws the gallery from {@code random}: the centres first, then the faces in order, so that the
     * caller can go on drawing from the same {@code random}.
     */
    static SyntheticGallery build(NodeModels models, Path modelsDir, Path people, int faces, int perIdentity, long seed, Random random)
        throws IOException {
        List<float[]> realVectors = new ArrayList<>();
        List<String> realLabels = new ArrayList<>();
        int dim;
        int photos = 0;
        int noFace = 0;
        long embedStart = System.nanoTime();
        try (FaceAnalyzer analyzer = models.openAnalyzer(modelsDir)) {
            dim = analyzer.embedder().dimension();
            DetectionOptions detection = models.detectionOptions();
            List<Path> dirs;
            try (Stream<Path> s = Files.list(people)) {
                dirs = s.filter(Files::isDirectory).sorted().toList();
            } catch (IOException e) {
                throw new BenchException("--people " + people + " is not a readable folder: " + e.getMessage());
            }
            for (Path dir : dirs) {
                List<Path> files;
                try (Stream<Path> s = Files.list(dir)) {
                    files = s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(".") == false).sorted().toList();
                }
                for (Path file : files) {
                    photos++;
                    try {
                        FaceAnalysis analysis = analyzer.analyze(Files.readAllBytes(file), detection, true);
                        if (analysis.faces().isEmpty()) {
                            noFace++;
                            continue;
                        }
                        realVectors.add(analysis.faces().get(FaceVerifier.mainFace(analysis)).embedding());
                        realLabels.add(dir.getFileName().toString());
                    } catch (RuntimeException e) {
                        noFace++;
                    }
                }
            }
        }
        SyntheticFaces.Stats[] real = SyntheticFaces.pairStats(realVectors, realLabels);
        say(
            "real: %d photos of %s embedded in-process in %.1f s (%d without a face); %d-d",
            photos,
            people,
            BenchThreads.seconds(System.nanoTime() - embedStart),
            noFace,
            dim
        );
        if (real[0].count() == 0 || real[1].count() == 0) {
            throw new BenchException("--people " + people + " gave no pair of faces of one identity or of two: the generator cannot be fitted");
        }

        SyntheticFaces.Params fitted = SyntheticFaces.fit(dim, real[0], real[1]);
        SyntheticFaces.Params params = SyntheticFaces.calibrate(fitted, real[0], seed + 1000);
        SyntheticFaces generator = new SyntheticFaces(params);
        say(
            "synthetic model: shared component rho=%.4f, effective dimension %.1f (of %d), closeness to the identity centre a ~ N(%.4f, %.4f) "
                + "(analytic fit N(%.4f, %.4f))",
            params.rho(),
            params.effectiveDim(),
            dim,
            params.aMean(),
            params.aStd(),
            fitted.aMean(),
            fitted.aStd()
        );
        int identities = Math.max(1, faces / perIdentity);
        double[][] centres = new double[identities][];
        for (int i = 0; i < identities; i++) {
            centres[i] = generator.centre(random);
        }
        float[][] vectors = new float[faces][];
        int[] identity = new int[faces];
        for (int i = 0; i < faces; i++) {
            identity[i] = Math.min(identities - 1, i / perIdentity);
            vectors[i] = generator.face(centres[identity[i]], random);
        }
        SyntheticFaces.Stats[] synthetic = SyntheticFaces.measure(vectors, identity, 200_000, 200_000, new Random(seed + 7));
        say("similarity statistics          real (mean / std / pairs)         synthetic (mean / std / pairs)");
        say(
            "  same identity         %8.4f / %.4f / %-10d   %8.4f / %.4f / %d",
            real[0].mean(),
            real[0].std(),
            real[0].count(),
            synthetic[0].mean(),
            synthetic[0].std(),
            synthetic[0].count()
        );
        say(
            "  different identity    %8.4f / %.4f / %-10d   %8.4f / %.4f / %d",
            real[1].mean(),
            real[1].std(),
            real[1].count(),
            synthetic[1].mean(),
            synthetic[1].std(),
            synthetic[1].count()
        );
        say("  (random unit vectors in %d-d: mean 0, std %.4f)", dim, 1 / Math.sqrt(dim));
        return new SyntheticGallery(generator, real, synthetic, centres, vectors, identity);
    }

    private static void say(String format, Object... args) {
        VerifyBenchmark.say(format, args);
    }
}
