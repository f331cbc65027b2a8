package io.facesearch.vision.image;

/**
 * What the markers of a JPEG say before any pixel is decoded: the frame type, sample precision, number of
 * components and size, and whether an end-of-image marker follows the first scan. It decides whether a JPEG can
 * take the fast decoder; anything unusual or incomplete goes to the careful one, which explains what is wrong.
 *
 * @param frameMarker the SOFn marker (0xC0 baseline, 0xC1 extended, 0xC2 progressive, ...), or -1 if none was found
 * @param precision   bits per sample
 * @param components  colour components (1 grey, 3 YCbCr or RGB, 4 CMYK or YCCK)
 * @param width       declared width
 * @param height      declared height
 * @param complete    an EOI marker follows the first scan (entropy-coded data never contains one, so a file cut
 *                    short has none there)
 */
record JpegLayout(int frameMarker, int precision, int components, int width, int height, boolean complete) {

    private static final JpegLayout UNREADABLE = new JpegLayout(-1, 0, 0, 0, 0, false);

    /** Baseline, extended or progressive Huffman-coded, 8-bit, grey or three-component, with an end. */
    boolean isPlainPhoto() {
        return (frameMarker == 0xC0 || frameMarker == 0xC1 || frameMarker == 0xC2)
            && precision == 8
            && (components == 1 || components == 3)
            && width > 0
            && height > 0
            && complete;
    }

    /** Reads the marker segments up to the first scan, then looks for the end-of-image marker after it. */
    static JpegLayout read(byte[] b) {
        if (b == null || b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return UNREADABLE;
        }
        int[] frame = { -1, 0, 0, 0, 0 }; // marker, precision, components, width, height
        int afterScan = JpegSegments.walk(b, (marker, start, end) -> {
            if (end < start || end > b.length) {
                return false; // a length that does not fit: corrupt or cut
            }
            if (isFrameMarker(marker) && end - start >= 6) {
                frame[0] = marker;
                frame[1] = b[start] & 0xFF;
                frame[4] = ((b[start + 1] & 0xFF) << 8) | (b[start + 2] & 0xFF);
                frame[3] = ((b[start + 3] & 0xFF) << 8) | (b[start + 4] & 0xFF);
                frame[2] = b[start + 5] & 0xFF;
            }
            return true;
        });
        if (afterScan < 0) {
            return UNREADABLE;
        }
        return new JpegLayout(frame[0], frame[1], frame[2], frame[3], frame[4], hasEndAfter(b, afterScan));
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isFrameMarker(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** An FF D9 pair at or after {@code from}; searched from the end, where it normally is. */
    private static boolean hasEndAfter(byte[] b, int from) {
        for (int i = b.length - 2; i >= from; i--) {
            if (b[i + 1] == (byte) 0xD9 && b[i] == (byte) 0xFF) {
                return true;
            }
        }
        return false;
    }
}
