package io.facesearch.erase;

import io.facesearch.people.FacePersonFields;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an erasure does to one photo, decided on its whole source: the faces that match, and whether the photo goes
 * whole (a label on the photo itself names the subject, or the erasure deletes whole photos).
 */
final class PhotoErasure {
    /** A matching face: its position in the photo's faces, its similarity to the example (NaN without one). */
    record MatchedFace(int position, double similarity, Object person, Object box) {}

    private final Map<String, Object> photo;
    private final List<?> faces;
    private final List<MatchedFace> matched;
    private final boolean wholePhoto;
    private final boolean photoLabelled;

    private PhotoErasure(Map<String, Object> photo, List<?> faces, List<MatchedFace> matched, boolean wholePhoto, boolean photoLabelled) {
        this.photo = photo;
        this.faces = faces;
        this.matched = matched;
        this.wholePhoto = wholePhoto;
        this.photoLabelled = photoLabelled;
    }

    static PhotoErasure of(String index, Map<String, Object> photo, EraseCriteria criteria, boolean wholePhotos) {
        List<?> faces = photo.get(FacePersonFields.FACES) instanceof List<?> list ? list : List.of();
        List<MatchedFace> matched = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            if (faces.get(i) instanceof Map<?, ?> face) {
                Double similarity = criteria.matchesFace(index, face);
                if (similarity != null) {
                    matched.add(new MatchedFace(i, similarity, face.get(FacePersonFields.PERSON), face.get("box")));
                }
            }
        }
        boolean labelled = criteria.matchesPhoto(photo);
        return new PhotoErasure(photo, faces, matched, labelled || (wholePhotos && matched.isEmpty() == false), labelled);
    }

    /** Whether nothing of the photo matches (the search found it, but no face passes the comparison here). */
    boolean nothing() {
        return matched.isEmpty() && photoLabelled == false;
    }

    boolean wholePhoto() {
        return wholePhoto;
    }

    List<MatchedFace> matchedFaces() {
        return matched;
    }

    /**
     * The persons of every face of the photo: those of the faces erased lose them, and the others' positions change,
     * which their persons' representatives point at.
     */
    Set<String> persons() {
        Set<String> persons = new LinkedHashSet<>();
        for (Object face : faces) {
            if (face instanceof Map<?, ?> fields && fields.get(FacePersonFields.PERSON) instanceof String person) {
                persons.add(person);
            }
        }
        return persons;
    }

    /**
     * The photo without the matching faces: the others renumbered, the face count updated, and the stored photo and
     * the photo's CLIP vector removed, as both were made from pixels that show the subject.
     */
    Map<String, Object> remainingPhoto(FaceErasure.PhotoIndex index) {
        Map<String, Object> kept = new LinkedHashMap<>(photo);
        Set<Integer> erased = new LinkedHashSet<>();
        matched.forEach(face -> erased.add(face.position()));
        List<Object> remaining = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            if (erased.contains(i)) {
                continue;
            }
            Object face = faces.get(i);
            if (face instanceof Map<?, ?> fields && fields.get("index") instanceof Number) {
                Map<Object, Object> renumbered = new LinkedHashMap<>(fields);
                renumbered.put("index", remaining.size());
                face = renumbered;
            }
            remaining.add(face);
        }
        kept.put(FacePersonFields.FACES, remaining);
        if (kept.get(index.photoField()) instanceof Map<?, ?> facts) {
            Map<Object, Object> updated = new LinkedHashMap<>(facts);
            updated.put("face_count", remaining.size());
            kept.put(index.photoField(), updated);
        }
        kept.remove(index.imageField());
        kept.remove(index.clipField());
        return kept;
    }

    /** The photo as a dry run lists it: which faces would go, how similar, whose. */
    Map<String, Object> listing(String index, String id) {
        Map<String, Object> listed = new LinkedHashMap<>();
        listed.put("_index", index);
        listed.put("_id", id);
        listed.put("whole_photo", wholePhoto);
        List<Object> shown = new ArrayList<>();
        for (MatchedFace face : matched) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("face", face.position());
            if (Double.isNaN(face.similarity()) == false) {
                entry.put("similarity", (float) face.similarity());
            }
            if (face.person() != null) {
                entry.put("person", face.person());
            }
            if (face.box() != null) {
                entry.put("box", face.box());
            }
            shown.add(entry);
        }
        listed.put("faces", shown);
        return listed;
    }
}
