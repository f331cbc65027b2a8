package io.facesearch.vision.image;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The chunks of a PNG: its header (size, bit depth, colour type, interlacing) and how much compressed image data it
 * holds. Deflate never expands data more than 1032 times, so a PNG whose IDAT chunks are too short for the rows its
 * header declares is cut or forged, and is refused before any row is inflated.
 */
record PngLayout(int width, int height, int bitDepth, int colourType, boolean interlaced, long imageDataBytes) implements ImageLayout {

    /** The most a deflate stream can expand: 258 bytes from a 2-bit match code. */
    static final int MAX_DEFLATE_RATIO = 1032;

    static PngLayout read(byte[] b) {
        int pos = 8;
        int[] header = null;
        boolean palette = false;
        long imageData = 0;
        while (true) {
            if (pos + 8 > b.length) {
                throw truncated("the data ends at byte " + b.length + " before the IEND chunk");
            }
            long length = Bytes.u32be(b, pos);
            String type = new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (length > Integer.MAX_VALUE) {
                throw corrupt("chunk '" + printable(type) + "' declares a length of " + length + " bytes");
            }
            if (header == null && type.equals("IHDR") == false) {
                throw corrupt("the first chunk is '" + printable(type) + "', not IHDR");
            }
            long end = pos + 12L + length;
            if (end > b.length) {
                throw truncated(
                    "chunk '" + printable(type) + "' at byte " + pos + " needs " + (end - pos) + " bytes but only " + (b.length - pos)
                        + " remain"
                );
            }
            switch (type) {
                case "IHDR" -> {
                    if (header != null) {
                        throw corrupt("it has a second IHDR chunk");
                    }
                    if (length != 13) {
                        throw corrupt("its IHDR chunk is " + length + " bytes long, not 13");
                    }
                    header = header(b, pos + 8);
                }
                case "PLTE" -> palette = true;
                case "IDAT" -> imageData += length;
                case "IEND" -> {
                    PngLayout layout = new PngLayout(header[0], header[1], header[2], header[3], header[4] == 1, imageData);
                    layout.check(palette);
                    return layout;
                }
                default -> {
                }
            }
            pos = (int) end;
        }
    }

    /** Width, height, bit depth, colour type and interlace method, checked against each other. */
    private static int[] header(byte[] b, int p) {
        long width = Bytes.u32be(b, p);
        long height = Bytes.u32be(b, p + 4);
        int bitDepth = b[p + 8] & 0xFF;
        int colourType = b[p + 9] & 0xFF;
        int compression = b[p + 10] & 0xFF;
        int filter = b[p + 11] & 0xFF;
        int interlace = b[p + 12] & 0xFF;
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new InvalidImageException(
                "PNG image declares an invalid size of " + width + "x" + height + ": width and height must be between 1 and " + Integer.MAX_VALUE
            );
        }
        boolean depthFits = switch (colourType) {
            case 0 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
            case 3 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
            case 2, 4, 6 -> bitDepth == 8 || bitDepth == 16;
            default -> throw corrupt("its colour type " + colourType + " does not exist");
        };
        if (depthFits == false) {
            throw corrupt("a bit depth of " + bitDepth + " is not allowed for colour type " + colourType);
        }
        if (compression != 0 || filter != 0 || interlace > 1) {
            throw corrupt(
                String.format(Locale.ROOT, "unknown compression %d, filter %d or interlace method %d", compression, filter, interlace)
            );
        }
        return new int[] { (int) width, (int) height, bitDepth, colourType, interlace };
    }

    private void check(boolean palette) {
        if (colourType == 3 && palette == false) {
            throw corrupt("a palette image without a PLTE chunk");
        }
        if (imageDataBytes == 0) {
            throw corrupt("it has no IDAT chunk");
        }
    }

    @Override
    public void checkData(byte[] bytes) {
        long raw = filteredBytes();
        // the zlib header and checksum take 6 bytes, and each stored block boundary a few more: a margin of 1 KB
        if (imageDataBytes * MAX_DEFLATE_RATIO + 1024 < raw) {
            throw new InvalidImageException(
                "PNG image is truncated or corrupt: its header declares " + width + "x" + height + " pixels (" + raw
                    + " bytes of rows), more than its " + imageDataBytes + " bytes of compressed image data can hold"
            );
        }
    }

    int samplesPerPixel() {
        return switch (colourType) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
    }

    private long rowBytes(long pixels) {
        return 1 + Math.ceilDiv(pixels * samplesPerPixel() * bitDepth, 8);
    }

    /** Bytes of the filtered rows the compressed data must inflate to (each row has a filter byte). */
    long filteredBytes() {
        if (interlaced == false) {
            return height * rowBytes(width);
        }
        // Adam7: pass p covers columns x0 + k*dx and rows y0 + k*dy
        int[][] passes = { { 0, 0, 8, 8 }, { 4, 0, 8, 8 }, { 0, 4, 4, 8 }, { 2, 0, 4, 4 }, { 0, 2, 2, 4 }, { 1, 0, 2, 2 }, { 0, 1, 1, 2 } };
        long total = 0;
        for (int[] pass : passes) {
            long columns = width > pass[0] ? Math.ceilDiv(width - pass[0], pass[2]) : 0;
            long rows = height > pass[1] ? Math.ceilDiv(height - pass[1], pass[3]) : 0;
            if (columns > 0 && rows > 0) {
                total += rows * rowBytes(columns);
            }
        }
        return total;
    }

    /** The JDK reader: the destination raster (palette and low bit depths one byte a pixel), and three rows at full width. */
    @Override
    public long decodingBytes(int outWidth, int outHeight) {
        int bytesPerPixel = colourType == 3 || bitDepth < 8 ? 1 : samplesPerPixel() * (bitDepth == 16 ? 2 : 1);
        return (long) outWidth * outHeight * bytesPerPixel + 3 * rowBytes(width) + DECODER_OVERHEAD;
    }

    private static InvalidImageException truncated(String reason) {
        return new InvalidImageException("PNG image is truncated: " + reason);
    }

    private static InvalidImageException corrupt(String reason) {
        return new InvalidImageException("PNG image is truncated or corrupt: " + reason);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format(Locale.ROOT, "\\x%02x", (int) c));
        }
        return sb.toString();
    }
}
