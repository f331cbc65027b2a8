package io.facesearch.vision.opencv;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;

import java.nio.file.Path;

/**
 * The OpenCV natives (core, imgproc and imgcodecs with its libjpeg-turbo), loaded once per JVM on first use. The
 * image code uses them where they are faster than Java: JPEG decoding and the detector's resize.
 *
 * <p>If they cannot be loaded (another platform, a locked-down folder), {@link #available()} is false,
 * {@link #unavailableReason()} says why and callers use their Java code. JavaCPP's settings are only given defaults
 * here: its natives are unpacked into {@link #useCacheDirectory(Path)} (else under {@code java.io.tmpdir}) unless
 * {@code org.bytedeco.javacpp.cachedir} is set, and its garbage-collector thread is off unless
 * {@code org.bytedeco.javacpp.nopointergc} is set, because every native object here is closed at once.
 */
public final class OpenCvNatives {
    private static final String CACHE_DIR = "org.bytedeco.javacpp.cachedir";
    private static final String NO_POINTER_GC = "org.bytedeco.javacpp.nopointergc";

    /** Loads the natives when first asked whether they are there, so that a cache folder can be chosen before. */
    private static final class Natives {
        static final String UNAVAILABLE = load();
    }

    private static volatile Path cacheDirectory;

    private OpenCvNatives() {}

    /**
     * Where the natives are unpacked when {@code org.bytedeco.javacpp.cachedir} is not set; takes effect only before
     * their first use. A folder that lasts across restarts saves unpacking them again at every start.
     */
    public static void useCacheDirectory(Path directory) {
        cacheDirectory = directory;
    }

    public static boolean available() {
        return Natives.UNAVAILABLE == null;
    }

    /** Why the natives are not used, or null when they are. */
    public static String unavailableReason() {
        return Natives.UNAVAILABLE;
    }

    /** The OpenCV version, e.g. {@code 4.11.0}; only when {@link #available()}. */
    public static String version() {
        return opencv_core.CV_VERSION;
    }

    private static String load() {
        try {
            if (System.getProperty(CACHE_DIR) == null) {
                Path cache = cacheDirectory;
                if (cache == null) {
                    cache = Path.of(System.getProperty("java.io.tmpdir"), "face-search-natives");
                }
                System.setProperty(CACHE_DIR, cache.toString());
            }
            if (System.getProperty(NO_POINTER_GC) == null) {
                System.setProperty(NO_POINTER_GC, "true");
            }
            Loader.load(opencv_imgcodecs.class);
            // every call here is made by one of the node's threads; no pool of OpenCV's own beside them
            opencv_core.setNumThreads(0);
            return null;
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, a denied write in the cache folder
            return "the OpenCV natives did not load: " + e;
        }
    }
}
