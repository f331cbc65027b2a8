package io.facesearch.vision.image;

/**
 * The headers of a BMP: size, bits per pixel, compression, where the pixels and the colour table lie, and any
 * JPEG or PNG it embeds (compression 4 and 5). Every region the reader will read must lie inside the data: the JDK
 * reader reads an embedded image with whatever reader it finds, at whatever size that image declares, so an
 * embedded image is taken out and decoded on its own, under the same limits as any photo.
 *
 * @param width           declared width
 * @param height          declared height (positive; rows stored top-down or bottom-up)
 * @param bitsPerPixel    1, 4, 8, 16, 24 or 32
 * @param compression     0 none, 1 RLE8, 2 RLE4, 3 and 6 bit fields, 4 embedded JPEG, 5 embedded PNG
 * @param pixelDataStart  where the pixel data starts
 * @param pixelDataLength how many bytes of pixel data there must be (uncompressed), or are said to be (compressed, embedded)
 */
record BmpLayout(int width, int height, int bitsPerPixel, int compression, int pixelDataStart, long pixelDataLength)
    implements
        ImageLayout {

    static final int EMBEDDED_JPEG = 4;
    static final int EMBEDDED_PNG = 5;

    static BmpLayout read(byte[] b) {
        if (b.length < 26) {
            throw truncated("the data ends at byte " + b.length + " inside the headers");
        }
        long pixelDataStart = Bytes.u32le(b, 10);
        long headerSize = Bytes.u32le(b, 14);
        if (headerSize != 12 && headerSize != 40 && headerSize != 52 && headerSize != 56 && headerSize != 108 && headerSize != 124) {
            throw unsupported("a bitmap header of " + headerSize + " bytes");
        }
        if (14 + headerSize > b.length) {
            throw truncated("the data ends at byte " + b.length + " inside the " + headerSize + "-byte bitmap header");
        }
        long width;
        long height;
        int planes;
        int bitsPerPixel;
        long compression = 0;
        long imageSize = 0;
        long coloursUsed = 0;
        if (headerSize == 12) {
            width = Bytes.u16le(b, 18);
            height = Bytes.u16le(b, 20);
            planes = Bytes.u16le(b, 22);
            bitsPerPixel = Bytes.u16le(b, 24);
        } else {
            width = Bytes.s32le(b, 18);
            height = Bytes.s32le(b, 22);
            planes = Bytes.u16le(b, 26);
            bitsPerPixel = Bytes.u16le(b, 28);
            compression = Bytes.u32le(b, 30);
            imageSize = Bytes.u32le(b, 34);
            coloursUsed = Bytes.u32le(b, 46);
        }
        height = Math.abs(height); // negative: rows stored top-down
        if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new InvalidImageException("BMP image declares an invalid size of " + width + "x" + height);
        }
        if (planes != 1) {
            throw corrupt("it declares " + planes + " colour planes, not 1");
        }
        if (compression > 6) {
            throw unsupported("compression type " + compression);
        }
        boolean embedded = compression == EMBEDDED_JPEG || compression == EMBEDDED_PNG;
        if (embedded == false && bitsPerPixel != 1 && bitsPerPixel != 4 && bitsPerPixel != 8 && bitsPerPixel != 16
            && bitsPerPixel != 24 && bitsPerPixel != 32) {
            throw unsupported(bitsPerPixel + " bits per pixel");
        }
        if ((compression == 1 && bitsPerPixel != 8) || (compression == 2 && bitsPerPixel != 4)
            || ((compression == 3 || compression == 6) && bitsPerPixel != 16 && bitsPerPixel != 32)) {
            throw corrupt("compression type " + compression + " does not go with " + bitsPerPixel + " bits per pixel");
        }
        if (pixelDataStart < 14 + headerSize || pixelDataStart > b.length) {
            throw truncated("its pixel data is said to start at byte " + pixelDataStart + ", outside the " + b.length + " bytes of data");
        }
        if (bitsPerPixel <= 8 && embedded == false && coloursUsed > (1L << bitsPerPixel)) {
            throw corrupt("it declares " + coloursUsed + " colours for " + bitsPerPixel + " bits per pixel");
        }
        if (headerSize == 124) {
            checkProfile(b);
        }
        long available = b.length - pixelDataStart;
        long dataLength;
        if (compression == 0 || compression == 3 || compression == 6) {
            dataLength = Math.ceilDiv(width * bitsPerPixel, 32) * 4 * height;
        } else {
            dataLength = imageSize == 0 ? available : imageSize;
        }
        return new BmpLayout((int) width, (int) height, bitsPerPixel, (int) compression, (int) pixelDataStart, dataLength);
    }

    /** A version 5 header may point at an ICC profile (its offset counts from the header's start): it must be inside. */
    private static void checkProfile(byte[] b) {
        long offset = Bytes.u32le(b, 14 + 112);
        long size = Bytes.u32le(b, 14 + 116);
        if (size > 0 && Bytes.holds(b, 14 + offset, size) == false) {
            throw truncated("its colour profile of " + size + " bytes at byte " + (14 + offset) + " lies outside the data");
        }
    }

    @Override
    public void checkData(byte[] bytes) {
        long available = bytes.length - pixelDataStart;
        if (pixelDataLength > available) {
            throw truncated(
                compression == 0 || compression == 3 || compression == 6
                    ? "its " + width + "x" + height + " pixels need " + pixelDataLength + " bytes but only " + available + " follow the headers"
                    : "its header declares " + pixelDataLength + " bytes of pixel data but only " + available + " follow the headers"
            );
        }
    }

    boolean isEmbedded() {
        return compression == EMBEDDED_JPEG || compression == EMBEDDED_PNG;
    }

    /** The JDK reader: the destination raster (1 to 4 bytes a pixel), a row at full width, RLE data read whole. */
    @Override
    public long decodingBytes(int outWidth, int outHeight) {
        int bytesPerPixel = bitsPerPixel <= 8 ? 1 : bitsPerPixel / 8;
        long compressed = compression == 1 || compression == 2 ? pixelDataLength : 0;
        return (long) outWidth * outHeight * bytesPerPixel + 4L * width + compressed + DECODER_OVERHEAD;
    }

    private static InvalidImageException truncated(String reason) {
        return new InvalidImageException("BMP image is truncated: " + reason);
    }

    private static InvalidImageException corrupt(String reason) {
        return new InvalidImageException("BMP image is truncated or corrupt: " + reason);
    }

    private static InvalidImageException unsupported(String what) {
        return new InvalidImageException("BMP image uses " + what + ", which is not supported");
    }
}
