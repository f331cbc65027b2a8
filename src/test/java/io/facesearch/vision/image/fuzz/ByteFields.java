package io.facesearch.vision.image.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Unsigned integer fields of 1 to 4 bytes, big- or little-endian, read from and written into byte arrays. */
final class ByteFields {
    private ByteFields() {}

    /** The unsigned value of the {@code length} bytes at {@code pos}. */
    static long get(byte[] b, int pos, int length, boolean littleEndian) {
        long v = 0;
        for (int i = 0; i < length; i++) {
            int shift = littleEndian ? 8 * i : 8 * (length - 1 - i);
            v |= (long) (b[pos + i] & 0xFF) << shift;
        }
        return v;
    }

    static long getLE(byte[] b, int pos, int length) {
        return get(b, pos, length, true);
    }

    static long getBE(byte[] b, int pos, int length) {
        return get(b, pos, length, false);
    }

    /** Writes the low {@code length} bytes of {@code value} at {@code pos}. */
    static void put(byte[] b, int pos, int length, long value, boolean littleEndian) {
        for (int i = 0; i < length; i++) {
            int shift = littleEndian ? 8 * i : 8 * (length - 1 - i);
            b[pos + i] = (byte) (value >>> shift);
        }
    }

    static void putLE(byte[] b, int pos, int length, long value) {
        put(b, pos, length, value, true);
    }

    static void putBE(byte[] b, int pos, int length, long value) {
        put(b, pos, length, value, false);
    }

    static void ascii(byte[] b, int pos, String s) {
        byte[] text = ascii(s);
        System.arraycopy(text, 0, b, pos, text.length);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
