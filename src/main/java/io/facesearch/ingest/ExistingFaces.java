package io.facesearch.ingest;

import org.opensearch.ingest.IngestDocument;

import java.util.List;
import java.util.Map;

/**
 * The faces an earlier run of the processor left in a document that now comes without its photo. {@code _update},
 * {@code _update_by_query} and {@code _reindex} send the whole stored document, vectors included, through the
 * index's default pipeline again; such a document keeps its faces when they are complete and the processor's own
 * models made them, since without the photo nothing could be analysed again.
 */
final class ExistingFaces {
    private ExistingFaces() {}

    /** Whether the document holds anything the processor writes: faces, or the photo's facts. */
    static boolean present(IngestDocument document, String targetField, String photoField) {
        return document.hasField(targetField) || document.hasField(photoField);
    }

    /**
     * Why the document's faces cannot be kept as they are, or null when they can: every face has its identity vector
     * (and its CLIP vector with {@code faceClip}), the photo's CLIP vector is there when CLIP is on, and
     * {@code photo.model} names {@code models}.
     *
     * @param clipField the photo's CLIP vector field, or null when the processor writes no CLIP vectors
     */
    static String whyNotKept(
        IngestDocument document,
        String targetField,
        String photoField,
        VectorModels models,
        String clipField,
        boolean faceClip
    ) {
        Object faces = document.hasField(targetField) ? document.getFieldValue(targetField, Object.class) : null;
        if ((faces instanceof List<?>) == false) {
            return "[" + targetField + "] is " + (faces == null ? "missing" : "not a list of faces");
        }
        List<?> list = (List<?>) faces;
        for (int i = 0; i < list.size(); i++) {
            String missing = missingVector(list.get(i), models.dimension(), faceClip);
            if (missing != null) {
                return "face " + i + " of [" + targetField + "] has no [" + missing + "] vector"
                    + (missing.equals("embedding") ? " of " + models.dimension() + " numbers" : "");
            }
        }
        if (clipField != null && document.hasField(clipField) == false) {
            return "[" + clipField + "] is missing";
        }
        String modelField = photoField + ".model";
        Object recorded = document.hasField(modelField) ? document.getFieldValue(modelField, Object.class) : null;
        if ((recorded instanceof Map<?, ?>) == false) {
            return "[" + modelField + "] is missing, so the models that made the faces are unknown";
        }
        String difference = models.differenceFrom((Map<?, ?>) recorded);
        if (difference != null) {
            return "the faces were made by other models than the processor's: [" + modelField + "] " + difference;
        }
        return null;
    }

    /** The vector a face object lacks ({@code embedding}, or {@code clip} when {@code faceClip}), or null. */
    private static String missingVector(Object face, int dimension, boolean faceClip) {
        Object embedding = face instanceof Map<?, ?> fields ? fields.get("embedding") : null;
        if (embedding instanceof List<?> values && values.size() == dimension) {
            return faceClip && (((Map<?, ?>) face).get("clip") instanceof List<?>) == false ? "clip" : null;
        }
        return "embedding";
    }
}
