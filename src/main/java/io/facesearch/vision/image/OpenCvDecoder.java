package io.facesearch.vision.image;

import io.facesearch.vision.opencv.OpenCvNatives;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Decodes with the codecs inside OpenCV's image library. Plain JPEGs go to its libjpeg-turbo: DCT scaling and
 * progressive JPEGs in one output pass (the JDK's reader is several times slower on large photos and outputs a
 * progressive JPEG once per scan). That libjpeg-turbo is built without its SIMD code; one built with it (inside
 * {@code org.bytedeco:leptonica}) decoded the test photos in the same total time, 0.37 against 0.41 ms a 250x250
 * photo, so a second native decoder would buy nothing for its attack surface. WebP goes to its libwebp, which
 * decodes into one buffer of the canvas size and stops at the end of the data, where a Java WebP reader allocates
 * objects for every block the header declares.
 * Used only when {@link OpenCvNatives#available()}.
 */
final class OpenCvDecoder {
    private OpenCvDecoder() {}

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
    static byte[] decodeJpeg(byte[] jpeg, int width, int height, int reduction) {
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

    /**
     * A WebP's canvas ({@code width x height}, as its header declares) decoded by libwebp, reduced by area
     * averaging to {@code outWidth x outHeight}, alpha composited over white, as BGR bytes at the stored
     * orientation; an animation gives its first frame.
     *
     * @throws InvalidImageException when libwebp refuses the data, or the natives are not there
     */
    static byte[] decodeWebp(byte[] webp, int width, int height, int outWidth, int outHeight) {
        if (OpenCvNatives.available() == false) {
            throw new InvalidImageException("WebP images cannot be decoded on this node: " + OpenCvNatives.unavailableReason());
        }
        try (
            BytePointer data = new BytePointer(webp);
            Mat encoded = new Mat(1, webp.length, opencv_core.CV_8UC1, data);
            Mat decoded = opencv_imgcodecs.imdecode(encoded, opencv_imgcodecs.IMREAD_UNCHANGED | opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION)
        ) {
            int channels = decoded.channels();
            if (decoded.empty() || decoded.depth() != opencv_core.CV_8U || (channels != 3 && channels != 4)) {
                throw new InvalidImageException("WebP image is truncated or corrupt: libwebp cannot decode it");
            }
            if (decoded.cols() != width || decoded.rows() != height) {
                throw new InvalidImageException(
                    "WebP image is truncated or corrupt: it declares " + width + "x" + height + " but decodes to " + decoded.cols() + "x"
                        + decoded.rows()
                );
            }
            byte[] pixels = new byte[Math.multiplyExact(Math.multiplyExact(outWidth, outHeight), channels)];
            if (outWidth == width && outHeight == height && decoded.isContinuous()) {
                decoded.data().get(pixels);
            } else {
                try (Mat reduced = new Mat()) {
                    opencv_imgproc.resize(decoded, reduced, new Size(outWidth, outHeight), 0, 0, opencv_imgproc.INTER_AREA);
                    reduced.data().get(pixels);
                }
            }
            return channels == 3 ? pixels : overWhite(pixels);
        } catch (RuntimeException e) {
            if (e instanceof InvalidImageException invalid) {
                throw invalid;
            }
            throw new InvalidImageException("WebP image is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    /** BGRA with straight alpha to BGR over white. */
    private static byte[] overWhite(byte[] bgra) {
        byte[] bgr = new byte[bgra.length / 4 * 3];
        for (int i = 0, o = 0; i < bgra.length; i += 4, o += 3) {
            int a = bgra[i + 3] & 0xFF;
            bgr[o] = (byte) BgrConversion.overWhite(bgra[i] & 0xFF, a);
            bgr[o + 1] = (byte) BgrConversion.overWhite(bgra[i + 1] & 0xFF, a);
            bgr[o + 2] = (byte) BgrConversion.overWhite(bgra[i + 2] & 0xFF, a);
        }
        return bgr;
    }
}
