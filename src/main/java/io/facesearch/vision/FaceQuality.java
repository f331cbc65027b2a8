package io.facesearch.vision;

/**
 * Cheap signals of how usable a face is for recognition.
 *
 * @param size      shorter side of the face box, pixels of the original photo
 * @param sharpness variance of the Laplacian of the aligned grey crop (higher is sharper; blurred
 *                  faces score below about 100 on 0..255 pixels)
 * @param frontal   1 for a face looking straight at the camera, towards 0 as it turns sideways:
 *                  how centred the nose tip is between the eyes and between the mouth corners
 */
public record FaceQuality(float size, float sharpness, float frontal) {

    static FaceQuality measure(float boxWidth, float boxHeight, float[] landmarks, byte[] alignedBgr, int cropSize) {
        return new FaceQuality(Math.min(boxWidth, boxHeight), sharpness(alignedBgr, cropSize), frontal(landmarks));
    }

    /** Variance of the 4-neighbour Laplacian over the crop's grey levels. */
    static float sharpness(byte[] bgr, int size) {
        float[] grey = new float[size * size];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = 0.114f * (bgr[3 * i] & 0xFF) + 0.587f * (bgr[3 * i + 1] & 0xFF) + 0.299f * (bgr[3 * i + 2] & 0xFF);
        }
        double sum = 0;
        double sumSquares = 0;
        int count = 0;
        for (int y = 1; y < size - 1; y++) {
            for (int x = 1; x < size - 1; x++) {
                int i = y * size + x;
                double laplacian = grey[i - 1] + grey[i + 1] + grey[i - size] + grey[i + size] - 4 * grey[i];
                sum += laplacian;
                sumSquares += laplacian * laplacian;
                count++;
            }
        }
        if (count == 0) {
            return 0;
        }
        double mean = sum / count;
        return (float) (sumSquares / count - mean * mean);
    }

    /** From the 5 landmarks: the nose's horizontal position relative to the eye and mouth midpoints. */
    static float frontal(float[] p) {
        double eyeMid = (p[0] + p[2]) / 2;
        double mouthMid = (p[6] + p[8]) / 2;
        double eyeHalf = Math.hypot(p[2] - p[0], p[3] - p[1]) / 2;
        double mouthHalf = Math.hypot(p[8] - p[6], p[9] - p[7]) / 2;
        if (eyeHalf <= 0 || mouthHalf <= 0) {
            return 0;
        }
        double eyeOffset = Math.abs(p[4] - eyeMid) / eyeHalf;
        double mouthOffset = Math.abs(p[4] - mouthMid) / mouthHalf;
        return (float) Math.max(0, 1 - (eyeOffset + mouthOffset) / 2);
    }
}
