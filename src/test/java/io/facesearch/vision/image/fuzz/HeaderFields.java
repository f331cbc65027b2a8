package io.facesearch.vision.image.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where the header fields of an image file lie (above all those that hold a size: dimensions, lengths, counts,
 * offsets), and its segments (JPEG marker segments, PNG chunks, GIF blocks, RIFF chunks, TIFF entries...), so that
 * mutations can hit the bytes a decoder trusts before it allocates.
 *
 * <p>Read leniently from bytes that may already be mutated: whatever cannot be parsed ends the walk, and a file that
 * cannot be parsed at all has no fields.
 */
final class HeaderFields {

    /** How a field's value is stored: a binary integer in either byte order, or decimal digits (PNM headers). */
    enum Encoding {
        BIG_ENDIAN,
        LITTLE_ENDIAN,
        DECIMAL
    }

    /** A header field: {@code length} bytes at {@code offset}; {@code size} when it holds a dimension, length, count or offset. */
    record Field(String name, int offset, int length, Encoding encoding, boolean size) {
        long value(byte[] b) {
            return switch (encoding) {
                case BIG_ENDIAN -> ByteFields.getBE(b, offset, length);
                case LITTLE_ENDIAN -> ByteFields.getLE(b, offset, length);
                case DECIMAL -> {
                    try {
                        yield Long.parseLong(new String(b, offset, length, StandardCharsets.US_ASCII));
                    } catch (NumberFormatException e) {
                        yield 0;
                    }
                }
            };
        }
    }

    /** A part of the file that can be removed or repeated whole: {@code length} bytes at {@code offset}. */
    record Segment(String name, int offset, int length) {}

    /** Most fields recorded for repeated structures (GIF sub-blocks, TIFF strip arrays), so one file cannot flood the list. */
    private static final int MAX_REPEATED = 16;

    private final List<Field> fields = new ArrayList<>();
    private final List<Segment> segments = new ArrayList<>();

    private HeaderFields() {}

    List<Field> fields() {
        return fields;
    }

    List<Field> sizeFields() {
        return fields.stream().filter(Field::size).toList();
    }

    List<Segment> segments() {
        return segments;
    }

    /** The layout of {@code bytes} read as a file of {@code family}; empty where they do not parse. */
    static HeaderFields of(ImageFamily family, byte[] bytes) {
        HeaderFields layout = new HeaderFields();
        try {
            switch (family) {
                case JPEG_BASELINE, JPEG_PROGRESSIVE -> layout.jpeg(bytes);
                case PNG -> layout.png(bytes);
                case GIF -> layout.gif(bytes);
                case WEBP_LOSSY, WEBP_LOSSLESS -> layout.riff(bytes);
                case BMP -> layout.bmp(bytes);
                case TIFF -> layout.tiff(bytes);
                case PNM -> layout.pnm(bytes);
            }
        } catch (IndexOutOfBoundsException e) {
            // a mutated file ends in the middle of a structure: keep what was read before
        }
        return layout;
    }

    private void field(String name, int offset, int length, Encoding encoding, boolean size, byte[] b) {
        if (offset >= 0 && offset + length <= b.length) {
            fields.add(new Field(name, offset, length, encoding, size));
        }
    }

    private void segment(String name, int offset, int length, byte[] b) {
        if (offset >= 0 && length > 0 && offset + length <= b.length) {
            segments.add(new Segment(name, offset, length));
        }
    }

    // ------------------------------------------------------------------------------------------
    // JPEG: marker segments; SOF sizes, component sampling; scans with their entropy-coded data

    /** The SOF marker (0xC0 baseline, 0xC2 progressive...) of a JPEG, or -1. */
    static int jpegFrameMarker(byte[] b) {
        HeaderFields layout = of(ImageFamily.JPEG_BASELINE, b);
        for (Segment s : layout.segments) {
            if (s.name().startsWith("SOF")) {
                return b[s.offset() + 1] & 0xFF;
            }
        }
        return -1;
    }

    private void jpeg(byte[] b) {
        Encoding be = Encoding.BIG_ENDIAN;
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                return;
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            if (marker == 0xD9) {
                return;
            }
            int length = (int) ByteFields.getBE(b, pos + 2, 2);
            String name = jpegMarkerName(marker);
            field(name + ".length", pos + 2, 2, be, true, b);
            boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frame) {
                field(name + ".precision", pos + 4, 1, be, false, b);
                field(name + ".height", pos + 5, 2, be, true, b);
                field(name + ".width", pos + 7, 2, be, true, b);
                field(name + ".components", pos + 9, 1, be, true, b);
                int components = b[pos + 9] & 0xFF;
                for (int c = 0; c < Math.min(components, 4); c++) {
                    field(name + ".component" + c + ".sampling", pos + 11 + 3 * c, 1, be, true, b);
                    field(name + ".component" + c + ".table", pos + 12 + 3 * c, 1, be, false, b);
                }
            } else if (marker == 0xC4 || marker == 0xDB) {
                field(name + ".table", pos + 4, 1, be, false, b);
            } else if (marker == 0xDD) {
                field("DRI.interval", pos + 4, 2, be, true, b);
            }
            int end = pos + 2 + length;
            if (marker == 0xDA) {
                field("SOS.components", pos + 4, 1, be, true, b);
                int components = b[pos + 4] & 0xFF;
                field("SOS.spectral_start", pos + 5 + 2 * components, 1, be, false, b);
                field("SOS.spectral_end", pos + 6 + 2 * components, 1, be, false, b);
                field("SOS.approximation", pos + 7 + 2 * components, 1, be, false, b);
                end = scanEnd(b, Math.min(end, b.length));
            }
            segment(name + "@" + pos, pos, Math.min(end, b.length) - pos, b);
            if (end <= pos) {
                return;
            }
            pos = end;
        }
    }

    /** Where the entropy-coded data that starts at {@code pos} ends: the next marker other than a restart or a stuffed 0xFF00. */
    private static int scanEnd(byte[] b, int pos) {
        for (int i = pos; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF) {
                int next = b[i + 1] & 0xFF;
                if (next != 0 && (next < 0xD0 || next > 0xD7) && next != 0xFF) {
                    return i;
                }
            }
        }
        return b.length;
    }

    private static String jpegMarkerName(int marker) {
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
            return "SOF" + (marker - 0xC0);
        }
        if (marker >= 0xE0 && marker <= 0xEF) {
            return "APP" + (marker - 0xE0);
        }
        return switch (marker) {
            case 0xC4 -> "DHT";
            case 0xCC -> "DAC";
            case 0xDA -> "SOS";
            case 0xDB -> "DQT";
            case 0xDD -> "DRI";
            case 0xFE -> "COM";
            default -> String.format(Locale.ROOT, "M%02X", marker);
        };
    }

    // ------------------------------------------------------------------------------------------
    // PNG: chunks; IHDR sizes, depth, colour type, interlace

    /** Start and length of each well-formed chunk: {offset, data length}. */
    static List<int[]> pngChunks(byte[] b) {
        List<int[]> chunks = new ArrayList<>();
        int pos = 8;
        while (pos + 12 <= b.length) {
            long length = ByteFields.getBE(b, pos, 4);
            if (pos + 12 + length > b.length) {
                break;
            }
            chunks.add(new int[] { pos, (int) length });
            pos += 12 + (int) length;
        }
        return chunks;
    }

    private void png(byte[] b) {
        Encoding be = Encoding.BIG_ENDIAN;
        for (int[] chunk : pngChunks(b)) {
            int pos = chunk[0];
            String type = fourCc(b, pos + 4);
            field(type + ".length", pos, 4, be, true, b);
            if (type.equals("IHDR")) {
                field("IHDR.width", pos + 8, 4, be, true, b);
                field("IHDR.height", pos + 12, 4, be, true, b);
                field("IHDR.bit_depth", pos + 16, 1, be, true, b);
                field("IHDR.colour_type", pos + 17, 1, be, false, b);
                field("IHDR.interlace", pos + 20, 1, be, false, b);
            }
            segment(type + "@" + pos, pos, 12 + chunk[1], b);
        }
    }

    /** The four characters of a chunk type at {@code pos}, any that is not printable ASCII shown as {@code ?}. */
    private static String fourCc(byte[] b, int pos) {
        StringBuilder type = new StringBuilder(4);
        for (int i = pos; i < pos + 4; i++) {
            type.append(b[i] >= 0x20 && b[i] < 0x7F ? (char) b[i] : '?');
        }
        return type.toString();
    }

    // ------------------------------------------------------------------------------------------
    // GIF: logical screen, colour tables, extensions, image descriptors and their sub-blocks

    private void gif(byte[] b) {
        Encoding le = Encoding.LITTLE_ENDIAN;
        field("screen.width", 6, 2, le, true, b);
        field("screen.height", 8, 2, le, true, b);
        field("screen.flags", 10, 1, le, true, b);
        int pos = 13;
        if ((b[10] & 0x80) != 0) {
            pos += 3 << ((b[10] & 7) + 1);
        }
        int images = 0;
        while (pos < b.length) {
            int start = pos;
            int introducer = b[pos] & 0xFF;
            if (introducer == 0x21) {
                pos = subBlocks("extension" + (b[pos + 1] & 0xFF), b, pos + 2);
                segment("extension@" + start, start, pos - start, b);
            } else if (introducer == 0x2C) {
                String name = "frame" + images++;
                field(name + ".left", pos + 1, 2, le, true, b);
                field(name + ".top", pos + 3, 2, le, true, b);
                field(name + ".width", pos + 5, 2, le, true, b);
                field(name + ".height", pos + 7, 2, le, true, b);
                field(name + ".flags", pos + 9, 1, le, true, b);
                int flags = b[pos + 9] & 0xFF;
                pos += 10;
                if ((flags & 0x80) != 0) {
                    pos += 3 << ((flags & 7) + 1);
                }
                field(name + ".lzw_code_size", pos, 1, le, true, b);
                pos = subBlocks(name, b, pos + 1);
                segment(name + "@" + start, start, pos - start, b);
            } else {
                return; // the trailer, or bytes that are not a block
            }
        }
    }

    /** Records the length bytes of the sub-blocks at {@code pos} and returns where they end (after the terminator). */
    private int subBlocks(String name, byte[] b, int pos) {
        int count = 0;
        while (pos < b.length) {
            int length = b[pos] & 0xFF;
            if (count++ < MAX_REPEATED) {
                field(name + ".block_length", pos, 1, Encoding.LITTLE_ENDIAN, true, b);
            }
            pos += 1 + length;
            if (length == 0) {
                break;
            }
        }
        return Math.min(pos, b.length);
    }

    // ------------------------------------------------------------------------------------------
    // WebP: the RIFF size and chunks; VP8 frame header, VP8L and VP8X sizes, ANMF frames

    /** Whether the RIFF chunk list has a chunk of type {@code fourCc}. */
    static boolean hasRiffChunk(byte[] b, String fourCc) {
        HeaderFields layout = of(ImageFamily.WEBP_LOSSY, b);
        return layout.segments.stream().anyMatch(s -> s.name().startsWith(fourCc + "@"));
    }

    private void riff(byte[] b) {
        Encoding le = Encoding.LITTLE_ENDIAN;
        field("RIFF.size", 4, 4, le, true, b);
        int pos = 12;
        while (pos + 8 <= b.length) {
            String type = fourCc(b, pos);
            long size = ByteFields.getLE(b, pos + 4, 4);
            field(type + ".size", pos + 4, 4, le, true, b);
            int data = pos + 8;
            switch (type) {
                case "VP8 " -> {
                    field("VP8.frame_tag", data, 3, le, true, b);
                    field("VP8.width", data + 6, 2, le, true, b);
                    field("VP8.height", data + 8, 2, le, true, b);
                }
                case "VP8L" -> {
                    // 14 bits of width - 1, 14 of height - 1, then alpha and version bits
                    field("VP8L.signature", data, 1, le, false, b);
                    field("VP8L.size_bits", data + 1, 4, le, true, b);
                    field("VP8L.width_bits", data + 1, 2, le, true, b);
                }
                case "VP8X" -> {
                    field("VP8X.flags", data, 1, le, false, b);
                    field("VP8X.canvas_width", data + 4, 3, le, true, b);
                    field("VP8X.canvas_height", data + 7, 3, le, true, b);
                }
                case "ALPH" -> field("ALPH.header", data, 1, le, false, b);
                case "ANMF" -> {
                    field("ANMF.x", data, 3, le, true, b);
                    field("ANMF.y", data + 3, 3, le, true, b);
                    field("ANMF.width", data + 6, 3, le, true, b);
                    field("ANMF.height", data + 9, 3, le, true, b);
                }
                default -> {
                }
            }
            long end = data + size + (size & 1);
            segment(type.trim() + "@" + pos, pos, (int) Math.min(end, b.length) - pos, b);
            if (end > b.length) {
                return;
            }
            pos = (int) end;
        }
    }

    // ------------------------------------------------------------------------------------------
    // BMP: file header, the info header of any version (sizes, depth, compression, masks, V5 profile), palette, pixels

    private void bmp(byte[] b) {
        Encoding le = Encoding.LITTLE_ENDIAN;
        field("file.size", 2, 4, le, true, b);
        field("file.pixel_offset", 10, 4, le, true, b);
        field("info.size", 14, 4, le, true, b);
        long headerSize = ByteFields.getLE(b, 14, 4);
        if (headerSize == 12) { // OS/2 BITMAPCOREHEADER: 16-bit sizes
            field("core.width", 18, 2, le, true, b);
            field("core.height", 20, 2, le, true, b);
            field("core.bits_per_pixel", 24, 2, le, true, b);
        } else {
            field("info.width", 18, 4, le, true, b);
            field("info.height", 22, 4, le, true, b);
            field("info.planes", 26, 2, le, true, b);
            field("info.bits_per_pixel", 28, 2, le, true, b);
            field("info.compression", 30, 4, le, false, b);
            field("info.image_size", 34, 4, le, true, b);
            field("info.colours_used", 46, 4, le, true, b);
            field("info.colours_important", 50, 4, le, true, b);
            if (headerSize >= 52 || ByteFields.getLE(b, 30, 4) == 3) {
                field("info.red_mask", 54, 4, le, false, b);
                field("info.green_mask", 58, 4, le, false, b);
                field("info.blue_mask", 62, 4, le, false, b);
            }
            if (headerSize >= 108) {
                field("v4.alpha_mask", 66, 4, le, false, b);
                field("v4.colour_space", 70, 4, le, false, b);
            }
            if (headerSize >= 124) {
                field("v5.profile_offset", 126, 4, le, true, b);
                field("v5.profile_size", 130, 4, le, true, b);
            }
        }
        long pixels = ByteFields.getLE(b, 10, 4);
        long paletteStart = 14 + headerSize;
        if (pixels > paletteStart && pixels <= b.length) {
            segment("palette", (int) paletteStart, (int) (pixels - paletteStart), b);
        }
        if (pixels > 0 && pixels < b.length) {
            segment("pixels", (int) pixels, b.length - (int) pixels, b);
        }
    }

    // ------------------------------------------------------------------------------------------
    // TIFF: the IFD chain; every entry's type, count and value; the strip and tile arrays; the strips themselves

    private static final Set<Integer> TIFF_SIZE_TAGS = Set.of(
        256, // ImageWidth
        257, // ImageLength
        258, // BitsPerSample
        273, // StripOffsets
        277, // SamplesPerPixel
        278, // RowsPerStrip
        279, // StripByteCounts
        322, // TileWidth
        323, // TileLength
        324, // TileOffsets
        325, // TileByteCounts
        330, // SubIFDs
        338  // ExtraSamples
    );

    private void tiff(byte[] b) {
        boolean little = b[0] == 'I';
        Encoding encoding = little ? Encoding.LITTLE_ENDIAN : Encoding.BIG_ENDIAN;
        field("header.ifd_offset", 4, 4, encoding, true, b);
        long ifd = ByteFields.get(b, 4, 4, little);
        List<long[]> offsets = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        for (int n = 0; n < 4 && ifd >= 8 && ifd + 2 <= b.length; n++) {
            int pos = (int) ifd;
            int entries = (int) ByteFields.get(b, pos, 2, little);
            field("ifd" + n + ".entries", pos, 2, encoding, true, b);
            for (int i = 0; i < entries; i++) {
                int e = pos + 2 + 12 * i;
                if (e + 12 > b.length) {
                    return;
                }
                int tag = (int) ByteFields.get(b, e, 2, little);
                int type = (int) ByteFields.get(b, e + 2, 2, little);
                long count = ByteFields.get(b, e + 4, 4, little);
                String name = "ifd" + n + ".tag" + tag;
                boolean size = TIFF_SIZE_TAGS.contains(tag);
                field(name + ".type", e + 2, 2, encoding, false, b);
                field(name + ".count", e + 4, 4, encoding, true, b);
                int typeSize = tiffTypeSize(type);
                boolean inline = typeSize * count <= 4;
                field(name + ".value", e + 8, inline && typeSize == 2 ? 2 : 4, encoding, size || inline == false, b);
                segment(name + "@" + e, e, 12, b);
                if (tag == 273 || tag == 324 || tag == 279 || tag == 325) {
                    long[] values = tiffValues(b, e, type, count, little, name, encoding);
                    (tag == 273 || tag == 324 ? offsets : counts).add(values);
                }
            }
            int next = pos + 2 + 12 * entries;
            field("ifd" + n + ".next", next, 4, encoding, true, b);
            if (next + 4 > b.length) {
                return;
            }
            ifd = ByteFields.get(b, next, 4, little);
        }
        // the strips or tiles of the first image, so they can be repeated or dropped
        if (offsets.isEmpty() == false && counts.isEmpty() == false) {
            long[] starts = offsets.get(0);
            long[] lengths = counts.get(0);
            for (int i = 0; i < Math.min(starts.length, lengths.length); i++) {
                if (starts[i] > 0 && starts[i] + lengths[i] <= b.length) {
                    segment("strip" + i, (int) starts[i], (int) lengths[i], b);
                }
            }
        }
    }

    /** The first values of a SHORT or LONG array entry (inline or at its offset), recording each as a field. */
    private long[] tiffValues(byte[] b, int entry, int type, long count, boolean little, String name, Encoding encoding) {
        int typeSize = tiffTypeSize(type);
        if (typeSize != 2 && typeSize != 4) {
            return new long[0];
        }
        int n = (int) Math.min(count, MAX_REPEATED);
        long start = typeSize * count <= 4 ? entry + 8 : ByteFields.get(b, entry + 8, 4, little);
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long p = start + (long) i * typeSize;
            if (p + typeSize > b.length) {
                break;
            }
            field(name + "[" + i + "]", (int) p, typeSize, encoding, true, b);
            values.add(ByteFields.get(b, (int) p, typeSize, little));
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static int tiffTypeSize(int type) {
        return switch (type) {
            case 1, 2, 6, 7 -> 1; // BYTE, ASCII, SBYTE, UNDEFINED
            case 3, 8 -> 2; // SHORT, SSHORT
            case 4, 9, 11, 13 -> 4; // LONG, SLONG, FLOAT, IFD
            case 5, 10, 12, 16, 17, 18 -> 8; // RATIONAL, SRATIONAL, DOUBLE, LONG8, SLONG8, IFD8
            default -> 1;
        };
    }

    // ------------------------------------------------------------------------------------------
    // PNM: the header's numbers (P1-P6: width, height, maximum; P7: the values of its named lines), header lines, pixels

    private void pnm(byte[] b) {
        if (b.length < 3 || b[0] != 'P') {
            return;
        }
        if (b[1] == '7') {
            pam(b);
            return;
        }
        int numbers = b[1] == '1' || b[1] == '4' ? 2 : 3;
        String[] names = { "width", "height", "maximum" };
        int pos = 2;
        for (int n = 0; n < numbers; n++) {
            pos = skipSpaceAndComments(b, pos);
            int start = pos;
            while (pos < b.length && Character.isDigit(b[pos])) {
                pos++;
            }
            if (pos == start) {
                return;
            }
            field("header." + names[n], start, pos - start, Encoding.DECIMAL, true, b);
        }
        int lineStart = 0;
        for (int i = 0; i <= pos && i < b.length; i++) {
            if (b[i] == '\n') {
                segment("header_line@" + lineStart, lineStart, i + 1 - lineStart, b);
                lineStart = i + 1;
            }
        }
        segment("pixels", pos + 1, b.length - pos - 1, b);
    }

    private void pam(byte[] b) {
        int lineStart = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] != '\n') {
                continue;
            }
            String line = new String(b, lineStart, i - lineStart, StandardCharsets.US_ASCII).trim();
            if (lineStart > 0) {
                segment("header_line@" + lineStart, lineStart, i + 1 - lineStart, b);
            }
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("#") == false) {
                String key = line.substring(0, space);
                int valueStart = lineStart + space + 1;
                int valueEnd = valueStart;
                while (valueEnd < i && Character.isDigit(b[valueEnd])) {
                    valueEnd++;
                }
                if (valueEnd > valueStart) {
                    field("header." + key, valueStart, valueEnd - valueStart, Encoding.DECIMAL, true, b);
                }
            }
            lineStart = i + 1;
            if (line.equals("ENDHDR")) {
                segment("pixels", lineStart, b.length - lineStart, b);
                return;
            }
        }
    }

    private static int skipSpaceAndComments(byte[] b, int pos) {
        while (pos < b.length) {
            if (b[pos] == '#') {
                while (pos < b.length && b[pos] != '\n') {
                    pos++;
                }
            } else if (Character.isWhitespace(b[pos])) {
                pos++;
            } else {
                break;
            }
        }
        return pos;
    }
}
