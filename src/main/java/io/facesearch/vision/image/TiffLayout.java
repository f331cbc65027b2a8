package io.facesearch.vision.image;

import java.util.Arrays;

/**
 * The first image file directory of a TIFF: size, samples, compression, and its strips or tiles. Every value array
 * and every strip or tile must lie inside the data, and the strips must be long enough for the pixels they
 * declare (exactly, uncompressed; within the most the compression can expand, compressed), so that the JDK reader,
 * which allocates by the sizes and counts it is given and fills missing strips with zeros, only ever reads what
 * is there.
 *
 * @param width          declared width
 * @param height         declared height
 * @param samplesPerPixel samples of each pixel (1 grey or palette, 3 RGB, 4 with alpha or CMYK, ...)
 * @param bitsPerSample  bits of the widest sample
 * @param compression    TIFF compression code
 * @param largestSegment bytes the largest strip or tile holds once decompressed
 * @param largestStored  bytes the largest strip or tile takes in the file
 * @param rawBytes       bytes all strips or tiles hold once decompressed
 * @param storedBytes    bytes all strips or tiles take in the file
 * @param minimumStoredBytes the fewest stored bytes that can decompress to {@code rawBytes} with this compression
 */
record TiffLayout(
    int width,
    int height,
    int samplesPerPixel,
    int bitsPerSample,
    int compression,
    long largestSegment,
    long largestStored,
    long rawBytes,
    long storedBytes,
    long minimumStoredBytes
) implements ImageLayout {

    private static final int IMAGE_WIDTH = 256;
    private static final int IMAGE_LENGTH = 257;
    private static final int BITS_PER_SAMPLE = 258;
    private static final int COMPRESSION = 259;
    private static final int PHOTOMETRIC = 262;
    private static final int STRIP_OFFSETS = 273;
    private static final int SAMPLES_PER_PIXEL = 277;
    private static final int ROWS_PER_STRIP = 278;
    private static final int STRIP_BYTE_COUNTS = 279;
    private static final int PLANAR_CONFIGURATION = 284;
    private static final int TILE_WIDTH = 322;
    private static final int TILE_LENGTH = 323;
    private static final int TILE_OFFSETS = 324;
    private static final int TILE_BYTE_COUNTS = 325;
    private static final int LZW = 5;
    private static final int MAX_ENTRIES = 4096;

    static TiffLayout read(byte[] b) {
        if (b.length < 8) {
            throw truncated("the data ends at byte " + b.length + " inside the header");
        }
        boolean little = b[0] == 'I';
        long directory = Bytes.u32(b, 4, little);
        if (directory < 8 || Bytes.holds(b, directory, 2) == false) {
            throw truncated("its first image directory is said to be at byte " + directory + ", outside the " + b.length + " bytes of data");
        }
        int entries = Bytes.u16(b, (int) directory, little);
        if (entries > MAX_ENTRIES) {
            throw corrupt("its first image directory declares " + entries + " entries");
        }
        if (Bytes.holds(b, directory + 2, 12L * entries) == false) {
            throw truncated("its first image directory of " + entries + " entries runs past the end of the data");
        }
        Directory tags = new Directory(b, little);
        for (int i = 0; i < entries; i++) {
            tags.entry((int) directory + 2 + 12 * i);
        }
        return tags.layout();
    }

    @Override
    public void checkData(byte[] bytes) {
        if (storedBytes < minimumStoredBytes) {
            throw new InvalidImageException(
                "TIFF image is truncated or corrupt: its " + width + "x" + height + " pixels come in strips or tiles of " + rawBytes
                    + " bytes in all, more than its " + storedBytes + " bytes of image data can hold"
            );
        }
    }

    /** The JDK reader: the destination raster, a strip or tile decompressed and converted, the stored bytes, LZW strings. */
    @Override
    public long decodingBytes(int outWidth, int outHeight) {
        long bytesPerSample = bitsPerSample <= 8 ? 1 : bitsPerSample <= 16 ? 2 : 4;
        long raster = (long) outWidth * outHeight * samplesPerPixel * bytesPerSample;
        long strings = compression == LZW ? 8L * 1024 * 1024 : 0;
        return raster + 2 * largestSegment + largestStored + strings + DECODER_OVERHEAD;
    }

    /** The most a strip of this compression can expand (bytes out per byte in), for the length check. */
    private static long maxExpansion(int compression, int width) {
        return switch (compression) {
            case 1 -> 1;
            case 32773 -> 64; // PackBits: 2 bytes repeat a byte 128 times
            case LZW -> 4096; // a 9 to 12-bit code stands for at most 4096 bytes
            case 8, 32946 -> PngLayout.MAX_DEFLATE_RATIO;
            case 7 -> 1024; // JPEG: at least 2 bits for each 8x8 block of samples
            case 2, 3, 4 -> Math.max(8, width); // CCITT: a white row may take a single code
            default -> throw new InvalidImageException("TIFF image uses compression " + compression + ", which is not supported");
        };
    }

    /** Reads the entries of one directory and checks them. */
    private static final class Directory {
        private final byte[] b;
        private final boolean little;
        private long width = -1;
        private long height = -1;
        private long[] bitsPerSample = { 1 };
        private int compression = 1;
        private int photometric = -1;
        private int samplesPerPixel = 1;
        private long rowsPerStrip = -1;
        private int planar = 1;
        private long tileWidth = -1;
        private long tileLength = -1;
        private long[] offsets;
        private long[] counts;
        private boolean tiled;

        Directory(byte[] b, boolean little) {
            this.b = b;
            this.little = little;
        }

        void entry(int p) {
            int tag = Bytes.u16(b, p, little);
            int type = Bytes.u16(b, p + 2, little);
            long count = Bytes.u32(b, p + 4, little);
            int size = typeSize(type);
            if (size == 0) {
                return; // a type the reader skips
            }
            long bytes = count * size;
            long at = bytes <= 4 ? p + 8 : Bytes.u32(b, p + 8, little);
            if (Bytes.holds(b, at, bytes) == false) {
                throw truncated("the " + count + " values of tag " + tag + " lie outside the " + b.length + " bytes of data");
            }
            switch (tag) {
                case IMAGE_WIDTH -> width = first(at, type, count);
                case IMAGE_LENGTH -> height = first(at, type, count);
                case BITS_PER_SAMPLE -> bitsPerSample = values(at, type, count);
                case COMPRESSION -> compression = (int) first(at, type, count);
                case PHOTOMETRIC -> photometric = (int) first(at, type, count);
                case SAMPLES_PER_PIXEL -> samplesPerPixel = (int) Math.min(Integer.MAX_VALUE, first(at, type, count));
                case ROWS_PER_STRIP -> rowsPerStrip = first(at, type, count);
                case PLANAR_CONFIGURATION -> planar = (int) first(at, type, count);
                case TILE_WIDTH -> tileWidth = first(at, type, count);
                case TILE_LENGTH -> tileLength = first(at, type, count);
                case STRIP_OFFSETS, TILE_OFFSETS -> {
                    offsets = values(at, type, count);
                    tiled = tag == TILE_OFFSETS;
                }
                case STRIP_BYTE_COUNTS, TILE_BYTE_COUNTS -> counts = values(at, type, count);
                default -> {
                }
            }
        }

        TiffLayout layout() {
            if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
                throw new InvalidImageException("TIFF image declares an invalid size of " + width + "x" + height);
            }
            if (samplesPerPixel < 1 || samplesPerPixel > 16) {
                throw corrupt("it declares " + samplesPerPixel + " samples per pixel");
            }
            if (bitsPerSample.length == 0) {
                throw corrupt("its bits per sample field holds no value");
            }
            long bits = 0;
            long widest = 0;
            for (int i = 0; i < samplesPerPixel; i++) {
                long sampleBits = bitsPerSample[Math.min(i, bitsPerSample.length - 1)];
                if (sampleBits < 1 || sampleBits > 32) {
                    throw corrupt("it declares " + sampleBits + " bits per sample");
                }
                bits += sampleBits;
                widest = Math.max(widest, sampleBits);
            }
            if (planar != 1 && planar != 2) {
                throw corrupt("planar configuration " + planar + " does not exist");
            }
            long expansion = maxExpansion(compression, (int) width);
            if (offsets == null) {
                throw corrupt("it has no " + (tiled ? "tile" : "strip") + " offsets");
            }
            int planes = planar == 2 ? samplesPerPixel : 1;
            long bitsPerPlanePixel = planar == 2 ? widest : bits;
            long segmentWidth;
            long segmentRows;
            long across;
            long down;
            if (tiled) {
                if (tileWidth <= 0 || tileLength <= 0) {
                    throw corrupt("it has tile offsets but no tile size");
                }
                segmentWidth = tileWidth;
                segmentRows = tileLength;
                across = Math.ceilDiv(width, tileWidth);
                down = Math.ceilDiv(height, tileLength);
            } else {
                segmentWidth = width;
                segmentRows = rowsPerStrip <= 0 || rowsPerStrip > height ? height : rowsPerStrip;
                across = 1;
                down = Math.ceilDiv(height, segmentRows);
            }
            long segments = across * down * planes;
            if (offsets.length < segments) {
                throw truncated("it declares " + segments + " " + (tiled ? "tiles" : "strips") + " but gives " + offsets.length + " offsets");
            }
            long rowBytes = Math.ceilDiv(segmentWidth * bitsPerPlanePixel, 8);
            long[] stored = counts;
            if (stored == null) {
                if (compression != 1) {
                    throw corrupt("it has no " + (tiled ? "tile" : "strip") + " byte counts");
                }
                stored = new long[(int) segments];
                Arrays.fill(stored, rowBytes * segmentRows); // uncompressed data without counts: each takes its size
            } else if (stored.length < segments) {
                throw truncated("it declares " + segments + " " + (tiled ? "tiles" : "strips") + " but gives " + stored.length + " byte counts");
            }
            long largestStored = 0;
            long totalStored = 0;
            long totalRaw = 0;
            for (int s = 0; s < segments; s++) {
                if (Bytes.holds(b, offsets[s], stored[s]) == false) {
                    throw truncated((tiled ? "tile " : "strip ") + s + " (" + stored[s] + " bytes at byte " + offsets[s] + ") lies outside the data");
                }
                long rows = tiled ? segmentRows : Math.min(segmentRows, height - (s % down) * segmentRows);
                totalRaw += rowBytes * rows;
                totalStored += stored[s];
                largestStored = Math.max(largestStored, stored[s]);
            }
            // YCbCr is usually stored subsampled: up to half the bytes of full samples; each segment may end in padding
            long minimumStored = (photometric == 6 && compression != 7 ? totalRaw / 2 : totalRaw) / expansion - 1024 * segments;
            return new TiffLayout(
                (int) width,
                (int) height,
                samplesPerPixel,
                (int) widest,
                compression,
                rowBytes * segmentRows,
                largestStored,
                totalRaw,
                totalStored,
                minimumStored
            );
        }

        private long first(long at, int type, long count) {
            return count == 0 ? 0 : value(at, type);
        }

        private long[] values(long at, int type, long count) {
            long[] values = new long[(int) count]; // count * size lies inside the data: bounded by its length
            for (int i = 0; i < count; i++) {
                values[i] = value(at + (long) i * typeSize(type), type);
            }
            return values;
        }

        private long value(long at, int type) {
            int p = (int) at;
            return switch (type) {
                case 1, 6, 7 -> b[p] & 0xFF;
                case 3, 8 -> Bytes.u16(b, p, little);
                case 4, 9, 13 -> Bytes.u32(b, p, little);
                default -> 0;
            };
        }
    }

    /** Bytes of one value of a TIFF field type; 0 for types the reader does not know. */
    private static int typeSize(int type) {
        return switch (type) {
            case 1, 2, 6, 7 -> 1;
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12 -> 8;
            default -> 0;
        };
    }

    private static InvalidImageException truncated(String reason) {
        return new InvalidImageException("TIFF image is truncated: " + reason);
    }

    private static InvalidImageException corrupt(String reason) {
        return new InvalidImageException("TIFF image is truncated or corrupt: " + reason);
    }
}
