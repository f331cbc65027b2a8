package io.facesearch.vision.image;

/**
 * Walks every scan header of a JPEG, stepping over the entropy-coded data between them, to tell whether a
 * progressive JPEG's scans bring every coefficient of every component to full precision. One whose last scans are
 * missing (a download cut and closed with an end marker) decodes without any error in libjpeg-turbo, only blurred;
 * the careful decoder refuses it.
 */
final class JpegScans {
    private JpegScans() {}

    /** Whether the scans of {@code b} complete all 64 coefficients of each frame component (successive approximation down to 0). */
    static boolean completeEveryCoefficient(byte[] b) {
        int[] componentIds = null;
        boolean[][] done = null;
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                return false;
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += marker == 0xFF ? 1 : 2;
                continue;
            }
            if (marker == 0xD9) {
                break;
            }
            int length = Bytes.u16be(b, pos + 2);
            int start = pos + 4;
            int end = pos + 2 + length;
            if (length < 2 || end > b.length) {
                return false;
            }
            if (marker == 0xC2 && end - start >= 6) {
                int count = b[start + 5] & 0xFF;
                if (end - start < 6 + 3 * count) {
                    return false;
                }
                componentIds = new int[count];
                done = new boolean[count][64];
                for (int i = 0; i < count; i++) {
                    componentIds[i] = b[start + 6 + 3 * i] & 0xFF;
                }
            }
            if (marker == 0xDA) {
                if (componentIds == null || scan(b, start, end, componentIds, done) == false) {
                    return false;
                }
                pos = nextMarker(b, end);
                continue;
            }
            pos = end;
        }
        if (done == null) {
            return false;
        }
        for (boolean[] component : done) {
            for (boolean coefficient : component) {
                if (coefficient == false) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Marks the coefficients a scan header at {@code start..end} brings to full precision. */
    private static boolean scan(byte[] b, int start, int end, int[] componentIds, boolean[][] done) {
        int count = b[start] & 0xFF;
        if (end - start < 1 + 2 * count + 3) {
            return false;
        }
        int spectralStart = b[start + 1 + 2 * count] & 0xFF;
        int spectralEnd = Math.min(63, b[start + 2 + 2 * count] & 0xFF);
        int lowBit = b[start + 3 + 2 * count] & 0x0F;
        if (lowBit != 0) {
            return true;
        }
        for (int i = 0; i < count; i++) {
            int id = b[start + 1 + 2 * i] & 0xFF;
            for (int c = 0; c < componentIds.length; c++) {
                if (componentIds[c] == id) {
                    for (int k = spectralStart; k <= spectralEnd; k++) {
                        done[c][k] = true;
                    }
                }
            }
        }
        return true;
    }

    /** The position of the first marker after entropy-coded data starting at {@code pos}: FF not followed by 00 or a restart. */
    private static int nextMarker(byte[] b, int pos) {
        for (int i = pos; i + 1 < b.length; i++) {
            if (b[i] == (byte) 0xFF) {
                int next = b[i + 1] & 0xFF;
                if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                    return i;
                }
            }
        }
        return b.length;
    }
}
