package io.facesearch.vision.image;

/**
 * Walks a JPEG's marker segments from the start-of-image marker to the first scan, the part that holds its frame
 * header and metadata. Callers decide what a broken segment length means to them: the layout check refuses the
 * file, the orientation reader reads what is there.
 */
final class JpegSegments {
    private JpegSegments() {}

    /** Sees each segment with a length field; returns false to stop the walk. */
    @FunctionalInterface
    interface Visitor {
        /**
         * @param marker      the marker's second byte, e.g. 0xE1 for APP1 or 0xDA for the start of a scan
         * @param start       where the segment's payload starts (after marker and length)
         * @param declaredEnd where its length says it ends; before {@code start} for a length under 2, beyond the data
         *                    for a cut file
         */
        boolean segment(int marker, int start, int declaredEnd);
    }

    /**
     * Walks the segments of {@code b} (which starts with FF D8) to the first scan, the start-of-scan segment
     * included; the position after it, or -1 when the walk ends earlier: an end-of-image marker, the end of the data,
     * or a visitor that stopped.
     */
    static int walk(byte[] b, Visitor visitor) {
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                pos++; // stray bytes before a marker: libjpeg skips them with a warning, and so does this walk
                continue;
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
                return -1; // end of image before any scan
            }
            int length = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
            if (visitor.segment(marker, pos + 4, pos + 2 + length) == false) {
                return -1;
            }
            pos += 2 + length;
            if (marker == 0xDA) {
                return pos;
            }
        }
        return -1;
    }
}
