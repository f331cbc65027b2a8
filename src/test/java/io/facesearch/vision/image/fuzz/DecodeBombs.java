package io.facesearch.vision.image.fuzz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Hostile files for every format, generated: small files that declare (or inflate to) far more pixels or bytes than
 * they hold, aimed at decoders that allocate what a header declares before reading the data. Used by the in-process
 * bomb test and by {@code qa/bench fuzz} against a real node.
 *
 * <p>A bomb that {@link Bomb#mustRefuse()} can only end in an {@code InvalidImageException} or a
 * {@code MemoryBudget.Exhausted}: its data cannot fill what it declares, or it declares more than the pixel limit.
 * The others are images (or images with a hostile extra) that a careful decoder may also decode, at its working size.
 */
public final class DecodeBombs {
    /** One hostile file: a name for tables, what it is, its bytes, and whether refusing it is the only right answer. */
    public record Bomb(String name, String what, byte[] bytes, boolean mustRefuse) {}

    static final int WIDE = 10_000;
    static final int TALL = 9_999; // 99,990,000 pixels: just under the default limit of 100,000,000
    private static final long GIB = 1L << 30;

    private DecodeBombs() {}

    public static List<Bomb> all() {
        List<Bomb> bombs = new ArrayList<>();
        BufferedImage photo = SeedImages.picture(97, 61, 1);
        byte[] baseline = SeedImages.jpeg(photo, false, 0.8f);
        byte[] progressive = SeedImages.jpeg(photo, true, 0.8f);
        bombs.add(new Bomb("jpeg-baseline-sof-10000x9999", "baseline JPEG whose SOF0 says 10000x9999 over the scan of a 97x61 photo",
            jpegSized(baseline, WIDE, TALL), true));
        bombs.add(new Bomb("jpeg-progressive-sof-10000x9999", "progressive JPEG whose SOF2 says 10000x9999 over the scans of a 97x61 photo",
            jpegSized(progressive, WIDE, TALL), true));

        bombs.add(new Bomb("png-10000x9999-zero-idat", "PNG of 10000x9999 RGB whose IDAT is a real deflate stream of 300 MB of zeros",
            png(WIDE, TALL, 2, ZeroDeflate.zlib((long) TALL * (1 + 3L * WIDE))), false));
        byte[] small = SeedImages.png(SeedImages.picture(48, 40, 0), false);
        byte[] oneGib = ZeroDeflate.zlib(GIB);
        bombs.add(new Bomb("png-ztxt-1gib", "48x40 PNG with a zTXt chunk that inflates to 1 GiB",
            withChunkAfterHeader(small, "zTXt", concat(ascii("Comment\0"), new byte[] { 0 }, oneGib)), false));
        bombs.add(new Bomb("png-itxt-1gib", "48x40 PNG with a compressed iTXt chunk that inflates to 1 GiB",
            withChunkAfterHeader(small, "iTXt", concat(ascii("Comment\0"), new byte[] { 1, 0, 0, 0 }, oneGib)), false));
        bombs.add(new Bomb("png-iccp-1gib", "48x40 PNG with an iCCP profile that inflates to 1 GiB",
            withChunkAfterHeader(small, "iCCP", concat(ascii("ICC\0"), new byte[] { 0 }, oneGib)), false));

        bombs.add(new Bomb("gif-10000x9999-34-bytes", "34-byte GIF whose screen and frame are 10000x9999, with one LZW clear code",
            gif(WIDE, TALL, WIDE, TALL), false));
        bombs.add(new Bomb("gif-frame-10000x9999-screen-16x16", "GIF whose 10000x9999 frame is larger than its 16x16 logical screen",
            gif(16, 16, WIDE, TALL), false));

        bombs.add(new Bomb("webp-lossy-vp8-6700x12500", "lossy WebP whose VP8 frame header is edited from 97x61 to 6700x12500",
            webpLossySized(SeedImages.webp(photo, false, 80), 6_700, 12_500), true));
        bombs.add(new Bomb("webp-lossless-34-bytes-10000x9999", "34-byte lossless WebP (VP8L) of one colour, 10000x9999, every prefix code a single symbol",
            webpLosslessOneColour(WIDE, TALL), false));

        bombs.add(new Bomb("bmp-1x1-embedded-png-40000x40000", "BMP declaring 1x1 with BI_PNG: a 40000x40000 grey PNG of zeros (1.6 GB inflated)",
            bmpEmbedding(5, png(40_000, 40_000, 0, ZeroDeflate.zlib(40_000L * 40_001L))), true));
        bombs.add(new Bomb("bmp-1x1-embedded-jpeg-40000x40000", "BMP declaring 1x1 with BI_JPEG: a JPEG whose SOF says 40000x40000",
            bmpEmbedding(4, jpegSized(baseline, 40_000, 40_000)), true));
        bombs.add(new Bomb("bmp-rle8-image-size-2gib", "48x40 RLE8 BMP whose image size field says 0x7ffffff0 bytes",
            bmpRle8HugeImageSize(SeedImages.bmp(SeedImages.indexed(SeedImages.picture(48, 40, 1), 256, false), "BI_RLE8")), false));
        bombs.add(new Bomb("bmp-v5-icc-profile-2gib", "48x40 BMP with a V5 header whose embedded ICC profile size says 0x7ffffff0 bytes",
            bmpV5HugeProfile(SeedImages.bmpV5(SeedImages.withAlpha(SeedImages.picture(48, 40, 0)), false)), false));

        bombs.add(new Bomb("tiff-10000x9999-tiny-strips", "TIFF of a few hundred bytes: 10000x9999 grey in 16 strips of 1 byte each",
            tiffTinyStrips(), false));
        bombs.add(new Bomb("tiff-strip-byte-count-2gib", "64x64 grey TIFF whose one strip says 0x7ffffff0 bytes",
            tiffOneStrip(1, 0x7FFFFFF0L), false));
        bombs.add(new Bomb("tiff-tile-65520x65520", "64x64 grey TIFF made of one tile of 65520x65520",
            tiffOneTile(65_520), false));
        bombs.add(new Bomb("tiff-entry-count-2^30", "64x64 grey TIFF whose StripByteCounts entry has a count of 2^30",
            tiffOneStrip(1L << 30, 0), false));

        bombs.add(new Bomb("pnm-p7-depth-1000", "PAM of 1000x1000 with DEPTH 1000 (a billion samples) and 1000 bytes of data",
            concat(ascii("P7\nWIDTH 1000\nHEIGHT 1000\nDEPTH 1000\nMAXVAL 255\nTUPLTYPE GRAYSCALE\nENDHDR\n"), new byte[1000]), true));
        bombs.add(new Bomb("pnm-100000x100000", "PPM header declaring 100000x100000 with 1000 bytes of data",
            concat(ascii("P6\n100000 100000\n255\n"), new byte[1000]), true));
        return bombs;
    }

    // ------------------------------------------------------------------------------------------
    // JPEG

    /** {@code jpeg} with the width and height of its frame header replaced. */
    static byte[] jpegSized(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        HeaderFields layout = HeaderFields.of(ImageFamily.JPEG_BASELINE, out);
        for (HeaderFields.Field field : layout.fields()) {
            if (field.name().matches("SOF[0-9]+\\.width")) {
                ByteFields.putBE(out, field.offset(), 2, width);
            } else if (field.name().matches("SOF[0-9]+\\.height")) {
                ByteFields.putBE(out, field.offset(), 2, height);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // PNG

    /** A PNG of the given size, 8 bits per sample, {@code colourType} (0 grey, 2 RGB) and IDAT data. */
    private static byte[] png(int width, int height, int colourType, byte[] idat) {
        byte[] ihdr = new byte[13];
        ByteFields.putBE(ihdr, 0, 4, width);
        ByteFields.putBE(ihdr, 4, 4, height);
        ihdr[8] = 8;
        ihdr[9] = (byte) colourType;
        return concat(
            new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A },
            pngChunk("IHDR", ihdr),
            pngChunk("IDAT", idat),
            pngChunk("IEND", new byte[0])
        );
    }

    private static byte[] pngChunk(String type, byte[] data) {
        byte[] chunk = new byte[12 + data.length];
        ByteFields.putBE(chunk, 0, 4, data.length);
        ByteFields.ascii(chunk, 4, type);
        System.arraycopy(data, 0, chunk, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(chunk, 4, 4 + data.length);
        ByteFields.putBE(chunk, 8 + data.length, 4, crc.getValue());
        return chunk;
    }

    /** {@code png} with a chunk inserted right after IHDR (ancillary chunks of this kind belong before IDAT). */
    private static byte[] withChunkAfterHeader(byte[] png, String type, byte[] data) {
        int afterHeader = 8 + 12 + 13;
        return concat(Arrays.copyOf(png, afterHeader), pngChunk(type, data), Arrays.copyOfRange(png, afterHeader, png.length));
    }

    // ------------------------------------------------------------------------------------------
    // GIF

    /** A GIF89a with a two-colour table, a screen and one frame of the given sizes, and LZW data of a clear code and the end code. */
    private static byte[] gif(int screenWidth, int screenHeight, int frameWidth, int frameHeight) {
        byte[] b = new byte[34];
        ByteFields.ascii(b, 0, "GIF89a");
        ByteFields.putLE(b, 6, 2, screenWidth);
        ByteFields.putLE(b, 8, 2, screenHeight);
        b[10] = (byte) 0x80; // a global colour table of 2 entries
        // 13..18: black and white
        b[16] = (byte) 0xFF;
        b[17] = (byte) 0xFF;
        b[18] = (byte) 0xFF;
        b[19] = 0x2C;
        ByteFields.putLE(b, 24, 2, frameWidth);
        ByteFields.putLE(b, 26, 2, frameHeight);
        b[29] = 2; // LZW minimum code size: 3-bit codes, clear = 4, end = 5
        b[30] = 1; // one sub-block of one byte
        b[31] = (byte) (4 | (5 << 3));
        b[32] = 0; // end of the sub-blocks
        b[33] = 0x3B; // trailer
        return b;
    }

    // ------------------------------------------------------------------------------------------
    // WebP

    private static byte[] webpLossySized(byte[] webp, int width, int height) {
        byte[] out = webp.clone();
        for (HeaderFields.Field field : HeaderFields.of(ImageFamily.WEBP_LOSSY, out).fields()) {
            if (field.name().equals("VP8.width")) {
                ByteFields.putLE(out, field.offset(), 2, width); // 14 bits of size, 2 of scale (0)
            } else if (field.name().equals("VP8.height")) {
                ByteFields.putLE(out, field.offset(), 2, height);
            }
        }
        return out;
    }

    /**
     * A complete VP8L stream for an image of one opaque colour: no transform, no colour cache, no meta codes, and five
     * prefix codes of one symbol each, so that every pixel takes zero bits. 34 bytes in all.
     */
    static byte[] webpLosslessOneColour(int width, int height) {
        BitWriter bits = new BitWriter();
        bits.write(0x2F, 8); // signature
        bits.write(width - 1, 14);
        bits.write(height - 1, 14);
        bits.write(0, 1); // alpha unused
        bits.write(0, 3); // version
        bits.write(0, 1); // no transform
        bits.write(0, 1); // no colour cache
        bits.write(0, 1); // no meta prefix codes
        for (int symbol : new int[] { 0, 0, 0, 255, 0 }) { // green, red, blue, alpha, distance
            bits.write(1, 1); // simple code
            bits.write(0, 1); // one symbol
            boolean eightBits = symbol > 1;
            bits.write(eightBits ? 1 : 0, 1);
            bits.write(symbol, eightBits ? 8 : 1);
        }
        byte[] payload = Arrays.copyOf(bits.bytes(), 14);
        byte[] riff = new byte[20 + payload.length];
        ByteFields.ascii(riff, 0, "RIFF");
        ByteFields.putLE(riff, 4, 4, riff.length - 8);
        ByteFields.ascii(riff, 8, "WEBPVP8L");
        ByteFields.putLE(riff, 16, 4, payload.length);
        System.arraycopy(payload, 0, riff, 20, payload.length);
        return riff;
    }

    /** Bits packed least significant first, as VP8L reads them. */
    private static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long pending;
        private int count;

        void write(long value, int n) {
            pending |= (value & ((1L << n) - 1)) << count;
            count += n;
            while (count >= 8) {
                out.write((int) (pending & 0xFF));
                pending >>>= 8;
                count -= 8;
            }
        }

        byte[] bytes() {
            if (count > 0) {
                out.write((int) pending);
                pending = 0;
                count = 0;
            }
            return out.toByteArray();
        }
    }

    // ------------------------------------------------------------------------------------------
    // BMP

    /** A BMP declaring 1x1 whose pixels are a whole embedded file: {@code compression} 4 (BI_JPEG) or 5 (BI_PNG). */
    private static byte[] bmpEmbedding(int compression, byte[] embedded) {
        int offset = 14 + 40;
        byte[] b = new byte[offset + embedded.length];
        ByteFields.ascii(b, 0, "BM");
        ByteFields.putLE(b, 2, 4, b.length);
        ByteFields.putLE(b, 10, 4, offset);
        ByteFields.putLE(b, 14, 4, 40);
        ByteFields.putLE(b, 18, 4, 1);
        ByteFields.putLE(b, 22, 4, 1);
        ByteFields.putLE(b, 26, 2, 1);
        ByteFields.putLE(b, 28, 2, 0); // no bit count: the embedded file has its own
        ByteFields.putLE(b, 30, 4, compression);
        ByteFields.putLE(b, 34, 4, embedded.length);
        System.arraycopy(embedded, 0, b, offset, embedded.length);
        return b;
    }

    private static byte[] bmpRle8HugeImageSize(byte[] rle8) {
        byte[] out = rle8.clone();
        ByteFields.putLE(out, 34, 4, 0x7FFFFFF0L);
        return out;
    }

    private static byte[] bmpV5HugeProfile(byte[] v5) {
        byte[] out = concat(v5, new byte[64]); // where the profile would start
        ByteFields.ascii(out, 70, "DEBM"); // PROFILE_EMBEDDED: the tag 'MBED' read as a little-endian number
        ByteFields.putLE(out, 126, 4, v5.length - 14); // from the start of the info header
        ByteFields.putLE(out, 130, 4, 0x7FFFFFF0L);
        ByteFields.putLE(out, 2, 4, out.length);
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // TIFF

    /** The entries (tag, type, count, value) that lay out the pixels, and the bytes (arrays, pixels) after the IFD. */
    private record PixelLayout(long[][] entries, byte[] after) {}

    /** The pixel layout of a TIFF whose bytes after the IFD start at {@code afterIfd}. */
    private interface PixelLayoutAt {
        PixelLayout at(int afterIfd);
    }

    /** A little-endian 8-bit grey TIFF of {@code width x height}, its strips or tiles as {@code pixels} lays them out. */
    private static byte[] greyTiff(int width, int height, PixelLayoutAt pixels) {
        int count = 6 + pixels.at(0).entries().length;
        int afterIfd = 8 + 2 + 12 * count + 4;
        PixelLayout layout = pixels.at(afterIfd);
        List<long[]> entries = new ArrayList<>(List.of(
            new long[] { 256, 4, 1, width },
            new long[] { 257, 4, 1, height },
            new long[] { 258, 3, 1, 8 },
            new long[] { 259, 3, 1, 1 }, // no compression
            new long[] { 262, 3, 1, 1 }, // black is zero
            new long[] { 277, 3, 1, 1 }
        ));
        entries.addAll(List.of(layout.entries()));
        entries.sort((x, y) -> Long.compare(x[0], y[0]));
        byte[] b = new byte[afterIfd + layout.after().length];
        ByteFields.ascii(b, 0, "II");
        ByteFields.putLE(b, 2, 2, 42);
        ByteFields.putLE(b, 4, 4, 8);
        ByteFields.putLE(b, 8, 2, count);
        for (int i = 0; i < count; i++) {
            long[] e = entries.get(i);
            int at = 10 + 12 * i;
            ByteFields.putLE(b, at, 2, e[0]);
            ByteFields.putLE(b, at + 2, 2, e[1]);
            ByteFields.putLE(b, at + 4, 4, e[2]);
            ByteFields.putLE(b, at + 8, e[1] == 3 ? 2 : 4, e[3]);
        }
        System.arraycopy(layout.after(), 0, b, afterIfd, layout.after().length);
        return b;
    }

    /** 10000x9999 in 16 strips of 625 rows, each declared (and holding) one byte: their offsets, counts, then the bytes. */
    private static byte[] tiffTinyStrips() {
        int strips = 16;
        return greyTiff(WIDE, TALL, start -> {
            byte[] after = new byte[9 * strips];
            for (int i = 0; i < strips; i++) {
                ByteFields.putLE(after, 4 * i, 4, start + 8 * strips + i);
                ByteFields.putLE(after, 4 * strips + 4 * i, 4, 1);
            }
            return new PixelLayout(new long[][] {
                { 273, 4, strips, start },
                { 278, 4, 1, Math.ceilDiv(TALL, strips) },
                { 279, 4, strips, start + 4 * strips } }, after);
        });
    }

    /** 64x64 in one strip that holds its 4096 bytes, with a StripByteCounts entry of {@code count} values of {@code bytes} each. */
    private static byte[] tiffOneStrip(long count, long bytes) {
        return greyTiff(64, 64, start -> new PixelLayout(new long[][] {
            { 273, 4, 1, start },
            { 278, 4, 1, 64 },
            { 279, 4, count, count == 1 ? bytes : start } }, new byte[64 * 64]));
    }

    /** 64x64 in one tile of {@code side x side} pixels, declared (and holding) 16 bytes. */
    private static byte[] tiffOneTile(int side) {
        return greyTiff(64, 64, start -> new PixelLayout(new long[][] {
            { 322, 4, 1, side },
            { 323, 4, 1, side },
            { 324, 4, 1, start },
            { 325, 4, 1, 16 } }, new byte[16]));
    }

    // ------------------------------------------------------------------------------------------

    private static byte[] ascii(String s) {
        return ByteFields.ascii(s);
    }

    private static byte[] concat(byte[]... parts) {
        return ByteFields.concat(parts);
    }
}
