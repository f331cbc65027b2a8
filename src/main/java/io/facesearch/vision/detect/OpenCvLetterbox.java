package io.facesearch.vision.detect;

import io.facesearch.vision.image.DecodedImage;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.nio.FloatBuffer;

/**
 * {@link Letterbox}'s resize done by OpenCV's vectorised code: {@code INTER_AREA} for the integer block average
 * (8-bit, rounded), then per network channel the source plane normalised to floats and resized with
 * {@code INTER_LINEAR} straight into the tensor, so that the large output is written once. Values differ from the
 * Java path by at most one grey level, where the two block averages round a half differently. Only called when the
 * OpenCV natives are loaded.
 */
final class OpenCvLetterbox {
    private OpenCvLetterbox() {}

    /**
     * Fills {@code tensor} (a direct buffer, position 0) with the NCHW network input: the photo, first shrunk by
     * {@code factor} when it is at least 2, resized to {@code outWidth x outHeight} at the top-left of a
     * {@code canvasWidth x canvasHeight} canvas that is zero elsewhere; network channel c is BGR byte
     * {@code byteOffset[c]} times {@code gain[c]} plus {@code bias[c]}.
     */
    static void fill(
        DecodedImage image,
        int factor,
        int outWidth,
        int outHeight,
        int canvasWidth,
        int canvasHeight,
        int[] byteOffset,
        float[] gain,
        float[] bias,
        FloatBuffer tensor
    ) {
        int width = image.width();
        int height = image.height();
        try (
            Mat photo = new Mat(height, width, opencv_core.CV_8UC3);
            MatVector channels = new MatVector(3);
            Mat scaled = new Mat();
            FloatPointer tensorData = new FloatPointer(tensor);
            Mat planes = new Mat(3 * canvasHeight, canvasWidth, opencv_core.CV_32FC1, tensorData);
            Size size = new Size(outWidth, outHeight)
        ) {
            photo.data().put(image.bgr());
            try (Mat shrunk = factor >= 2 ? blockAverage(photo, factor) : null) {
                opencv_core.split(shrunk == null ? photo : shrunk, channels);
            }
            for (int c = 0; c < 3; c++) {
                try (Mat channel = channels.get(byteOffset[c]); Mat plane = planes.rowRange(c * canvasHeight, (c + 1) * canvasHeight)) {
                    if (outWidth > 0 && outHeight > 0) {
                        // normalised before the resize, which is linear: the small side is the one converted
                        channel.convertTo(scaled, opencv_core.CV_32F, gain[c], bias[c]);
                        try (Rect area = new Rect(0, 0, outWidth, outHeight); Mat target = plane.apply(area)) {
                            opencv_imgproc.resize(scaled, target, size, 0, 0, opencv_imgproc.INTER_LINEAR);
                        }
                    }
                    pad(plane, outWidth, 0, canvasWidth - outWidth, outHeight, bias[c]);
                    pad(plane, 0, outHeight, canvasWidth, canvasHeight - outHeight, bias[c]);
                }
            }
        }
    }

    /** Sets a rectangle of a plane to {@code value}, if it is not empty: the padding. */
    private static void pad(Mat plane, int x, int y, int width, int height, float value) {
        if (width > 0 && height > 0) {
            try (Rect area = new Rect(x, y, width, height); Mat padding = plane.apply(area); Scalar pad = new Scalar(value)) {
                padding.put(pad);
            }
        }
    }

    /** Each output pixel the mean of a {@code factor x factor} block, as {@link BlockAverage}: the remainder is dropped. */
    private static Mat blockAverage(Mat photo, int factor) {
        int width = Math.max(1, photo.cols() / factor);
        int height = Math.max(1, photo.rows() / factor);
        try (Rect blocks = new Rect(0, 0, Math.min(photo.cols(), width * factor), Math.min(photo.rows(), height * factor));
             Mat covered = photo.apply(blocks); Size size = new Size(width, height)) {
            Mat shrunk = new Mat();
            opencv_imgproc.resize(covered, shrunk, size, 0, 0, opencv_imgproc.INTER_AREA);
            return shrunk;
        }
    }
}
