package io.facesearch.vision.image;

/** Reads the integers of image headers; callers check that the bytes are there. */
final class Bytes {
    private Bytes() {}

    static int u8(byte[] b, int p) {
        return b[p] & 0xFF;
    }

    static int u16be(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static int u16le(byte[] b, int p) {
        return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
    }

    static int u24le(byte[] b, int p) {
        return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16);
    }

    static int s32be(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    static int s32le(byte[] b, int p) {
        return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16) | ((b[p + 3] & 0xFF) << 24);
    }

    static long u32be(byte[] b, int p) {
        return s32be(b, p) & 0xFFFFFFFFL;
    }

    static long u32le(byte[] b, int p) {
        return s32le(b, p) & 0xFFFFFFFFL;
    }

    static int u16(byte[] b, int p, boolean littleEndian) {
        return littleEndian ? u16le(b, p) : u16be(b, p);
    }

    static long u32(byte[] b, int p, boolean littleEndian) {
        return littleEndian ? u32le(b, p) : u32be(b, p);
    }

    /** Whether {@code b} holds {@code length} bytes from {@code start}, without overflow. */
    static boolean holds(byte[] b, long start, long length) {
        return start >= 0 && length >= 0 && start <= b.length && length <= b.length - start;
    }
}
