package io.facesearch.vision.detect;

/**
 * A face found by a detector, in the pixel coordinates of the image it was given.
 *
 * @param x         left edge of the box
 * @param y         top edge of the box
 * @param width     box width
 * @param height    box height
 * @param score     detector confidence, 0..1
 * @param landmarks 5 points as x0, y0, ... x4, y4, in the order of the ArcFace template:
 *                  subject's right eye (image left), left eye, nose tip, right mouth corner, left mouth corner
 */
public record DetectedFace(float x, float y, float width, float height, float score, float[] landmarks) {
    /** Landmark names in order, from the subject's point of view. */
    public static final String[] LANDMARK_NAMES = { "right_eye", "left_eye", "nose", "right_mouth", "left_mouth" };

    public float area() {
        return width * height;
    }

    /** The same face with every coordinate multiplied by {@code factor}. */
    public DetectedFace scaled(double factor) {
        float f = (float) factor;
        float[] points = new float[landmarks.length];
        for (int i = 0; i < points.length; i++) {
            points[i] = landmarks[i] * f;
        }
        return new DetectedFace(x * f, y * f, width * f, height * f, score, points);
    }

    /** Intersection over union of the two boxes. */
    public float iou(DetectedFace other) {
        float left = Math.max(x, other.x);
        float top = Math.max(y, other.y);
        float right = Math.min(x + width, other.x + other.width);
        float bottom = Math.min(y + height, other.y + other.height);
        float intersection = Math.max(0, right - left) * Math.max(0, bottom - top);
        float union = area() + other.area() - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
