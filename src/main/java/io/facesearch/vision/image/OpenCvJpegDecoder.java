package io.facesearch.vision.image;

import io.facesearch.vision.opencv.OpenCvNatives;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes plain JPEGs with the libjpeg-turbo inside OpenCV's image codecs: SIMD code, and progressive JPEGs in one
 * output pass. The JDK's reader is several times slower on large photos and outputs a progressive JPEG once per
 * scan (five to ten times the work). Used only when {@link OpenCvNatives#available()}.
 */
final class OpenCvJpegDecoder {
    private OpenCvJpegDecoder() {}

    /** What decodes JPEGs, for logs and the info API. */
    static String describe() {
        return OpenCvNatives.available()
            ? "libjpeg-turbo (OpenCV " + OpenCvNatives.version() + ")"
            : "Java ImageIO (" + OpenCvNatives.unavailableReason() + ")";
    }

    /**
     * The photo's pixels as BGR bytes, {@code width * height * 3}, at their stored orientation; null when OpenCV
     * cannot decode them (the caller's own decoder then reports what is wrong).
     */
    static byte[] decodeBgr(byte[] jpeg, int width, int height) {
        if (OpenCvNatives.available() == false) {
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
