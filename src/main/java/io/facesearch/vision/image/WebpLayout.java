package io.facesearch.vision.image;

import java.nio.charset.StandardCharsets;

/**
 * The chunks of a WebP: the canvas size (from the VP8X header, or the one bitstream's own header), whether the
 * image is lossless, has alpha or is animated. libwebp decodes the whole canvas (an animation's first frame onto
 * it), so what it holds follows from these.
 *
 * @param width     canvas width
 * @param height    canvas height
 * @param lossless  the (first) bitstream is VP8L
 * @param alpha     the image has an alpha channel
 * @param animated  an animation (decoded through a canvas of its own)
 */
record WebpLayout(int width, int height, boolean lossless, boolean alpha, boolean animated) implements ImageLayout {

    static WebpLayout read(byte[] b) {
        long riffSize = Bytes.u32le(b, 4);
        if (8 + riffSize > b.length) {
            throw truncated("the RIFF header declares " + (8 + riffSize) + " bytes but the data has only " + b.length);
        }
        int end = (int) (8 + riffSize);
        int pos = 12;
        int canvasWidth = -1;
        int canvasHeight = -1;
        boolean alpha = false;
        boolean animated = false;
        while (pos + 8 <= end) {
            String type = new String(b, pos, 4, StandardCharsets.ISO_8859_1);
            long size = Bytes.u32le(b, pos + 4);
            int data = pos + 8;
            if (size > end - data) {
                throw truncated("chunk '" + type + "' at byte " + pos + " declares " + size + " bytes but only " + (end - data) + " remain");
            }
            switch (type) {
                case "VP8X" -> {
                    if (size < 10) {
                        throw corrupt("its VP8X chunk is " + size + " bytes long");
                    }
                    int flags = b[data] & 0xFF;
                    alpha = (flags & 0x10) != 0;
                    animated = (flags & 0x02) != 0;
                    canvasWidth = Bytes.u24le(b, data + 4) + 1;
                    canvasHeight = Bytes.u24le(b, data + 7) + 1;
                    if (animated) {
                        return new WebpLayout(canvasWidth, canvasHeight, false, true, true);
                    }
                }
                case "VP8 " -> {
                    int[] size2 = lossySize(b, data, (int) size);
                    return layout(canvasWidth, canvasHeight, size2[0], size2[1], false, alpha);
                }
                case "VP8L" -> {
                    if (size < 5 || (b[data] & 0xFF) != 0x2F) {
                        throw corrupt("its VP8L chunk has no lossless signature");
                    }
                    long bits = Bytes.u32le(b, data + 1);
                    int width = (int) (bits & 0x3FFF) + 1;
                    int height = (int) ((bits >> 14) & 0x3FFF) + 1;
                    boolean ownAlpha = ((bits >> 28) & 1) != 0;
                    return layout(canvasWidth, canvasHeight, width, height, true, alpha || ownAlpha);
                }
                default -> {
                }
            }
            pos = (int) (data + size + (size & 1));
        }
        throw truncated("no VP8 or VP8L image data before the end of its " + end + " bytes");
    }

    /** Width and height from a VP8 key frame header: tag, start code 9d 01 2a, 14-bit sizes with 2-bit scales. */
    private static int[] lossySize(byte[] b, int data, int size) {
        if (size < 10) {
            throw corrupt("its VP8 chunk is " + size + " bytes long");
        }
        if ((b[data] & 1) != 0) {
            throw corrupt("its VP8 image does not start with a key frame");
        }
        if ((b[data + 3] & 0xFF) != 0x9D || (b[data + 4] & 0xFF) != 0x01 || (b[data + 5] & 0xFF) != 0x2A) {
            throw corrupt("its VP8 key frame has no start code");
        }
        int width = Bytes.u16le(b, data + 6) & 0x3FFF;
        int height = Bytes.u16le(b, data + 8) & 0x3FFF;
        if (width == 0 || height == 0) {
            throw new InvalidImageException("WebP image declares an invalid size of " + width + "x" + height);
        }
        return new int[] { width, height };
    }

    private static WebpLayout layout(int canvasWidth, int canvasHeight, int width, int height, boolean lossless, boolean alpha) {
        if (canvasWidth > 0 && (canvasWidth != width || canvasHeight != height)) {
            throw corrupt("its canvas is " + canvasWidth + "x" + canvasHeight + " but its image " + width + "x" + height);
        }
        return new WebpLayout(width, height, lossless, alpha, false);
    }

    /**
     * libwebp through OpenCV: the whole canvas as a matrix of 3 or 4 bytes a pixel; a lossless bitstream, an alpha
     * plane or an animation frame also as 4 bytes a pixel inside libwebp (an animation keeps two canvases); row caches;
     * then the matrix reduced to the output.
     */
    @Override
    public long decodingBytes(int outWidth, int outHeight) {
        long pixels = (long) width * height;
        int channels = alpha ? 4 : 3;
        long inside = animated ? 8 * pixels : lossless || alpha ? 4 * pixels : 0;
        long reduced = (long) outWidth * outHeight * channels;
        return pixels * channels + inside + reduced + 64L * width + 2 * DECODER_OVERHEAD;
    }

    private static InvalidImageException truncated(String reason) {
        return new InvalidImageException("WebP image is truncated: " + reason);
    }

    private static InvalidImageException corrupt(String reason) {
        return new InvalidImageException("WebP image is truncated or corrupt: " + reason);
    }
}
