package io.facesearch.ingest;

import io.facesearch.engine.FaceEngineService;
import io.facesearch.stats.FaceStats;
import io.facesearch.vision.AnalyzedFace;
import io.facesearch.vision.DetectionOptions;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceAnalyzer;
import io.facesearch.vision.FaceQuality;
import io.facesearch.vision.clip.ClipEngine;
import io.facesearch.vision.detect.DetectedFace;
import io.facesearch.vision.image.Base64Photo;
import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.image.InvalidImageException;

import org.opensearch.common.util.concurrent.AbstractRunnable;
import org.opensearch.ingest.AbstractProcessor;
import org.opensearch.ingest.IngestDocument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The {@code face} ingest processor: reads a base64 photo from a field, finds its faces and writes one
 * object per face (box, landmarks, score, quality, identity vector) plus photo-level facts, and, with {@code clip}
 * on, the photo's CLIP vector (and each face's, with {@code face_clip}).
 *
 * <p>A document without its photo keeps the faces it already has when this processor's models made them: an update
 * or a reindex sends the whole stored document through the index's default pipeline again.
 *
 * <p>The work runs on the plugin's ingest thread pool, not on the write thread that called the processor, so
 * every document of a bulk request is analysed in parallel on all cores.
 */
public final class FaceProcessor extends AbstractProcessor {
    public static final String TYPE = "face";

    private final Supplier<FaceEngineService> engine;
    private final String field;
    private final String targetField;
    private final String photoField;
    private final boolean ignoreMissing;
    private final boolean removeImage;
    private final Float minScore;
    private final Integer minFaceSize;
    private final Integer maxFaces;
    private final String detector;
    private final String embedder;
    private final boolean clip;
    private final String clipField;
    private final boolean faceClip;
    private final TargetMappingCheck mappingCheck;

    FaceProcessor(
        String tag,
        String description,
        Supplier<FaceEngineService> engine,
        String field,
        String targetField,
        String photoField,
        boolean ignoreMissing,
        boolean removeImage,
        Float minScore,
        Integer minFaceSize,
        Integer maxFaces,
        String detector,
        String embedder,
        boolean clip,
        String clipField,
        boolean faceClip,
        TargetMappingCheck mappingCheck
    ) {
        super(tag, description);
        this.engine = engine;
        this.field = field;
        this.targetField = targetField;
        this.photoField = photoField;
        this.ignoreMissing = ignoreMissing;
        this.removeImage = removeImage;
        this.minScore = minScore;
        this.minFaceSize = minFaceSize;
        this.maxFaces = maxFaces;
        this.detector = detector;
        this.embedder = embedder;
        this.clip = clip;
        this.clipField = clipField;
        this.faceClip = faceClip;
        this.mappingCheck = mappingCheck;
    }

    @Override
    public String getType() {
        return TYPE;
    }

    String field() {
        return field;
    }

    String targetField() {
        return targetField;
    }

    String photoField() {
        return photoField;
    }

    boolean ignoreMissing() {
        return ignoreMissing;
    }

    boolean removeImage() {
        return removeImage;
    }

    Float minScore() {
        return minScore;
    }

    Integer minFaceSize() {
        return minFaceSize;
    }

    Integer maxFaces() {
        return maxFaces;
    }

    String detector() {
        return detector;
    }

    String embedder() {
        return embedder;
    }

    boolean clip() {
        return clip;
    }

    String clipField() {
        return clipField;
    }

    boolean faceClip() {
        return faceClip;
    }

    @Override
    public void execute(IngestDocument document, BiConsumer<IngestDocument, Exception> handler) {
        countDocument();
        final String photo;
        try {
            photo = readPhotoField(document);
            if (photo == null) {
                passWithoutPhoto(document);
            }
        } catch (Exception e) {
            handler.accept(null, e);
            return;
        }
        if (photo == null) {
            handler.accept(document, null);
            return;
        }
        // base64 decoding too happens on the worker: the write thread only hands the document over
        engine.get().executeIngest(new AbstractRunnable() {
            @Override
            protected void doRun() {
                process(document, Base64Photo.decode(photo, field));
                handler.accept(document, null);
            }

            @Override
            public void onFailure(Exception e) {
                handler.accept(null, e);
            }
        });
    }

    /** Synchronous form, for callers that cannot wait asynchronously: runs on the calling thread. */
    @Override
    public IngestDocument execute(IngestDocument document) {
        countDocument();
        String photo = readPhotoField(document);
        if (photo == null) {
            passWithoutPhoto(document);
        } else {
            process(document, Base64Photo.decode(photo, field));
        }
        return document;
    }

    private void countDocument() {
        FaceEngineService service = engine.get();
        if (service != null) {
            service.stats().request(FaceStats.Source.INGEST);
        }
    }

    /** The photo as base64, or null when the field is missing or null. */
    private String readPhotoField(IngestDocument document) {
        Object value = document.hasField(field, true) ? document.getFieldValue(field, Object.class, true) : null;
        if (value == null) {
            return null;
        }
        if ((value instanceof String) == false) {
            throw new IllegalArgumentException(
                "field [" + field + "] must be a base64 string holding the photo, got " + value.getClass().getSimpleName()
            );
        }
        return (String) value;
    }

    /**
     * A document without its photo passes unchanged when it keeps the faces of this processor's models, as an
     * {@code _update} or a {@code _reindex} of an analysed document does, or, whatever it holds, with
     * {@code ignore_missing}; otherwise it fails.
     */
    private void passWithoutPhoto(IngestDocument document) {
        if (ExistingFaces.present(document, targetField, photoField) == false) {
            if (ignoreMissing) {
                return;
            }
            throw missingPhoto(null);
        }
        FaceEngineService service = engine.get();
        FaceAnalyzer analyzer = service.analyzer(detector, embedder);
        ClipEngine clipEngine = clip ? service.clip() : null;
        VectorModels models = VectorModels.of(analyzer, clipEngine);
        String reason = ExistingFaces.whyNotKept(document, targetField, photoField, models, clip ? clipField : null, faceClip);
        if (reason == null) {
            // the kept faces are written to the target index as much as new ones would be
            checkMapping(document, analyzer, clipEngine);
            return;
        }
        if (ignoreMissing) {
            return;
        }
        throw missingPhoto(reason);
    }

    /** The error of a document without its photo; {@code whyFacesNotKept} says why its faces cannot stand in for it (null: it has none). */
    private IllegalArgumentException missingPhoto(String whyFacesNotKept) {
        String message = "field [" + field + "] is missing or null; it must hold the photo as base64";
        if (whyFacesNotKept != null) {
            message += " (a document without its photo keeps its faces only when they are complete and of the processor's models, but "
                + whyFacesNotKept
                + ")";
        }
        return new IllegalArgumentException(message);
    }

    /**
     * Refuses a document whose target index would not keep its faces as nested objects with vectors of the models'
     * dimensions; returns how that index stores the faces' vectors.
     */
    private VectorCompression checkMapping(IngestDocument document, FaceAnalyzer analyzer, ClipEngine clipEngine) {
        String index = document.getSourceAndMetadata().get(IngestDocument.Metadata.INDEX.getFieldName()) instanceof String s ? s : null;
        mappingCheck.checkNested(index, targetField);
        VectorCompression faceVectors = mappingCheck.check(
            index,
            targetField + ".embedding",
            analyzer.embedder().dimension(),
            analyzer.embedder().spec().name()
        );
        if (clipEngine != null) {
            mappingCheck.check(index, clipField, clipEngine.dimension(), clipEngine.imageModel().name());
            if (faceClip) {
                mappingCheck.check(index, targetField + ".clip", clipEngine.dimension(), clipEngine.imageModel().name());
            }
        }
        return faceVectors;
    }

    private void process(IngestDocument document, byte[] photo) {
        FaceEngineService service = engine.get();
        FaceAnalyzer analyzer = service.analyzer(detector, embedder);
        ClipEngine clipEngine = clip ? service.clip() : null;
        VectorCompression faceVectors = checkMapping(document, analyzer, clipEngine);
        DetectionOptions options = service.detectionOptions(minScore, minFaceSize, maxFaces);
        FaceAnalysis analysis;
        float[][] clipVectors;
        // the photo's pixels hold their share of the decoding breaker until both models are done with them
        try (DecodedImage image = decode(() -> analyzer.decodeForDetection(photo))) {
            analysis = analyzer.analyze(image, longSide -> decode(() -> analyzer.decoder().decode(photo, longSide)), options, true);
            clipVectors = clipEngine == null ? null : clipEngine.embedImages(image, faceClip ? faceBoxes(analysis, image) : List.of());
        }
        List<Map<String, Object>> faces = new ArrayList<>(analysis.faces().size());
        for (AnalyzedFace face : analysis.faces()) {
            Map<String, Object> faceFields = faceDocument(face, faceVectors);
            if (clipVectors != null && faceClip) {
                faceFields.put("clip", VectorCompression.NONE.sourceValues(clipVectors[1 + face.index()]));
            }
            faces.add(faceFields);
        }
        VectorModels models = VectorModels.of(analyzer, clipEngine);
        carryPersons(document, faces, models, service.verifyThreshold());
        document.setFieldValue(targetField, faces);
        Map<String, Object> photoFacts = new LinkedHashMap<>();
        photoFacts.put("width", analysis.width());
        photoFacts.put("height", analysis.height());
        photoFacts.put("format", analysis.format().label());
        photoFacts.put("face_count", analysis.faces().size());
        photoFacts.put("model", models.asMap());
        document.setFieldValue(photoField, photoFacts);
        if (clipVectors != null) {
            document.setFieldValue(clipField, VectorCompression.NONE.sourceValues(clipVectors[0]));
        }
        if (removeImage) {
            document.removeField(field);
        }
    }

    /** The persons of the faces the document held before this analysis, on the new faces that stand for them. */
    private void carryPersons(IngestDocument document, List<Map<String, Object>> faces, VectorModels models, float sameFaceSimilarity) {
        if (document.hasField(targetField) == false) {
            return;
        }
        String modelField = photoField + ".model";
        Object previousModel = document.hasField(modelField) ? document.getFieldValue(modelField, Object.class) : null;
        FacePersonCarryOver.carry(document.getFieldValue(targetField, Object.class), previousModel, faces, models, sameFaceSimilarity);
    }

    /** The photo decoded by {@code decoding}; a bad photo's error names the field. */
    private DecodedImage decode(Supplier<DecodedImage> decoding) {
        try {
            return decoding.get();
        } catch (InvalidImageException e) {
            throw e.in("field [" + field + "]");
        }
    }

    /** Face boxes in the decoded image's pixels (the analysis reports them in the original photo's). */
    private static List<float[]> faceBoxes(FaceAnalysis analysis, DecodedImage image) {
        double toImage = 1 / image.scaleToSource();
        List<float[]> boxes = new ArrayList<>(analysis.faces().size());
        for (AnalyzedFace face : analysis.faces()) {
            DetectedFace box = face.detection();
            boxes.add(
                new float[] {
                    (float) (box.x() * toImage),
                    (float) (box.y() * toImage),
                    (float) (box.width() * toImage),
                    (float) (box.height() * toImage) }
            );
        }
        return boxes;
    }

    /** A face as the document holds it, its identity vector as {@code faceVectors} stores it. */
    static Map<String, Object> faceDocument(AnalyzedFace face, VectorCompression faceVectors) {
        DetectedFace detection = face.detection();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("index", face.index());
        result.put("score", detection.score());
        Map<String, Object> box = new LinkedHashMap<>();
        box.put("x", detection.x());
        box.put("y", detection.y());
        box.put("width", detection.width());
        box.put("height", detection.height());
        result.put("box", box);
        Map<String, Object> landmarks = new LinkedHashMap<>();
        float[] points = detection.landmarks();
        for (int i = 0; i < DetectedFace.LANDMARK_NAMES.length; i++) {
            landmarks.put(DetectedFace.LANDMARK_NAMES[i], List.of(points[2 * i], points[2 * i + 1]));
        }
        result.put("landmarks", landmarks);
        FaceQuality quality = face.quality();
        Map<String, Object> qualityFields = new LinkedHashMap<>();
        qualityFields.put("size", quality.size());
        qualityFields.put("sharpness", quality.sharpness());
        qualityFields.put("frontal", quality.frontal());
        result.put("quality", qualityFields);
        result.put("embedding", faceVectors.sourceValues(face.embedding()));
        return result;
    }
}
