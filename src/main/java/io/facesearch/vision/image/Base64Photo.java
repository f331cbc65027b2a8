package io.facesearch.vision.image;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Photos travel in JSON as base64: plain, MIME with line breaks, or a {@code data:image/...;base64,} URI.
 *
 * <p>Decoding is strict: only the standard alphabet ({@code A-Z a-z 0-9 + /}) with its {@code =} padding (which may
 * be left out, not misplaced); spaces, tabs and line breaks anywhere are ignored. The JDK's MIME decoder would
 * silently skip any other character, turning a damaged or mis-encoded string (URL-safe base64, a stray quote) into
 * a different photo or a misleading "not an image".
 */
public final class Base64Photo {
    private static final String DATA_URI = "data:";
    private static final String BASE64_MARK = ";base64";

    /** What each byte is to base64: one table look-up per byte keeps the careful pass close to the JDK decoder's speed. */
    private static final byte[] KIND = new byte[256];
    private static final byte ILLEGAL = 0;
    private static final byte DIGIT = 1;
    private static final byte WHITESPACE = 2;
    private static final byte PADDING = 3;

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray()) {
            KIND[c] = DIGIT;
        }
        for (char c : " \t\r\n".toCharArray()) {
            KIND[c] = WHITESPACE;
        }
        KIND['='] = PADDING;
    }

    private Base64Photo() {}

    /** The photo bytes of {@code value} (empty for an empty string: the decoder says why that is no photo); errors name {@code field}. */
    public static byte[] decode(String value, String field) {
        int start = 0;
        if (value.startsWith(DATA_URI)) {
            int comma = value.indexOf(',');
            if (comma < 0 || value.startsWith(BASE64_MARK, comma - BASE64_MARK.length()) == false) {
                throw new IllegalArgumentException("[" + field + "] is a data URI without ';base64,'");
            }
            start = comma + 1;
        }
        // one byte per char, as the JDK decoder does itself; a char beyond Latin-1 becomes '?', refused below
        byte[] data = (start == 0 ? value : value.substring(start)).getBytes(StandardCharsets.ISO_8859_1);
        if (data.length % 4 == 0) {
            try {
                // nearly every photo is one unbroken line, which the strict JDK decoder handles at full speed
                return Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                // line breaks, or an error: the careful pass below keeps the one and names the other
            }
        }
        return decodeCarefully(value, start, data, field);
    }

    /** Drops whitespace, refuses any other character outside the alphabet and misplaced padding, then decodes. */
    private static byte[] decodeCarefully(String value, int start, byte[] data, String field) {
        int length = 0;
        int padding = 0;
        for (int i = 0; i < data.length; i++) {
            byte b = data[i];
            byte kind = KIND[b & 0xff];
            if (kind == DIGIT && padding == 0) {
                // in place: the kept data never overtakes the reading position
                data[length++] = b;
            } else if (kind == PADDING && padding < 2) {
                padding++;
                data[length++] = b;
            } else if (kind == PADDING) {
                throw invalid(field, "more than two '=' of padding, at position " + (start + i));
            } else if (kind == DIGIT) {
                throw invalid(field, "'=' padding before the end, data follows at position " + (start + i));
            } else if (kind == ILLEGAL) {
                throw invalid(field, "illegal character " + character(value, start + i) + " at position " + (start + i));
            }
        }
        // padding may be left out, as the JDK decoder and OpenSearch's binary fields allow; a lone last digit is a cut
        if ((padding > 0 && length % 4 != 0) || length % 4 == 1) {
            throw invalid(
                field,
                "its length without whitespace is " + length + ", which no base64 string has (is its '=' padding wrong or the data cut short?)"
            );
        }
        ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(data, 0, length));
        return decoded.remaining() == decoded.array().length ? decoded.array() : Arrays.copyOf(decoded.array(), decoded.remaining());
    }

    /** The character at {@code position}, quoted when printable, otherwise as its code point. */
    private static String character(String value, int position) {
        int c = value.codePointAt(position);
        return c > ' ' && c < 0x7f ? "'" + (char) c + "'" : String.format(java.util.Locale.ROOT, "U+%04X", c);
    }

    private static IllegalArgumentException invalid(String field, String reason) {
        return new IllegalArgumentException("[" + field + "] is not valid base64: " + reason);
    }
}
