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
     * has, for the long side at which that face has as many, and what it gives is closed here once the faces are
     * aligned. {@code image} stays the caller's to close.
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
        List<byte[]> crops = new ArrayList<>(kept.size());
        if (embed && kept.isEmpty() == false) {
            DecodedImage decodedAgain = null;
            double magnification = largestMagnification(kept);
            if (decoder.isReduced(image) && magnification > 1) {
                // as large as the crop samples that face, no larger: a camera photo's full size is many times the
                // pixels and the decoding time
                decodedAgain = larger.apply(longSide(image, magnification));
                decodeNanos += decodedAgain.decodeNanos();
            }
            try {
                DecodedImage alignFrom = decodedAgain == null ? image : decodedAgain;
                double toAlignX = (double) alignFrom.width() / image.width();
                double toAlignY = (double) alignFrom.height() / image.height();
                for (DetectedFace face : kept) {
                    crops.add(aligner.align(alignFrom, scaled(face.landmarks(), toAlignX, toAlignY)));
                }
            } finally {
                if (decodedAgain != null && decodedAgain != image) {
                    decodedAgain.close();
                }
            }
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
     * How many crop pixels the aligner makes of one pixel of the photo, for the face that needs the most: above 1,
     * its crop would be interpolated from fewer pixels than it has.
     */
    private double largestMagnification(List<DetectedFace> faces) {
        double largest = 0;
        for (DetectedFace face : faces) {
            largest = Math.max(largest, aligner.transformFor(face.landmarks()).scale());
        }
        return largest;
    }

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
