package io.facesearch.vision.image;

/**
 * EXIF orientation: read from a photo's metadata (JPEG APP1, TIFF IFD0, PNG {@code eXIf}, WebP {@code EXIF}) and
 * applied to its decoded pixels, so that faces are found upright whatever way the camera was held.
 */
final class ExifOrientation {
    private ExifOrientation() {}


    /**
     * Returns the pixels of a {@code w}x{@code h} BGR image as displayed under EXIF orientation
     * {@code orientation} (1-8). For 5-8 the result is {@code h}x{@code w}.
     */
    static byte[] apply(byte[] bgr, int w, int h, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return bgr;
        }
        boolean transpose = orientation >= 5;
        int ow = transpose ? h : w;
        int oh = transpose ? w : h;
        // Output (x, y) reads stored column sx = cx + ax*x + bx*y and row sy = cy + ay*x + by*y.
        int ax;
        int bx;
        int cx;
        int ay;
        int by;
        int cy;
        switch (orientation) {
            case 2 -> { ax = -1; bx = 0; cx = w - 1; ay = 0; by = 1; cy = 0; }      // mirror horizontal
            case 3 -> { ax = -1; bx = 0; cx = w - 1; ay = 0; by = -1; cy = h - 1; } // rotate 180
            case 4 -> { ax = 1; bx = 0; cx = 0; ay = 0; by = -1; cy = h - 1; }      // mirror vertical
            case 5 -> { ax = 0; bx = 1; cx = 0; ay = 1; by = 0; cy = 0; }           // transpose
            case 6 -> { ax = 0; bx = 1; cx = 0; ay = -1; by = 0; cy = h - 1; }      // rotate 90 clockwise
            case 7 -> { ax = 0; bx = -1; cx = w - 1; ay = -1; by = 0; cy = h - 1; } // transverse
            default -> { ax = 0; bx = -1; cx = w - 1; ay = 1; by = 0; cy = 0; }     // 8: rotate 90 counter-clockwise
        }
        byte[] out = new byte[bgr.length];
        int step = (ay * w + ax) * 3; // source step for x + 1
        int o = 0;
        for (int y = 0; y < oh; y++) {
            int sx = cx + bx * y;
            int sy = cy + by * y;
            int p = (sy * w + sx) * 3;
            for (int x = 0; x < ow; x++, p += step) {
                out[o++] = bgr[p];
                out[o++] = bgr[p + 1];
                out[o++] = bgr[p + 2];
            }
        }
        return out;
    }

    /** EXIF orientation 1-8 from the photo's metadata, 1 if absent or unreadable. */
    static int read(ImageFormat format, byte[] b) {
        try {
            return switch (format) {
                case JPEG -> jpegOrientation(b);
                case TIFF -> tiffOrientation(b, 0, b.length);
                case PNG -> pngOrientation(b);
                case WEBP -> webpOrientation(b);
                default -> 1;
            };
        } catch (RuntimeException e) {
            return 1; // broken metadata never makes a photo unreadable
        }
    }

    private static int jpegOrientation(byte[] b) {
        int[] orientation = { 1 };
        JpegSegments.walk(b, (marker, start, declaredEnd) -> {
            int end = Math.min(b.length, declaredEnd); // a cut APP1 still gives what it holds
            if (marker == 0xE1 && end - start >= 14 && b[start] == 'E' && b[start + 1] == 'x' && b[start + 2] == 'i'
                && b[start + 3] == 'f' && b[start + 4] == 0 && b[start + 5] == 0) {
                orientation[0] = tiffOrientation(b, start + 6, end);
                return false;
            }
            return marker != 0xDA;
        });
        return orientation[0];
    }

    private static int pngOrientation(byte[] b) {
        int pos = 8;
        while (pos + 8 <= b.length) {
            int length = Bytes.s32be(b, pos);
            if (length < 0 || pos + 12L + length > b.length) {
                return 1;
            }
            if (b[pos + 4] == 'e' && b[pos + 5] == 'X' && b[pos + 6] == 'I' && b[pos + 7] == 'f') {
                return tiffOrientation(b, pos + 8, pos + 8 + length);
            }
            if (b[pos + 4] == 'I' && b[pos + 5] == 'D' && b[pos + 6] == 'A' && b[pos + 7] == 'T') {
                return 1; // eXIf must precede IDAT
            }
            pos += 12 + length;
        }
        return 1;
    }

    private static int webpOrientation(byte[] b) {
        int pos = 12;
        while (pos + 8 <= b.length) {
            long size = Bytes.s32le(b, pos + 4) & 0xFFFFFFFFL;
            int start = pos + 8;
            long end = start + size;
            if (end > b.length) {
                return 1;
            }
            if (b[pos] == 'E' && b[pos + 1] == 'X' && b[pos + 2] == 'I' && b[pos + 3] == 'F') {
                int s = start;
                // Some writers keep the JPEG-style "Exif\0\0" prefix.
                if (size >= 6 && b[s] == 'E' && b[s + 1] == 'x' && b[s + 2] == 'i' && b[s + 3] == 'f') {
                    s += 6;
                }
                return tiffOrientation(b, s, (int) end);
            }
            pos = (int) (end + (size & 1));
        }
        return 1;
    }

    /** Reads tag 0x0112 of IFD0 of the TIFF structure that starts at {@code start}. */
    private static int tiffOrientation(byte[] b, int start, int end) {
        if (end - start < 8) {
            return 1;
        }
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') {
            little = true;
        } else if (b[start] == 'M' && b[start + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (Bytes.u16(b, start + 2, little) != 42) {
            return 1;
        }
        long ifd = Bytes.u32(b, start + 4, little);
        if (ifd < 8 || start + ifd + 2 > end) {
            return 1;
        }
        int p = (int) (start + ifd);
        int count = Bytes.u16(b, p, little);
        p += 2;
        for (int i = 0; i < count && p + 12 <= end; i++, p += 12) {
            if (Bytes.u16(b, p, little) == 0x0112) {
                int type = Bytes.u16(b, p + 2, little);
                int value = type == 3 ? Bytes.u16(b, p + 8, little) : type == 4 ? (int) Bytes.u32(b, p + 8, little) : b[p + 8] & 0xFF;
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }
}
