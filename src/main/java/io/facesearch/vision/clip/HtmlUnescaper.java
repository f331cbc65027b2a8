package io.facesearch.vision.clip;

import java.util.HashMap;
import java.util.Map;

/**
 * Replaces HTML character references the way Python's {@code html.unescape} does, which CLIP applies to
 * every text before tokenizing. Numeric references follow Python exactly (semicolon optional, the
 * Windows-1252 reading of 0x80..0x9F, U+FFFD for impossible code points, nothing for forbidden ones).
 * Named references cover HTML5's legacy set (the Latin-1 names, which may also appear without the
 * closing semicolon) plus the common typographic names; other names are left as written.
 */
final class HtmlUnescaper {
    /** HTML5 reads a reference name of at most this many characters. */
    private static final int MAX_NAME_LENGTH = 32;

    /** Entities for U+00A0..U+00FF, in code point order. */
    private static final String LATIN1_NAMES = "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr "
        + "deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest "
        + "Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml "
        + "ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig "
        + "agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml "
        + "eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";

    /** What numeric references to 0x80..0x9F mean: browsers read those as Windows-1252 bytes. */
    private static final String WINDOWS_1252_HIGH = "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f"
        + "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

    /** Names that HTML5 also accepts without the closing semicolon. */
    private static final Map<String, String> LEGACY = new HashMap<>();
    /** Names that count only when closed by a semicolon. */
    private static final Map<String, String> SEMICOLON_ONLY = new HashMap<>();

    static {
        String[] latin1 = LATIN1_NAMES.split(" ");
        for (int i = 0; i < latin1.length; i++) {
            LEGACY.put(latin1[i], String.valueOf((char) (0xA0 + i)));
        }
        for (String[] entry : new String[][] {
            { "amp", "&" }, { "AMP", "&" }, { "lt", "<" }, { "LT", "<" }, { "gt", ">" }, { "GT", ">" },
            { "quot", "\"" }, { "QUOT", "\"" }, { "COPY", "\u00a9" }, { "REG", "\u00ae" } }) {
            LEGACY.put(entry[0], entry[1]);
        }
        for (String[] entry : new String[][] {
            { "apos", "'" }, { "hellip", "\u2026" }, { "ndash", "\u2013" }, { "mdash", "\u2014" },
            { "lsquo", "\u2018" }, { "rsquo", "\u2019" }, { "sbquo", "\u201a" }, { "ldquo", "\u201c" },
            { "rdquo", "\u201d" }, { "bdquo", "\u201e" }, { "bull", "\u2022" }, { "trade", "\u2122" },
            { "euro", "\u20ac" }, { "dagger", "\u2020" }, { "Dagger", "\u2021" }, { "permil", "\u2030" },
            { "lsaquo", "\u2039" }, { "rsaquo", "\u203a" }, { "OElig", "\u0152" }, { "oelig", "\u0153" },
            { "Scaron", "\u0160" }, { "scaron", "\u0161" }, { "Yuml", "\u0178" }, { "fnof", "\u0192" },
            { "circ", "\u02c6" }, { "tilde", "\u02dc" }, { "ensp", "\u2002" }, { "emsp", "\u2003" },
            { "thinsp", "\u2009" }, { "zwnj", "\u200c" }, { "zwj", "\u200d" }, { "lrm", "\u200e" }, { "rlm", "\u200f" } }) {
            SEMICOLON_ONLY.put(entry[0], entry[1]);
        }
    }

    private HtmlUnescaper() {}

    static String unescape(String text) {
        int amp = text.indexOf('&');
        if (amp < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        while (amp >= 0) {
            out.append(text, copied, amp);
            int end = amp + 1 < text.length() && text.charAt(amp + 1) == '#' ? numericReference(text, amp, out) : namedReference(text, amp, out);
            if (end < 0) {
                // not a reference: keep the ampersand and look for the next one right after it
                out.append('&');
                end = amp + 1;
            }
            copied = end;
            amp = text.indexOf('&', end);
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** Decodes {@code &#123;} or {@code &#x7B;} at {@code amp} into {@code out}; returns where it ends, or -1 if there is none. */
    private static int numericReference(String text, int amp, StringBuilder out) {
        int i = amp + 2;
        boolean hex = i < text.length() && (text.charAt(i) == 'x' || text.charAt(i) == 'X');
        if (hex) {
            i++;
        }
        int digitsStart = i;
        long value = 0;
        while (i < text.length()) {
            int digit = asciiDigit(text.charAt(i), hex ? 16 : 10);
            if (digit < 0) {
                break;
            }
            // past U+10FFFF every value means the same (U+FFFD), so stop growing before overflow
            value = Math.min(value * (hex ? 16 : 10) + digit, 0x110000);
            i++;
        }
        if (i == digitsStart) {
            return -1;
        }
        if (i < text.length() && text.charAt(i) == ';') {
            i++;
        }
        int codePoint = (int) value;
        if (codePoint == 0) {
            out.append('\ufffd');
        } else if (codePoint >= 0x80 && codePoint <= 0x9F) {
            out.append(WINDOWS_1252_HIGH.charAt(codePoint - 0x80));
        } else if (codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
            out.append('\ufffd');
        } else if (isForbidden(codePoint) == false) {
            out.appendCodePoint(codePoint);
        }
        return i;
    }

    /** Only ASCII digits count: {@code Character.digit} would also take other scripts' digits. */
    private static int asciiDigit(char c, int radix) {
        int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        return digit < radix ? digit : -1;
    }

    /** Controls other than whitespace, DEL, and the Unicode non-characters: Python drops these. */
    private static boolean isForbidden(int codePoint) {
        return (codePoint >= 0x01 && codePoint <= 0x08)
            || codePoint == 0x0B
            || (codePoint >= 0x0E && codePoint <= 0x1F)
            || codePoint == 0x7F
            || (codePoint >= 0xFDD0 && codePoint <= 0xFDEF)
            || (codePoint & 0xFFFE) == 0xFFFE;
    }

    /** Decodes {@code &name;} at {@code amp} into {@code out}; returns where it ends, or -1 if there is none. */
    private static int namedReference(String text, int amp, StringBuilder out) {
        int start = amp + 1;
        int i = start;
        int count = 0;
        while (i < text.length() && count < MAX_NAME_LENGTH) {
            int c = text.codePointAt(i);
            if (c == '\t' || c == '\n' || c == '\f' || c == ' ' || c == '<' || c == '&' || c == '#' || c == ';') {
                break;
            }
            i += Character.charCount(c);
            count++;
        }
        if (i == start) {
            return -1;
        }
        String name = text.substring(start, i);
        boolean closed = i < text.length() && text.charAt(i) == ';';
        int end = closed ? i + 1 : i;
        String value = LEGACY.get(name);
        if (value == null && closed) {
            value = SEMICOLON_ONLY.get(name);
        }
        if (value != null) {
            out.append(value);
            return end;
        }
        // HTML5 reads the longest legacy name that starts the text: "&ampfoo" is "&foo"
        String written = text.substring(start, end);
        for (int length = written.length() - 1; length >= 2; length--) {
            String prefix = LEGACY.get(written.substring(0, length));
            if (prefix != null) {
                out.append(prefix).append(written, length, written.length());
                return end;
            }
        }
        out.append('&').append(written);
        return end;
    }
}
