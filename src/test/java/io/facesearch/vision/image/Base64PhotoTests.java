package io.facesearch.vision.image;

import org.junit.Test;

import java.util.Base64;
import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

/** Strict base64: the standard alphabet and its padding, whitespace ignored, anything else refused with its position. */
public class Base64PhotoTests {
    private static final byte[] PHOTO = randomBytes(1000);
    private static final String BASE64 = Base64.getEncoder().encodeToString(PHOTO);

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private static String refusal(String value) {
        return assertThrows(IllegalArgumentException.class, () -> Base64Photo.decode(value, "image")).getMessage();
    }

    @Test
    public void plainBase64() {
        assertArrayEquals(PHOTO, Base64Photo.decode(BASE64, "image"));
        for (int length = 0; length < 6; length++) {
            byte[] bytes = randomBytes(length);
            assertArrayEquals(bytes, Base64Photo.decode(Base64.getEncoder().encodeToString(bytes), "image"));
        }
    }

    @Test
    public void whitespaceAndLineBreaksAreIgnored() {
        assertArrayEquals(PHOTO, Base64Photo.decode(Base64.getMimeEncoder().encodeToString(PHOTO), "image"));
        assertArrayEquals(PHOTO, Base64Photo.decode(BASE64.replaceAll("(.{64})", "$1\n"), "image"));
        assertArrayEquals(PHOTO, Base64Photo.decode(" \t" + BASE64.substring(0, 10) + " " + BASE64.substring(10) + "\r\n", "image"));
        // padding split by a line break
        String padded = Base64.getEncoder().encodeToString(new byte[] { 1 });
        assertEquals("AQ==", padded);
        assertArrayEquals(new byte[] { 1 }, Base64Photo.decode("AQ=\n=", "image"));
        assertArrayEquals(new byte[0], Base64Photo.decode(" \n", "image"));
    }

    @Test
    public void dataUri() {
        assertArrayEquals(PHOTO, Base64Photo.decode("data:image/jpeg;base64," + BASE64, "image"));
        assertArrayEquals(PHOTO, Base64Photo.decode("data:;base64," + Base64.getMimeEncoder().encodeToString(PHOTO), "image"));
        assertEquals("[image] is a data URI without ';base64,'", refusal("data:image/png," + BASE64));
        assertEquals("[image] is a data URI without ';base64,'", refusal("data:image/png;base64" + BASE64));
        // the position counts from the start of the string, prefix included
        assertEquals("[image] is not valid base64: illegal character '*' at position 27", refusal("data:image/png;base64,AAAAA*AA"));
    }

    @Test
    public void emptyIsNoPhotoButNotAnError() {
        assertArrayEquals(new byte[0], Base64Photo.decode("", "image"));
        assertArrayEquals(new byte[0], Base64Photo.decode("data:image/png;base64,", "image"));
    }

    @Test
    public void illegalCharactersAreNamedWithTheirPosition() {
        String star = BASE64.substring(0, 1234) + "*" + BASE64.substring(1234);
        assertEquals("[image] is not valid base64: illegal character '*' at position 1234", refusal(star));
        // characters the MIME decoder used to skip, and URL-safe base64
        assertEquals("[image] is not valid base64: illegal character '-' at position 2", refusal("AB-D"));
        assertEquals("[image] is not valid base64: illegal character '_' at position 0", refusal("_BCD"));
        assertEquals("[image] is not valid base64: illegal character '\"' at position 4", refusal("ABCD\"EFG"));
        assertEquals("[image] is not valid base64: illegal character '.' at position 3", refusal("ABC.\nEFGH"));
        assertEquals("[image] is not valid base64: illegal character U+00E9 at position 1", refusal("AéCD"));
        assertEquals("[image] is not valid base64: illegal character U+1F600 at position 2", refusal("AB\uD83D\uDE00CD"));
        assertEquals("[image] is not valid base64: illegal character U+0000 at position 3", refusal("ABC\u0000"));
        assertEquals("[image] is not valid base64: illegal character U+000B at position 4", refusal("ABCD\u000BABCD"));
    }

    @Test
    public void paddingMayBeLeftOutButNotMisplaced() {
        assertArrayEquals(new byte[] { 1 }, Base64Photo.decode("AQ", "image"));
        assertArrayEquals(new byte[] { 1, 2 }, Base64Photo.decode("AQI", "image"));
        assertArrayEquals(new byte[] { 1, 2 }, Base64Photo.decode("AQ\nI", "image"));
        assertEquals(
            "[image] is not valid base64: its length without whitespace is 3, which no base64 string has (is its '=' padding wrong or the data cut short?)",
            refusal("AQ=")
        );
        assertEquals(
            "[image] is not valid base64: its length without whitespace is 1001, which no base64 string has (is its '=' padding wrong or the data cut short?)",
            refusal(BASE64.substring(0, 1001))
        );
        assertEquals("[image] is not valid base64: more than two '=' of padding, at position 3", refusal("A==="));
        assertEquals("[image] is not valid base64: more than two '=' of padding, at position 5", refusal("AA==\n="));
        assertEquals("[image] is not valid base64: '=' padding before the end, data follows at position 4", refusal("AQ==AQ=="));
        assertEquals("[image] is not valid base64: '=' padding before the end, data follows at position 1", refusal("=AAA"));
    }
}
