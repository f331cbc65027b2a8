package io.facesearch.vision;

import io.facesearch.vision.align.FaceAligner;
import io.facesearch.vision.detect.DetectedFace;
import io.facesearch.vision.detect.FaceDetector;
import io.facesearch.vision.embed.FaceEmbedder;
import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.detect.ScrfdDetector;
import io.facesearch.vision.detect.YuNetDetector;
import io.facesearch.vision.image.ImageDecoder;
import io.facesearch.vision.model.ModelSpec;
import io.facesearch.vision.model.ModelTask;
import io.facesearch.vision.model.OnnxModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The face pipeline: decode, detect, align and embed. Thread-safe; owns and closes its models.
 */
public final class FaceAnalyzer implements AutoCloseable {
    private final ImageDecoder decoder;
    private final FaceDetector detector;
    private final FaceEmbedder embedder;
    private final FaceAligner aligner;

    public FaceAnalyzer(ImageDecoder decoder, FaceDetector detector, FaceEmbedder embedder) {
        this.decoder = decoder;
        this.detector = detector;
        this.embedder = embedder;
        this.aligner = new FaceAligner(embedder.cropSize());
    }

    /** Loads and checks the configured models; {@link io.facesearch.vision.model.ModelUnavailableException} names what is wrong. */
    public static FaceAnalyzer open(FaceEngineConfig config) {
        ModelSpec detectorSpec = config.manifest().get(config.detector(), ModelTask.FACE_DETECTION);
        ModelSpec embedderSpec = config.manifest().get(config.embedder(), ModelTask.FACE_EMBEDDING);
        OnnxModel detectorModel = OnnxModel.open(detectorSpec, config.modelsDir());
        FaceDetector detector;
        try {
            detector = switch (detectorSpec.architecture()) {
                case "yunet" -> new YuNetDetector(detectorModel);
                case "scrfd" -> new ScrfdDetector(detectorModel);
                default -> throw new IllegalArgumentException(
                    "model [" + detectorSpec.name() + "]: unknown detector architecture [" + detectorSpec.architecture() + "]"
                );
            };
        } catch (RuntimeException e) {
            detectorModel.close();
            throw e;
        }
        FaceEmbedder embedder;
        try {
            embedder = new FaceEmbedder(OnnxModel.open(embedderSpec, config.modelsDir()), config.flipAverage());
        } catch (RuntimeException e) {
            detector.close();
            throw e;
        }
        return new FaceAnalyzer(new ImageDecoder(config.maxPixels(), config.workingMaxPixels()), detector, embedder);
    }

    public FaceDetector detector() {
        return detector;
    }

    public FaceEmbedder embedder() {
        return embedder;
    }

    public ImageDecoder decoder() {
        return decoder;
    }

    /** Decodes {@code photo} and analyses it; {@link io.facesearch.vision.image.InvalidImageException} for bad data. */
    public FaceAnalysis analyze(byte[] photo, DetectionOptions options, boolean embed) {
        long start = System.nanoTime();
        DecodedImage image = decoder.decode(photo);
        long decodeNanos = System.nanoTime() - start;
        return analyze(image, options, embed, start, decodeNanos);
    }

    /** Analyses an already decoded photo. */
    public FaceAnalysis analyze(DecodedImage image, DetectionOptions options, boolean embed) {
        return analyze(image, options, embed, System.nanoTime(), 0);
    }

    private FaceAnalysis analyze(DecodedImage image, DetectionOptions options, boolean embed, long start, long decodeNanos) {
        FaceDetector.Detections detections = detector.detect(image, options.minScore());
        double toSource = image.scaleToSource();
        List<DetectedFace> kept = new ArrayList<>();
        for (DetectedFace face : detections.faces()) {
            if (Math.min(face.width(), face.height()) * toSource >= options.minFaceSize()) {
                kept.add(face);
            }
        }
        kept.sort(Comparator.comparingDouble(DetectedFace::area).reversed());
        if (kept.size() > options.maxFaces()) {
            kept = kept.subList(0, options.maxFaces());
        }
        long inferenceNanos = detections.inferenceNanos();
        float[][] vectors = null;
        List<byte[]> crops = new ArrayList<>(kept.size());
        if (embed && kept.isEmpty() == false) {
            for (DetectedFace face : kept) {
                crops.add(aligner.align(image, face.landmarks()));
            }
            FaceEmbedder.Embeddings embeddings = embedder.embed(crops);
            vectors = embeddings.vectors();
            inferenceNanos += embeddings.inferenceNanos();
        }
        List<AnalyzedFace> faces = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            DetectedFace face = toSource == 1.0 ? kept.get(i) : kept.get(i).scaled(toSource);
            FaceQuality quality = vectors == null
                ? null
                : FaceQuality.measure(face.width(), face.height(), face.landmarks(), crops.get(i), aligner.size());
            faces.add(new AnalyzedFace(i, face, vectors == null ? null : vectors[i], quality));
        }
        return new FaceAnalysis(
            image.sourceWidth(),
            image.sourceHeight(),
            image.format(),
            List.copyOf(faces),
            decodeNanos,
            inferenceNanos,
            System.nanoTime() - start
        );
    }

    @Override
    public void close() {
        try {
            detector.close();
        } finally {
            embedder.close();
        }
    }
}
