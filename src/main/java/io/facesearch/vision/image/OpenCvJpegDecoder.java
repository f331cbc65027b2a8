package io.facesearch.vision.image;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

import java.nio.file.Path;

/**
 * Decodes plain JPEGs with the libjpeg-turbo inside OpenCV's image codecs: SIMD code, and progressive JPEGs in one
 * output pass. The JDK's reader is several times slower on large photos and outputs a progressive JPEG once per
 * scan (five to ten times the work).
 *
 * <p>The native libraries are loaded once per JVM, on first use. If they cannot be loaded (another platform, a
 * locked-down folder), {@link #available()} is false, {@link #unavailableReason()} says why and callers use their
 * own decoder. JavaCPP's settings are only given defaults here: its natives are unpacked into
 * {@link #defaultCacheDirectory(Path)} (else under {@code java.io.tmpdir}) unless {@code org.bytedeco.javacpp.cachedir}
 * is set, and its garbage-collector thread is off unless {@code org.bytedeco.javacpp.nopointergc} is set, because
 * every native object here is closed at once.
 */
final class OpenCvJpegDecoder {
    private static final String CACHE_DIR = "org.bytedeco.javacpp.cachedir";
    private static final String NO_POINTER_GC = "org.bytedeco.javacpp.nopointergc";

    /** Loads the natives when first asked whether they are there, so that a cache folder can be chosen before. */
    private static final class Natives {
        static final String UNAVAILABLE = load();
    }

    private static volatile Path defaultCacheDirectory;

    private OpenCvJpegDecoder() {}

    /**
     * Where the natives are unpacked when {@code org.bytedeco.javacpp.cachedir} is not set; to be called before the
     * first decode. A folder that lasts across restarts saves unpacking them again at every start.
     */
    static void defaultCacheDirectory(Path directory) {
        defaultCacheDirectory = directory;
    }

    static boolean available() {
        return Natives.UNAVAILABLE == null;
    }

    /** Why the native decoder is not used, or null when it is. */
    static String unavailableReason() {
        return Natives.UNAVAILABLE;
    }

    /** What decodes JPEGs, for logs and the info API. */
    static String describe() {
        return available() ? "libjpeg-turbo (OpenCV " + opencv_core.CV_VERSION + ")" : "Java ImageIO (" + Natives.UNAVAILABLE + ")";
    }

    private static String load() {
        try {
            if (System.getProperty(CACHE_DIR) == null) {
                Path cache = defaultCacheDirectory;
                if (cache == null) {
                    cache = Path.of(System.getProperty("java.io.tmpdir"), "face-search-natives");
                }
                System.setProperty(CACHE_DIR, cache.toString());
            }
            if (System.getProperty(NO_POINTER_GC) == null) {
                System.setProperty(NO_POINTER_GC, "true");
            }
            Loader.load(opencv_imgcodecs.class);
            // imdecode is single-threaded; this keeps OpenCV from starting a pool of its own beside the node's
            opencv_core.setNumThreads(0);
            return null;
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, a denied write in the cache folder
            return "the OpenCV natives did not load: " + e;
        }
    }

    /**
     * The photo's pixels as BGR bytes, {@code width * height * 3}, at their stored orientation; null when OpenCV
     * cannot decode them (the caller's own decoder then reports what is wrong).
     */
    static byte[] decodeBgr(byte[] jpeg, int width, int height) {
        if (available() == false) {
            return null;
        }
        try (
            BytePointer data = new BytePointer(jpeg);
            Mat encoded = new Mat(1, jpeg.length, opencv_core.CV_8UC1, data);
            Mat decoded = opencv_imgcodecs.imdecode(encoded, opencv_imgcodecs.IMREAD_COLOR | opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION)
        ) {
            if (decoded.empty() || decoded.cols() != width || decoded.rows() != height || decoded.channels() != 3
                || decoded.depth() != opencv_core.CV_8U || decoded.isContinuous() == false) {
                return null;
            }
            byte[] bgr = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
            decoded.data().get(bgr);
            return bgr;
        }
    }
}
