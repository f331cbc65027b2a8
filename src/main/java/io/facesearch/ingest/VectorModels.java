package io.facesearch.ingest;

import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.clip.ClipEngine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The models that made a document's vectors, as the {@code face} processor records them under {@code photo.model}.
 *
 * @param clip       the CLIP image model, or null when no CLIP vectors are written
 * @param clipSha256 its sha256, or null
 */
record VectorModels(
    String detector,
    String embedder,
    String embedderSha256,
    int dimension,
    boolean flipAverage,
    String clip,
    String clipSha256
) {
    /** The keys of {@code photo.model} that must be equal for vectors to be of the same models; see {@link #differenceFrom}. */
    private static final List<String> COMPARED = List.of("detector", "embedder", "embedder_sha256", "dimension", "clip", "clip_sha256");

    static VectorModels of(FaceAnalyzer analyzer, ClipEngine clipEngine) {
        return new VectorModels(
            analyzer.detector().spec().name(),
            analyzer.embedder().spec().name(),
            analyzer.embedder().spec().sha256(),
            analyzer.embedder().dimension(),
            analyzer.embedder().flipAverage(),
            clipEngine == null ? null : clipEngine.imageModel().name(),
            clipEngine == null ? null : clipEngine.imageModel().sha256()
        );
    }

    /** As written to {@code photo.model}. */
    Map<String, Object> asMap() {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("detector", detector);
        model.put("embedder", embedder);
        model.put("embedder_sha256", embedderSha256);
        model.put("dimension", dimension);
        model.put("flip_average", flipAverage);
        if (clip != null) {
            model.put("clip", clip);
            model.put("clip_sha256", clipSha256);
        }
        return model;
    }

    /**
     * The first key of {@code recorded} (a document's {@code photo.model}) that names another model than these, as
     * {@code key [recorded value], now [value]}, or null when these models made the document's vectors. Flip
     * averaging is not compared: a face embedded with or without its mirror image lies in the same vector space.
     * Without CLIP here, a recorded CLIP model does not matter either: its vectors are kept as they are.
     */
    String differenceFrom(Map<?, ?> recorded) {
        Map<String, Object> current = asMap();
        for (String key : COMPARED) {
            if (clip == null && key.startsWith("clip")) {
                continue;
            }
            Object now = current.get(key);
            Object then = recorded.get(key);
            boolean same = now instanceof Number n && then instanceof Number t ? n.longValue() == t.longValue() : Objects.equals(now, then);
            if (same == false) {
                return key + " [" + then + "], now [" + now + "]";
            }
        }
        return null;
    }
}
