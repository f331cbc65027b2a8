package io.facesearch.vision;

import io.facesearch.vision.embed.FaceEmbedder;

/** 1:1 verification: are the chosen faces of two analysed photos the same person? */
public final class FaceVerifier {
    private FaceVerifier() {}

    /**
     * Compares face {@code faceA} of {@code a} with face {@code faceB} of {@code b}; a null index means the
     * photo's {@linkplain #mainFace main face}.
     *
     * @throws NoFaceFoundException     when a photo has no face
     * @throws IllegalArgumentException when a face index is out of range
     */
    public static Verification verify(String nameA, FaceAnalysis a, Integer faceA, String nameB, FaceAnalysis b, Integer faceB, float threshold) {
        AnalyzedFace first = choose(nameA, a, faceA);
        AnalyzedFace second = choose(nameB, b, faceB);
        float similarity = FaceEmbedder.cosine(first.embedding(), second.embedding());
        return new Verification(similarity, threshold, similarity >= threshold, first, second);
    }

    private static AnalyzedFace choose(String name, FaceAnalysis analysis, Integer index) {
        if (analysis.faces().isEmpty()) {
            throw new NoFaceFoundException("no face found in [" + name + "]");
        }
        int chosen = index == null ? mainFace(analysis) : index;
        if (chosen < 0 || chosen >= analysis.faces().size()) {
            throw new IllegalArgumentException(
                "[" + name + "] has " + analysis.faces().size() + " face(s); face index " + chosen + " is out of range"
            );
        }
        AnalyzedFace face = analysis.faces().get(chosen);
        if (face.embedding() == null) {
            throw new IllegalArgumentException("[" + name + "] was analysed without embeddings");
        }
        return face;
    }

    /**
     * The face a photo is "of": large and near the centre. The largest box alone is misled by a big partial
     * face cut by the photo's edge; its area, less twice the squared distance of its centre from the photo's
     * centre, is not.
     */
    public static int mainFace(FaceAnalysis analysis) {
        double centreX = analysis.width() / 2.0;
        double centreY = analysis.height() / 2.0;
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (AnalyzedFace face : analysis.faces()) {
            var box = face.detection();
            double dx = box.x() + box.width() / 2 - centreX;
            double dy = box.y() + box.height() / 2 - centreY;
            double value = box.area() - 2 * (dx * dx + dy * dy);
            if (value > bestValue) {
                bestValue = value;
                best = face.index();
            }
        }
        return best;
    }

    /** The outcome: cosine similarity, the threshold used, the decision, and the faces compared. */
    public record Verification(float similarity, float threshold, boolean samePerson, AnalyzedFace faceA, AnalyzedFace faceB) {}
}
