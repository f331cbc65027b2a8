package io.facesearch.ingest;

import io.facesearch.common.StoredVectors;
import io.facesearch.people.FacePersonFields;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Keeps who a face is across a new analysis of its photo: when a document that already has faces is analysed again
 * (a new photo by {@code _update}, or re-embedding with other models by {@code _update_by_query} or {@code _reindex}),
 * each new face takes the {@code person} and {@code not_persons} of the earlier face it stands for. Without this a
 * model change, or a detector that boxes faces a little differently, would throw away every name users gave.
 *
 * <p>Faces are paired by their boxes (the photo is the same; only models changed), each earlier face with at most one
 * new face, best overlaps first. When both analyses used the same embedder their vectors are comparable too, and a
 * pair must also be the same person by the verification threshold: that keeps a replaced photo's new faces from
 * inheriting the persons of whoever stood there before.
 */
final class FacePersonCarryOver {
    /** The least intersection over union of two boxes of one face found by two detectors. */
    static final double MIN_BOX_OVERLAP = 0.5;

    private FacePersonCarryOver() {}

    /**
     * Copies the person fields of {@code previousFaces} onto the matching faces of {@code faces}.
     *
     * @param previousFaces  the document's faces before this analysis (anything: a document may hold what it likes)
     * @param previousModel  the earlier {@code photo.model}, or null
     * @param faces          the new faces, written by the processor (mutable maps)
     * @param models         the models of the new faces
     * @param sameFaceSimilarity cosine similarity from which two vectors of one embedder are the same person
     * @return how many faces took person fields over
     */
    static int carry(Object previousFaces, Object previousModel, List<Map<String, Object>> faces, VectorModels models, float sameFaceSimilarity) {
        if ((previousFaces instanceof List<?>) == false || ((List<?>) previousFaces).isEmpty() || faces.isEmpty()) {
            return 0;
        }
        List<?> previous = (List<?>) previousFaces;
        boolean comparable = previousModel instanceof Map<?, ?> recorded
            && models.embedderSha256().equals(recorded.get("embedder_sha256"))
            && recorded.get("dimension") instanceof Number dimension
            && dimension.intValue() == models.dimension();
        record Pair(int before, int after, double overlap) {}
        List<Pair> pairs = new ArrayList<>();
        for (int before = 0; before < previous.size(); before++) {
            if ((previous.get(before) instanceof Map<?, ?>) == false || hasPersonFields((Map<?, ?>) previous.get(before)) == false) {
                continue;
            }
            Map<?, ?> old = (Map<?, ?>) previous.get(before);
            float[] oldBox = box(old.get("box"));
            if (oldBox == null) {
                continue;
            }
            for (int after = 0; after < faces.size(); after++) {
                Map<String, Object> face = faces.get(after);
                double overlap = overlap(oldBox, box(face.get("box")));
                if (overlap < MIN_BOX_OVERLAP) {
                    continue;
                }
                if (comparable && (StoredVectors.cosine(old.get("embedding"), face.get("embedding")) >= sameFaceSimilarity) == false) {
                    continue;
                }
                pairs.add(new Pair(before, after, overlap));
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::overlap).reversed().thenComparingInt(Pair::after).thenComparingInt(Pair::before));
        boolean[] beforeTaken = new boolean[previous.size()];
        boolean[] afterTaken = new boolean[faces.size()];
        int carried = 0;
        for (Pair pair : pairs) {
            if (beforeTaken[pair.before()] || afterTaken[pair.after()]) {
                continue;
            }
            beforeTaken[pair.before()] = true;
            afterTaken[pair.after()] = true;
            Map<?, ?> old = (Map<?, ?>) previous.get(pair.before());
            Map<String, Object> face = faces.get(pair.after());
            copy(old, face, FacePersonFields.PERSON);
            copy(old, face, FacePersonFields.NOT_PERSONS);
            carried++;
        }
        return carried;
    }

    private static boolean hasPersonFields(Map<?, ?> face) {
        return face.get(FacePersonFields.PERSON) != null || face.get(FacePersonFields.NOT_PERSONS) != null;
    }

    private static void copy(Map<?, ?> from, Map<String, Object> to, String field) {
        Object value = from.get(field);
        if (value != null) {
            to.put(field, value instanceof List<?> list ? new ArrayList<>(list) : value);
        }
    }

    /** A face object's box as x, y, width, height, or null when it has none that can be read. */
    private static float[] box(Object box) {
        if ((box instanceof Map<?, ?>) == false) {
            return null;
        }
        Map<?, ?> fields = (Map<?, ?>) box;
        float[] values = new float[4];
        String[] names = { "x", "y", "width", "height" };
        for (int i = 0; i < names.length; i++) {
            if ((fields.get(names[i]) instanceof Number) == false || Double.isFinite(((Number) fields.get(names[i])).doubleValue()) == false) {
                return null;
            }
            values[i] = ((Number) fields.get(names[i])).floatValue();
        }
        return values[2] > 0 && values[3] > 0 ? values : null;
    }

    /** Intersection over union of two boxes; 0 when either is missing. */
    static double overlap(float[] a, float[] b) {
        if (a == null || b == null) {
            return 0;
        }
        double width = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
        double height = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
        if (width <= 0 || height <= 0) {
            return 0;
        }
        double intersection = width * height;
        return intersection / ((double) a[2] * a[3] + (double) b[2] * b[3] - intersection);
    }
}
