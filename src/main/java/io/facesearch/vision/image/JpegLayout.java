package io.facesearch.vision.image;

/**
 * What the markers of a JPEG say before any pixel is decoded: the frame type, sample precision, components and
 * their sampling, the size, how the scans are arranged, and whether an end-of-image marker follows the first scan.
 * It decides whether a JPEG can take the fast decoder (anything unusual or incomplete goes to the careful one, which
 * explains what is wrong), whether its data can hold the size it declares, and what decoding it will hold in memory.
 *
 * @param frameMarker         the SOFn marker (0xC0 baseline, 0xC1 extended, 0xC2 progressive, ...), or -1 if none
 * @param precision           bits per sample
 * @param components          colour components (1 grey, 3 YCbCr or RGB, 4 CMYK or YCCK)
 * @param width               declared width
 * @param height              declared height
 * @param complete            an EOI marker follows the first scan (entropy-coded data never contains one, so a file
 *                            cut short has none there)
 * @param horizontalSampling  each component's horizontal sampling factor, in frame order
 * @param verticalSampling    each component's vertical sampling factor, in frame order
 * @param firstScanComponents how many components the first scan holds (fewer than all: a multi-scan JPEG)
 * @param scanDataBytes       the bytes from the end of the first scan header to the end of the data: all the
 *                            entropy-coded data there is, and a little more
 */
record JpegLayout(
    int frameMarker,
    int precision,
    int components,
    int width,
    int height,
    boolean complete,
    int[] horizontalSampling,
    int[] verticalSampling,
    int firstScanComponents,
    long scanDataBytes
) implements ImageLayout {

    private static final JpegLayout UNREADABLE = new JpegLayout(-1, 0, 0, 0, 0, false, new int[0], new int[0], 0, 0);

    /** A frame with a size was found: the size can be checked and the decoding memory estimated. */
    boolean hasFrame() {
        return frameMarker >= 0 && width > 0 && height > 0 && components > 0 && horizontalSampling.length == components;
    }

    /** Baseline, extended or progressive Huffman-coded, 8-bit, grey or three-component, with an end. */
    boolean isPlainPhoto() {
        return (frameMarker == 0xC0 || frameMarker == 0xC1 || frameMarker == 0xC2)
            && precision == 8
            && (components == 1 || components == 3)
            && hasFrame()
            && complete;
    }

    boolean isProgressive() {
        return frameMarker == 0xC2 || frameMarker == 0xC6 || frameMarker == 0xCA || frameMarker == 0xCE;
    }

    /**
     * Whether the decoder keeps every DCT coefficient of the image while it reads the scans: progressive JPEGs, and
     * sequential ones whose components come in separate scans.
     */
    boolean buffersWholeImage() {
        return isProgressive() || firstScanComponents < components;
    }

    /** 8x8 blocks of coefficients the frame declares, over all components, each padded to its sampling unit. */
    long blocks(boolean padToSamplingUnit) {
        int maxH = 1;
        int maxV = 1;
        for (int i = 0; i < components; i++) {
            maxH = Math.max(maxH, horizontalSampling[i]);
            maxV = Math.max(maxV, verticalSampling[i]);
        }
        long blocks = 0;
        for (int i = 0; i < components; i++) {
            long columns = Math.ceilDiv(Math.ceilDiv((long) width * horizontalSampling[i], maxH), 8);
            long rows = Math.ceilDiv(Math.ceilDiv((long) height * verticalSampling[i], maxV), 8);
            if (padToSamplingUnit) {
                columns = Math.ceilDiv(columns, horizontalSampling[i]) * horizontalSampling[i];
                rows = Math.ceilDiv(rows, verticalSampling[i]) * verticalSampling[i];
            }
            blocks += columns * rows;
        }
        return blocks;
    }

    /**
     * The fewest bits of scan data that can hold the declared frame: every block of a Huffman-coded sequential JPEG
     * takes at least one code for its DC difference and one for its AC coefficients (or end of block), and every
     * block of a progressive one at least one DC code; a lossless JPEG one code per sample. Arithmetic coding has no
     * such floor (0).
     */
    long minimumScanBits() {
        return switch (frameMarker) {
            case 0xC0, 0xC1 -> 2 * blocks(false);
            case 0xC2 -> blocks(false);
            case 0xC3 -> (long) width * height * components;
            default -> 0;
        };
    }

    /**
     * Refuses a JPEG cut short (no end marker after its scans), and a frame whose scan data is too short for the size
     * it declares: a header edited to a larger size, or data cut and closed with an end marker. Either decoder would
     * otherwise fill the missing part with grey.
     */
    @Override
    public void checkData(byte[] bytes) {
        if (complete == false) {
            // libjpeg would decode the scans it has, fill the rest with grey and only warn
            throw new InvalidImageException("JPEG image is truncated: no end-of-image marker follows its scan data");
        }
        long needed = minimumScanBits();
        if (scanDataBytes * 8 < needed) {
            throw new InvalidImageException(
                "JPEG image is truncated or corrupt: its frame declares "
                    + width
                    + "x"
                    + height
                    + " pixels, which need at least "
                    + Math.ceilDiv(needed, 8)
                    + " bytes of scan data, but it holds "
                    + scanDataBytes
            );
        }
    }

    /**
     * What libjpeg holds while decoding to {@code outWidth x outHeight} (its DCT scaling only changes the output): the
     * whole coefficient image when {@link #buffersWholeImage()} (2 bytes per coefficient), row buffers otherwise.
     */
    @Override
    public long decodingBytes(int outWidth, int outHeight) {
        long rows = 2L * 1024 * 1024 + (long) width * components * 64;
        return buffersWholeImage() ? rows + blocks(true) * 64 * 2 : rows;
    }

    /**
     * {@link #read}, refusing a JPEG whose markers do not lead to a frame header and a scan: no reader could decode
     * it, and none should be left to guess its size.
     */
    static JpegLayout readFrame(byte[] b) {
        JpegLayout layout = read(b);
        if (layout.hasFrame() == false) {
            throw new InvalidImageException(
                "JPEG image is truncated or corrupt: its markers do not lead to a frame header with a size and a scan"
            );
        }
        return layout;
    }

    /** Reads the marker segments up to the first scan, then looks for the end-of-image marker after it. */
    static JpegLayout read(byte[] b) {
        if (b == null || b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return UNREADABLE;
        }
        int[] frame = { -1, 0, 0, 0, 0, 0 }; // marker, precision, components, width, height, first scan components
        int[][] sampling = { new int[0], new int[0] };
        int afterScan = JpegSegments.walk(b, (marker, start, end) -> {
            if (end < start || end > b.length) {
                return false; // a length that does not fit: corrupt or cut
            }
            if (isFrameMarker(marker) && end - start >= 6) {
                frame[0] = marker;
                frame[1] = b[start] & 0xFF;
                frame[4] = Bytes.u16be(b, start + 1);
                frame[3] = Bytes.u16be(b, start + 3);
                int count = b[start + 5] & 0xFF;
                frame[2] = count;
                if (end - start >= 6 + 3 * count) {
                    sampling[0] = new int[count];
                    sampling[1] = new int[count];
                    for (int i = 0; i < count; i++) {
                        int factors = b[start + 7 + 3 * i] & 0xFF;
                        sampling[0][i] = Math.max(1, factors >> 4);
                        sampling[1][i] = Math.max(1, factors & 0x0F);
                    }
                }
            }
            if (marker == 0xDA && end - start >= 1) {
                frame[5] = b[start] & 0xFF;
            }
            return true;
        });
        if (afterScan < 0) {
            return UNREADABLE;
        }
        return new JpegLayout(
            frame[0],
            frame[1],
            frame[2],
            frame[3],
            frame[4],
            hasEndAfter(b, afterScan),
            sampling[0],
            sampling[1],
            frame[5],
            b.length - afterScan
        );
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
