package io.facesearch.vision.image;

import java.nio.charset.StandardCharsets;

/**
 * The header of a Netpbm image (P1 to P6, and P7 PAM): size, samples per pixel and their largest value, and where
 * the pixels start. The pixel data must be long enough for the size declared: exactly for the binary forms, at
 * least one character a sample for the plain (text) ones.
 *
 * @param width     declared width
 * @param height    declared height
 * @param samples   samples per pixel (1 for bitmaps and grey, 3 for colour, up to 4 for PAM)
 * @param maxValue  largest sample value (1 for bitmaps)
 * @param kind      the digit after the P: 1 to 3 plain (text) bitmap, grey and colour, 4 to 6 the same in binary, 7 PAM
 * @param dataStart where the pixel data starts
 */
record PnmLayout(int width, int height, int samples, int maxValue, int kind, int dataStart) implements ImageLayout {

    static PnmLayout read(byte[] b) {
        int kind = b[1] - '0';
        Header header = new Header(b);
        long width;
        long height;
        long depth;
        long maxValue;
        if (kind == 7) {
            long[] fields = header.pam();
            width = fields[0];
            height = fields[1];
            depth = fields[2];
            maxValue = fields[3];
        } else {
            width = header.number("width");
            height = header.number("height");
            depth = kind == 3 || kind == 6 ? 3 : 1;
            maxValue = kind == 1 || kind == 4 ? 1 : header.number("maximum value");
            header.skipOneWhitespace();
        }
        if (width < 1 || height < 1 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new InvalidImageException("PNM image declares an invalid size of " + width + "x" + height);
        }
        if (depth < 1 || depth > 4) {
            throw corrupt("it declares " + depth + " samples per pixel");
        }
        if (maxValue < 1 || maxValue > 65535) {
            throw corrupt("it declares a maximum sample value of " + maxValue);
        }
        return new PnmLayout((int) width, (int) height, (int) depth, (int) maxValue, kind, header.position());
    }

    @Override
    public void checkData(byte[] bytes) {
        boolean plain = kind <= 3;
        long values = (long) width * height * samples;
        long available = bytes.length - dataStart;
        long needed;
        if (plain) {
            needed = kind == 1 ? values : 2 * values - 1; // bitmap digits may touch; other samples need a separator
        } else if (kind == 4) {
            needed = Math.ceilDiv(width, 8) * height;
        } else {
            needed = values * (maxValue > 255 ? 2 : 1);
        }
        if (needed > available) {
            throw new InvalidImageException(
                "PNM image is truncated: its " + width + "x" + height + " pixels need " + (plain ? "at least " : "") + needed
                    + " bytes but only " + available + " follow the header"
            );
        }
    }

    /** The TwelveMonkeys reader: the destination raster (2 bytes a sample above 255) and a row at full width. */
    @Override
    public long decodingBytes(int outWidth, int outHeight) {
        long bytesPerPixel = (long) samples * (maxValue > 255 ? 2 : 1);
        return (long) outWidth * outHeight * bytesPerPixel + 2 * width * bytesPerPixel + DECODER_OVERHEAD;
    }

    /** Reads the text header: numbers separated by whitespace and comments, or PAM's named lines. */
    private static final class Header {
        private final byte[] b;
        private int pos = 2;

        Header(byte[] b) {
            this.b = b;
        }

        int position() {
            return pos;
        }

        long number(String what) {
            skipWhitespaceAndComments();
            int start = pos;
            long value = 0;
            while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
                value = Math.min(Long.MAX_VALUE / 100, value * 10 + (b[pos] - '0'));
                pos++;
            }
            if (pos == start) {
                throw pos >= b.length ? truncated("the header ends before its " + what) : corrupt("its " + what + " is not a number");
            }
            return value;
        }

        void skipOneWhitespace() {
            if (pos >= b.length) {
                throw truncated("the header ends before the pixel data");
            }
            pos++;
        }

        private void skipWhitespaceAndComments() {
            while (pos < b.length) {
                byte c = b[pos];
                if (c == '#') {
                    while (pos < b.length && b[pos] != '\n' && b[pos] != '\r') {
                        pos++;
                    }
                } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C) {
                    pos++;
                } else {
                    return;
                }
            }
        }

        /** WIDTH, HEIGHT, DEPTH and MAXVAL of a PAM header, up to ENDHDR. */
        long[] pam() {
            long[] fields = { -1, -1, -1, -1 };
            while (true) {
                int lineEnd = pos;
                while (lineEnd < b.length && b[lineEnd] != '\n') {
                    lineEnd++;
                }
                if (lineEnd >= b.length) {
                    throw truncated("the PAM header ends before ENDHDR");
                }
                String line = new String(b, pos, lineEnd - pos, StandardCharsets.US_ASCII).trim();
                pos = lineEnd + 1;
                if (line.equals("ENDHDR")) {
                    for (int i = 0; i < fields.length; i++) {
                        if (fields[i] < 0) {
                            throw corrupt("its PAM header has no " + new String[] { "WIDTH", "HEIGHT", "DEPTH", "MAXVAL" }[i]);
                        }
                    }
                    return fields;
                }
                String[] parts = line.split("\\s+", 2);
                int field = switch (parts[0]) {
                    case "WIDTH" -> 0;
                    case "HEIGHT" -> 1;
                    case "DEPTH" -> 2;
                    case "MAXVAL" -> 3;
                    default -> -1;
                };
                if (field >= 0) {
                    try {
                        fields[field] = parts.length < 2 ? -1 : Math.max(-1, Long.parseLong(parts[1].trim()));
                    } catch (NumberFormatException e) {
                        throw corrupt("its PAM " + parts[0] + " is not a number");
                    }
                }
            }
        }
    }

    private static InvalidImageException truncated(String reason) {
        return new InvalidImageException("PNM image is truncated: " + reason);
    }

    private static InvalidImageException corrupt(String reason) {
        return new InvalidImageException("PNM image is truncated or corrupt: " + reason);
    }
}
