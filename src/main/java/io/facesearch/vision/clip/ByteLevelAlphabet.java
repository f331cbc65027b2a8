package io.facesearch.vision.clip;

import java.util.Arrays;

/**
 * CLIP's reversible mapping of the 256 byte values onto 256 printable characters, so that BPE can work on
 * strings of visible symbols whatever bytes the UTF-8 text holds. Printable Latin-1 bytes stand for
 * themselves; the rest (controls, space, and the few invisible Latin-1 bytes) take the characters from
 * U+0100 on, in byte order. The vocabulary is written in these characters, so the order is fixed.
 */
final class ByteLevelAlphabet {
    private static final char[] CHAR_OF_BYTE = new char[256];
    private static final int[] BYTE_OF_CHAR;

    static {
        char next = 0x100;
        char highest = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            CHAR_OF_BYTE[b] = printable ? (char) b : next++;
            highest = (char) Math.max(highest, CHAR_OF_BYTE[b]);
        }
        BYTE_OF_CHAR = new int[highest + 1];
        Arrays.fill(BYTE_OF_CHAR, -1);
        for (int b = 0; b < 256; b++) {
            BYTE_OF_CHAR[CHAR_OF_BYTE[b]] = b;
        }
    }

    private ByteLevelAlphabet() {}

    /** The symbol that stands for byte {@code b} (0..255). */
    static char charOf(int b) {
        return CHAR_OF_BYTE[b & 0xFF];
    }

    /** The byte that symbol {@code c} stands for, or -1 when {@code c} is not a symbol of the alphabet. */
    static int byteOf(char c) {
        return c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
    }
}
