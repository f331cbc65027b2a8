package io.facesearch.vision.image.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/**
 * Zlib streams that inflate to billions of zero bytes, made in milliseconds: 16 MiB of zeros compressed once with a
 * full flush (so the compressed block refers to nothing before it) is repeated as often as needed, and the checksum
 * of n zeros is known without reading them.
 */
final class ZeroDeflate {
    private static final int CHUNK = 1 << 24;
    private static final int ADLER_MODULUS = 65521;
    private static byte[] chunk;

    private ZeroDeflate() {}

    /** A zlib stream (RFC 1950) that inflates to exactly {@code zeros} zero bytes. */
    static byte[] zlib(long zeros) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x78);
        out.write(0xDA); // deflate, 32 KiB window, best compression; (0x78DA % 31 == 0)
        byte[] full = fullChunk();
        for (long i = 0; i < zeros / CHUNK; i++) {
            out.writeBytes(full);
        }
        int rest = (int) (zeros % CHUNK);
        if (rest > 0) {
            out.writeBytes(flushed(rest));
        }
        out.writeBytes(finalBlock());
        // Adler-32 of n zeros: the byte sum stays 1 and the running sum grows by 1 per byte
        long adler = ((zeros % ADLER_MODULUS) << 16) | 1;
        byte[] checksum = new byte[4];
        ByteFields.putBE(checksum, 0, 4, adler);
        out.writeBytes(checksum);
        return out.toByteArray();
    }

    private static synchronized byte[] fullChunk() {
        if (chunk == null) {
            chunk = flushed(CHUNK);
        }
        return chunk;
    }

    /** {@code n} zeros as raw deflate blocks ending in a full flush: byte-aligned, not final, with no back reference before them. */
    private static byte[] flushed(int n) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(new byte[n]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            int written;
            do {
                written = deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
                out.write(buffer, 0, written);
            } while (written == buffer.length || deflater.needsInput() == false);
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** An empty final block, which ends the deflate stream. */
    private static byte[] finalBlock() {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.finish();
            byte[] buffer = new byte[64];
            int written = deflater.deflate(buffer);
            return java.util.Arrays.copyOf(buffer, written);
        } finally {
            deflater.end();
        }
    }
}
