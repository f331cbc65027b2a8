package io.facesearch.vision.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Small images built byte by byte, well-formed or deliberately not, for the layout and decoding tests. */
final class HostileImages {
    private HostileImages() {}

    /** An 8-bit RGB PNG of {@code width x height} black pixels: a real deflate stream, about 1/1000 of the raw rows. */
    static byte[] blackPng(int width, int height) {
        Deflater deflater = new Deflater(9);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] row = new byte[1 + 3 * width];
        byte[] buffer = new byte[1 << 16];
        for (int y = 0; y < height; y++) {
            deflater.setInput(row);
            while (deflater.needsInput() == false) {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (deflater.finished() == false) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return png(width, height, idat.toByteArray());
    }

    /** A PNG with the given size header and IDAT bytes, as they are. */
    static byte[] png(int width, int height, byte[] idat) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
        byte[] ihdr = new byte[13];
        putIntBE(ihdr, 0, width);
        putIntBE(ihdr, 4, height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        pngChunk(out, "IHDR", ihdr);
        pngChunk(out, "IDAT", idat);
        pngChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void pngChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] header = new byte[8];
        putIntBE(header, 0, data.length);
        System.arraycopy(type.getBytes(StandardCharsets.ISO_8859_1), 0, header, 4, 4);
        out.writeBytes(header);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(header, 4, 4);
        crc.update(data);
        byte[] c = new byte[4];
        putIntBE(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    /**
     * A GIF89a of {@code width x height} (screen and image) whose LZW data holds {@code codes} codes of one pixel each,
     * then the end code: a complete image when codes = width * height, a cut one below that.
     */
    static byte[] gif(int width, int height, int codes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GIF89a".getBytes(StandardCharsets.US_ASCII));
        putShortLE(out, width);
        putShortLE(out, height);
        out.write(0x80); // global colour table of 2 entries
        out.write(0);
        out.write(0);
        out.writeBytes(new byte[] { 0, 0, 0, (byte) 255, (byte) 255, (byte) 255 });
        out.write(0x2C);
        putShortLE(out, 0);
        putShortLE(out, 0);
        putShortLE(out, width);
        putShortLE(out, height);
        out.write(0);
        out.write(2); // LZW minimum code size: codes of 3 bits
        // clear code (4) after every 2 literal codes keeps the code size at 3 bits
        BitWriter bits = new BitWriter();
        int sinceClear = 0;
        bits.write(4, 3);
        for (int i = 0; i < codes; i++) {
            if (sinceClear == 2) {
                bits.write(4, 3);
                sinceClear = 0;
            }
            bits.write(i & 1, 3);
            sinceClear++;
        }
        bits.write(5, 3); // end
        byte[] data = bits.bytes();
        for (int p = 0; p < data.length; p += 255) {
            int n = Math.min(255, data.length - p);
            out.write(n);
            out.write(data, p, n);
        }
        out.write(0);
        out.write(0x3B);
        return out.toByteArray();
    }

    /** A BMP with a 40-byte header declaring {@code width x height} that wraps {@code embedded} with compression 4 or 5. */
    static byte[] bmpWrapping(byte[] embedded, int compression, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { 'B', 'M' });
        putIntLE(out, 54 + embedded.length);
        putIntLE(out, 0);
        putIntLE(out, 54);
        putIntLE(out, 40);
        putIntLE(out, width);
        putIntLE(out, height);
        putShortLE(out, 1);
        putShortLE(out, 0);
        putIntLE(out, compression);
        putIntLE(out, embedded.length);
        putIntLE(out, 0);
        putIntLE(out, 0);
        putIntLE(out, 0);
        putIntLE(out, 0);
        out.writeBytes(embedded);
        return out.toByteArray();
    }

    /** The 12 bytes of a RIFF WebP header and a VP8L chunk whose header declares {@code width x height}, with no image data. */
    static byte[] losslessWebpHeader(int width, int height) {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        chunk.write(0x2F);
        long bits = (width - 1L) | ((height - 1L) << 14);
        putIntLE(chunk, (int) bits);
        chunk.writeBytes(new byte[9]);
        return riff("VP8L", chunk.toByteArray());
    }

    static byte[] riff(String chunkType, byte[] chunkData) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        putIntLE(out, 4 + 8 + chunkData.length + (chunkData.length & 1));
        out.writeBytes("WEBP".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(chunkType.getBytes(StandardCharsets.US_ASCII));
        putIntLE(out, chunkData.length);
        out.writeBytes(chunkData);
        if ((chunkData.length & 1) == 1) {
            out.write(0);
        }
        return out.toByteArray();
    }

    static void putIntBE(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    static void putShortLE(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
    }

    static void putIntLE(ByteArrayOutputStream out, int v) {
        putShortLE(out, v);
        putShortLE(out, v >>> 16);
    }

    /** Packs codes least significant bit first, as GIF's LZW does. */
    private static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int buffer;
        private int count;

        void write(int code, int size) {
            buffer |= code << count;
            count += size;
            while (count >= 8) {
                out.write(buffer & 0xFF);
                buffer >>>= 8;
                count -= 8;
            }
        }

        byte[] bytes() {
            if (count > 0) {
                out.write(buffer & 0xFF);
                buffer = 0;
                count = 0;
            }
            return out.toByteArray();
        }
    }
}
