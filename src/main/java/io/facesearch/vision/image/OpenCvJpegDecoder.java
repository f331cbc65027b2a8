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
     * The photo's pixels as BGR bytes at their stored orientation, decoded at 1/{@code reduction} of the
     * {@code width x height} the JPEG declares ({@code reduction} 1, 2, 4 or 8: libjpeg-turbo's DCT scaling, which
     * skips most of the inverse transform's work); null when OpenCV cannot decode them (the caller's own decoder then
     * reports what is wrong).
     */
    static byte[] decodeBgr(byte[] jpeg, int width, int height, int reduction) {
        if (OpenCvNatives.available() == false) {
            return null;
        }
        int flags = switch (reduction) {
            case 1 -> opencv_imgcodecs.IMREAD_COLOR;
            case 2 -> opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
            case 4 -> opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
            case 8 -> opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
            default -> throw new IllegalArgumentException("reduction must be 1, 2, 4 or 8, got " + reduction);
        };
        int outWidth = Math.ceilDiv(width, reduction);
        int outHeight = Math.ceilDiv(height, reduction);
        try (
            BytePointer data = new BytePointer(jpeg);
            Mat encoded = new Mat(1, jpeg.length, opencv_core.CV_8UC1, data);
            Mat decoded = opencv_imgcodecs.imdecode(encoded, flags | opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION)
        ) {
            if (decoded.empty() || decoded.cols() != outWidth || decoded.rows() != outHeight || decoded.channels() != 3
                || decoded.depth() != opencv_core.CV_8U || decoded.isContinuous() == false) {
                return null;
            }
            byte[] bgr = new byte[Math.multiplyExact(Math.multiplyExact(outWidth, outHeight), 3)];
            decoded.data().get(bgr);
            return bgr;
        }
    }
}
