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
import java.util.function.IntFunction;

/**
 * The face pipeline: decode, detect, align and embed. Thread-safe; owns and closes its models.
 */
public final class FaceAnalyzer implements AutoCloseable {
    private final ImageDecoder decoder;
    private final FaceDetector detector;
    private final FaceEmbedder embedder;
    private final FaceAligner aligner;
    private volatile AnalysisObserver observer = AnalysisObserver.NONE;

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
        return new FaceAnalyzer(new ImageDecoder(config.maxPixels(), config.workingMaxPixels(), config.decodeBudget()), detector, embedder);
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

    /**
     * Tells {@code observer} of every analysis this analyzer makes from now on, and of every photo it cannot decode
     * or analyse.
     */
    public void observeWith(AnalysisObserver observer) {
        this.observer = observer == null ? AnalysisObserver.NONE : observer;
    }

    /**
     * Decodes {@code photo} and analyses it; {@link io.facesearch.vision.image.InvalidImageException} for bad data.
     * A large JPEG is decoded reduced to what the detector needs ({@link #decodeForDetection}), and again, larger, only
     * if a face in it is too small to be aligned from the reduced pixels without enlarging them.
     */
    public FaceAnalysis analyze(byte[] photo, DetectionOptions options, boolean embed) {
        return analyze(photo, options, embed, Cancellation.NONE);
    }

    /** {@link #analyze(byte[], DetectionOptions, boolean)} for a request that may be cancelled while its photo is decoded. */
    public FaceAnalysis analyze(byte[] photo, DetectionOptions options, boolean embed, Cancellation cancellation) {
        try (DecodedImage image = decodeReduced(photo, cancellation)) {
            return observed(analyzeDecoded(image, longSide -> decoder.decode(photo, longSide, cancellation), options, embed));
        } catch (RuntimeException e) {
            observer.failed(e);
            throw e;
        }
    }

    /**
     * The photo decoded for {@link #analyze(DecodedImage, IntFunction, DetectionOptions, boolean)}: possibly reduced,
     * but never below the detector's input size. The caller closes it.
     */
    public DecodedImage decodeForDetection(byte[] photo) {
        return decodeForDetection(photo, Cancellation.NONE);
    }

    /** {@link #decodeForDetection(byte[])} for a request that may be cancelled. */
    public DecodedImage decodeForDetection(byte[] photo, Cancellation cancellation) {
        try {
            return decodeReduced(photo, cancellation);
        } catch (RuntimeException e) {
            observer.failed(e);
            throw e;
        }
    }

    private DecodedImage decodeReduced(byte[] photo, Cancellation cancellation) {
        ModelSpec spec = detector.spec();
        return decoder.decode(photo, Math.max(spec.inputWidth(), spec.inputHeight()), cancellation);
    }

    /** Analyses an already decoded photo. */
    public FaceAnalysis analyze(DecodedImage image, DetectionOptions options, boolean embed) {
        return analyze(image, longSide -> image, options, embed);
    }

    /**
     * Analyses a photo decoded by {@link #decodeForDetection}. {@code larger} decodes it again with a long side of at
     * least the pixels it is given, as {@link ImageDecoder#decode(byte[], int)} does; it is asked only when
     * {@code image} is reduced and the crop of a face in it would be interpolated from fewer pixels than the crop
     * has, for the long side at which that face has as many (once for each decoded size such faces need, one after
     * the other), and what it gives is closed here once its faces are aligned. {@code image} stays the caller's to
     * close.
     */
    public FaceAnalysis analyze(DecodedImage image, IntFunction<DecodedImage> larger, DetectionOptions options, boolean embed) {
        try {
            return observed(analyzeDecoded(image, larger, options, embed));
        } catch (RuntimeException e) {
            observer.failed(e);
            throw e;
        }
    }

    private FaceAnalysis observed(FaceAnalysis analysis) {
        observer.analysed(analysis);
        return analysis;
    }

    private FaceAnalysis analyzeDecoded(DecodedImage image, IntFunction<DecodedImage> larger, DetectionOptions options, boolean embed) {
        long start = System.nanoTime();
        long decodeNanos = image.decodeNanos();
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
        long embedNanos = 0;
        float[][] vectors = null;
        List<byte[]> crops = List.of();
        if (embed && kept.isEmpty() == false) {
            AlignedFaces aligned = align(image, kept, larger);
            crops = aligned.crops();
            decodeNanos += aligned.decodeNanos();
            FaceEmbedder.Embeddings embeddings = embedder.embed(crops);
            vectors = embeddings.vectors();
            embedNanos = embeddings.inferenceNanos();
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
            detections.inferenceNanos(),
            embedNanos,
            image.decodeNanos() + System.nanoTime() - start
        );
    }

    /**
     * Each face's crop, from the smallest of the photo's decodes in which the crop enlarges none of the face's pixels:
     * {@code image}, or a larger decode from {@code larger}, made one at a time and closed once its faces are
     * aligned; the largest there is for a face that none suffices for. Which pixels a face is aligned from so
     * depends on that face alone, not on the others found with it.
     */
    private AlignedFaces align(DecodedImage image, List<DetectedFace> faces, IntFunction<DecodedImage> larger) {
        byte[][] crops = new byte[faces.size()][];
        int[] longSideNeeded = new int[faces.size()];
        List<Integer> waiting = new ArrayList<>();
        boolean reduced = decoder.isReduced(image);
        for (int i = 0; i < crops.length; i++) {
            // a photo at its working size has no larger decode, whatever its faces need
            double magnification = reduced ? aligner.transformFor(faces.get(i).landmarks()).scale() : 0;
            if (magnification > 1) {
                longSideNeeded[i] = longSide(image, magnification);
                waiting.add(i);
            } else {
                crops[i] = aligner.align(image, faces.get(i).landmarks());
            }
        }
        waiting.sort(Comparator.comparingInt(i -> longSideNeeded[i]));
        long decodeNanos = 0;
        int next = 0;
        while (next < waiting.size()) {
            DecodedImage decoded = larger.apply(longSideNeeded[waiting.get(next)]);
            try {
                decodeNanos += decoded == image ? 0 : decoded.decodeNanos();
                int decodedLongSide = Math.max(decoded.width(), decoded.height());
                // a decode short of what its first face needs is the largest there is: it serves every face left
                boolean largest = decoder.isReduced(decoded) == false || decodedLongSide < longSideNeeded[waiting.get(next)];
                double toX = (double) decoded.width() / image.width();
                double toY = (double) decoded.height() / image.height();
                do {
                    int i = waiting.get(next++);
                    crops[i] = aligner.align(decoded, scaled(faces.get(i).landmarks(), toX, toY));
                } while (next < waiting.size() && (largest || longSideNeeded[waiting.get(next)] <= decodedLongSide));
            } finally {
                if (decoded != image) {
                    decoded.close();
                }
            }
        }
        return new AlignedFaces(List.of(crops), decodeNanos);
    }

    /** Aligned crops, in the order of the faces, and the time spent decoding the photo again for them. */
    private record AlignedFaces(List<byte[]> crops, long decodeNanos) {}

    /** The long side of {@code image} times {@code magnification}, in whole pixels. */
    private static int longSide(DecodedImage image, double magnification) {
        return (int) Math.min(Integer.MAX_VALUE, Math.ceil(Math.max(image.width(), image.height()) * magnification));
    }

    /** Landmarks {@code x, y, x, y, ...} with each x times {@code toX} and each y times {@code toY}. */
    private static float[] scaled(float[] landmarks, double toX, double toY) {
        if (toX == 1.0 && toY == 1.0) {
            return landmarks;
        }
        float[] out = new float[landmarks.length];
        for (int i = 0; i < landmarks.length; i += 2) {
            out[i] = (float) (landmarks[i] * toX);
            out[i + 1] = (float) (landmarks[i + 1] * toY);
        }
        return out;
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
