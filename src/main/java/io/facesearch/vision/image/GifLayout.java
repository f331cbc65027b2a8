package io.facesearch.vision.image;

import java.util.Locale;

/**
 * The blocks of a GIF up to its first image (the only one decoded): the logical screen, the image's own size, and
 * how many pixels its LZW data really yields. The JDK reader fills whatever the data does not cover, so a GIF of a
 * few bytes declaring a huge frame would decode; counting the LZW output first (no pixels are stored, only each
 * code's length) refuses it.
 *
 * @param width        width of the first image (what the reader decodes)
 * @param height       height of the first image
 * @param screenWidth  width of the logical screen
 * @param screenHeight   height of the logical screen
 * @param imageDataStart where the first image's LZW data starts (its code size byte)
 */
record GifLayout(int width, int height, int screenWidth, int screenHeight, int imageDataStart) implements ImageLayout {

    private static final int MAX_CODES = 4096;

    static GifLayout read(byte[] b) {
        if (b.length < 13) {
            throw truncated("the data ends at byte " + b.length + " inside the logical screen descriptor");
        }
        int screenWidth = Bytes.u16le(b, 6);
        int screenHeight = Bytes.u16le(b, 8);
        int pos = 13 + colourTableBytes(b[10]);
        while (true) {
            if (pos >= b.length) {
                throw truncated("the data ends at byte " + b.length + " before its first image");
            }
            int block = b[pos] & 0xFF;
            switch (block) {
                case 0x21 -> pos = skipSubBlocks(b, pos + 2);
                case 0x2C -> {
                    if (pos + 10 > b.length) {
                        throw truncated("the data ends inside the image descriptor at byte " + pos);
                    }
                    int width = Bytes.u16le(b, pos + 5);
                    int height = Bytes.u16le(b, pos + 7);
                    if (width == 0 || height == 0) {
                        throw new InvalidImageException("GIF image declares an invalid size of " + width + "x" + height);
                    }
                    int data = pos + 10 + colourTableBytes(b[pos + 9]);
                    if (data >= b.length) {
                        throw truncated("the data ends at byte " + b.length + " before the image data");
                    }
                    return new GifLayout(width, height, screenWidth, screenHeight, data);
                }
                case 0x3B -> throw new InvalidImageException("GIF image holds no image: it ends before any image descriptor");
                default -> throw corrupt(String.format(Locale.ROOT, "unexpected block type 0x%02x at byte %d", block, pos));
            }
        }
    }

    @Override
    public void checkData(byte[] bytes) {
        long pixels = (long) width * height;
        long decoded = countLzwPixels(bytes, imageDataStart, pixels);
        if (decoded < pixels) {
            throw truncated(
                "its image data yields " + decoded + " of the " + width + "x" + height + " = " + pixels + " pixels its first image declares"
            );
        }
    }

    /** The JDK reader: one byte a pixel of the destination, a row of the frame, the LZW tables. */
    @Override
    public long decodingBytes(int outWidth, int outHeight) {
        return (long) outWidth * outHeight + 2L * width + DECODER_OVERHEAD;
    }

    private static int colourTableBytes(byte flags) {
        return (flags & 0x80) == 0 ? 0 : 3 << ((flags & 0x07) + 1);
    }

    /** The position after the sub-blocks starting at {@code pos} and their zero terminator. */
    private static int skipSubBlocks(byte[] b, int pos) {
        while (true) {
            if (pos >= b.length) {
                throw truncated("the data ends at byte " + b.length + " inside a block");
            }
            int size = b[pos] & 0xFF;
            if (size == 0) {
                return pos + 1;
            }
            pos += 1 + size;
        }
    }

    /**
     * How many pixels the LZW data at {@code pos} (code size byte, then sub-blocks) decodes to, stopping once
     * {@code wanted} are reached: a decode that keeps each table entry's length instead of its string.
     */
    static long countLzwPixels(byte[] b, int pos, long wanted) {
        int minimumCodeSize = b[pos] & 0xFF;
        if (minimumCodeSize < 1 || minimumCodeSize > 11) {
            throw corrupt("an LZW minimum code size of " + minimumCodeSize);
        }
        int clear = 1 << minimumCodeSize;
        int end = clear + 1;
        int[] lengths = new int[MAX_CODES];
        java.util.Arrays.fill(lengths, 0, Math.min(clear, MAX_CODES), 1);
        int codeSize = minimumCodeSize + 1;
        int next = clear + 2;
        int previous = -1;
        long pixels = 0;
        long bits = 0;
        int bitCount = 0;
        int block = pos + 1;
        int blockEnd = block;
        while (pixels < wanted) {
            while (bitCount < codeSize) {
                if (block >= blockEnd) {
                    if (blockEnd >= b.length) {
                        return pixels; // cut inside the data
                    }
                    int size = b[blockEnd] & 0xFF;
                    if (size == 0) {
                        return pixels; // the terminator came before the end code
                    }
                    block = blockEnd + 1;
                    blockEnd = Math.min(b.length, block + size);
                    continue;
                }
                bits |= (long) (b[block++] & 0xFF) << bitCount;
                bitCount += 8;
            }
            int code = (int) (bits & ((1 << codeSize) - 1));
            bits >>>= codeSize;
            bitCount -= codeSize;
            if (code == clear) {
                codeSize = minimumCodeSize + 1;
                next = clear + 2;
                previous = -1;
                continue;
            }
            if (code == end) {
                return pixels;
            }
            int length;
            if (previous < 0) {
                if (code >= clear) {
                    return pixels; // a string code before any string: corrupt, nothing more decodes
                }
                length = 1;
            } else if (code < next) {
                length = lengths[code];
                if (length == 0) {
                    return pixels;
                }
                addEntry(lengths, next, lengths[previous] + 1);
            } else if (code == next) {
                length = lengths[previous] + 1;
                addEntry(lengths, next, length);
            } else {
                return pixels; // a code beyond the table
            }
            pixels += length;
            if (previous >= 0 && next < MAX_CODES) {
                next++;
                if (next == 1 << codeSize && codeSize < 12) {
                    codeSize++;
                }
            }
            previous = code;
        }
        return pixels;
    }

    private static void addEntry(int[] lengths, int next, int length) {
        if (next < MAX_CODES) {
            lengths[next] = length;
        }
    }

    private static InvalidImageException truncated(String reason) {
        return new InvalidImageException("GIF image is truncated: " + reason);
    }

    private static InvalidImageException corrupt(String reason) {
        return new InvalidImageException("GIF image is truncated or corrupt: " + reason);
    }
}
