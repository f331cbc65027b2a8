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
        int frameMarker = -1;
        int precision = 0;
        int components = 0;
        int width = 0;
        int height = 0;
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                return UNREADABLE; // not at a marker: corrupt
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2; // markers without a length
                continue;
            }
            if (marker == 0xD9) {
                return UNREADABLE; // end of image before any scan
            }
            int length = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
            if (length < 2 || pos + 2 + length > b.length) {
                return UNREADABLE;
            }
            int start = pos + 4;
            if (isFrameMarker(marker) && length >= 8) {
                frameMarker = marker;
                precision = b[start] & 0xFF;
                height = ((b[start + 1] & 0xFF) << 8) | (b[start + 2] & 0xFF);
                width = ((b[start + 3] & 0xFF) << 8) | (b[start + 4] & 0xFF);
                components = b[start + 5] & 0xFF;
            }
            pos += 2 + length;
            if (marker == 0xDA) {
                return new JpegLayout(frameMarker, precision, components, width, height, hasEndAfter(b, pos));
            }
        }
        return UNREADABLE;
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
