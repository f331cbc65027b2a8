package io.facesearch.qa.bench;

import io.facesearch.vision.AnalyzedFace;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceVerifier;
import io.facesearch.vision.detect.DetectedFace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A photo document read back from a photo index without its vectors: its size, and each face's box and person.
 *
 * @param id      the document's {@code _id}
 * @param width   {@code photo.width}, 0 when the document has none
 * @param height  {@code photo.height}, 0 when the document has none
 * @param faces   its {@code faces}, in the stored order
 */
record StoredPhoto(String id, int width, int height, List<Face> faces) {
    /** The {@code _source} fields a search must ask for to read a photo back (no vector among them). */
    static final List<String> SOURCE_FIELDS = List.of("photo.width", "photo.height", "faces.index", "faces.box", "faces.person");

    /**
     * One face.
     *
     * @param index   {@code faces.index}, the face's position among the photo's detections (0 = largest)
     * @param person  {@code faces.person}, null while the face is unassigned
     */
    record Face(int index, float x, float y, float width, float height, String person) {}

    /** Reads a search hit (or GET answer) holding {@code _id} and the {@link #SOURCE_FIELDS} of {@code _source}. */
    @SuppressWarnings("unchecked")
    static StoredPhoto fromHit(Map<String, Object> hit) {
        String id = String.valueOf(hit.get("_id"));
        Map<String, Object> source = hit.get("_source") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        List<Face> faces = new ArrayList<>();
        List<Map<String, Object>> stored = BenchJson.objects(source.get("faces"));
        for (int i = 0; i < stored.size(); i++) {
            Map<String, Object> face = stored.get(i);
            Object person = face.get("person");
            faces.add(
                new Face(
                    (int) BenchJson.number(face.get("index"), i),
                    (float) BenchJson.number(NodeHttpClient.at(face, "box.x"), 0),
                    (float) BenchJson.number(NodeHttpClient.at(face, "box.y"), 0),
                    (float) BenchJson.number(NodeHttpClient.at(face, "box.width"), 0),
                    (float) BenchJson.number(NodeHttpClient.at(face, "box.height"), 0),
                    person == null ? null : person.toString()
                )
            );
        }
        return new StoredPhoto(
            id,
            (int) BenchJson.number(NodeHttpClient.at(source, "photo.width"), 0),
            (int) BenchJson.number(NodeHttpClient.at(source, "photo.height"), 0),
            List.copyOf(faces)
        );
    }

    /**
     * The position in {@link #faces} of the photo's main face, the one {@code verify}, {@code identify} and
     * {@code face_match} take a photo to be "of", or -1 when it has no face. The node's own rule
     * ({@link FaceVerifier#mainFace}: large and near the centre) applied to the stored boxes and photo size, which are
     * the detector's own numbers, so the choice is the node's.
     */
    int mainFace() {
        if (faces.isEmpty()) {
            return -1;
        }
        if (width <= 0 || height <= 0) {
            throw new BenchException("photo [" + id + "] has faces but no photo.width and photo.height: its main face cannot be chosen");
        }
        List<AnalyzedFace> analysed = new ArrayList<>(faces.size());
        for (Face f : faces) {
            analysed.add(new AnalyzedFace(f.index(), new DetectedFace(f.x(), f.y(), f.width(), f.height(), 0, new float[10]), null, null));
        }
        int mainIndex = FaceVerifier.mainFace(new FaceAnalysis(width, height, null, analysed, 0, 0, 0, 0));
        for (int i = 0; i < faces.size(); i++) {
            if (faces.get(i).index() == mainIndex) {
                return i;
            }
        }
        throw new IllegalStateException("main face " + mainIndex + " is not among the faces of [" + id + "]");
    }

    /** The main face, or null when the photo has no face. */
    Face main() {
        int i = mainFace();
        return i < 0 ? null : faces.get(i);
    }
}
