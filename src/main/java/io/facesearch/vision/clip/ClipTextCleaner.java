package io.facesearch.vision.clip;

import java.text.Normalizer;

/**
 * Prepares text the way CLIP's tokenizer does before splitting it into words: {@code ftfy.fix_text},
 * HTML unescaping (twice, so that doubly escaped text such as {@code &amp;amp;} comes out plain),
 * whitespace collapsing and lower-casing.
 *
 * <p>Of ftfy only the steps that ordinary typed text hits are done: curly quotes become straight ones
 * (so "don’t" splits like "don't"), unpaired surrogates become U+FFFD, and the text is put in NFC (so
 * an accent typed as a combining mark gives the same tokens as the precomposed letter). Mojibake repair
 * and ftfy's other fixes are left out.
 */
final class ClipTextCleaner {
    private ClipTextCleaner() {}

    static String clean(String text) {
        String fixed = fixTypography(text);
        String unescaped = HtmlUnescaper.unescape(HtmlUnescaper.unescape(fixed));
        return PythonLowerCase.lower(collapseWhitespace(unescaped));
    }

    /** The steps of ftfy named in the class comment; text that needs none of them is returned as it is. */
    private static String fixTypography(String text) {
        StringBuilder fixed = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char replacement = c;
            if (c == '\u02bc' || (c >= '\u2018' && c <= '\u201b')) {
                replacement = '\'';
            } else if (c >= '\u201c' && c <= '\u201f') {
                replacement = '"';
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    if (fixed != null) {
                        fixed.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                replacement = '\ufffd';
            } else if (Character.isLowSurrogate(c)) {
                replacement = '\ufffd';
            }
            if (replacement != c && fixed == null) {
                fixed = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (fixed != null) {
                fixed.append(replacement);
            }
        }
        String result = fixed == null ? text : fixed.toString();
        return Normalizer.isNormalized(result, Normalizer.Form.NFC) ? result : Normalizer.normalize(result, Normalizer.Form.NFC);
    }

    /**
     * Runs of whitespace become one space, with none left at either end. CLIP collapses with the
     * {@code regex} module's {@code \s} (Unicode White_Space, as Java's {@code \s} with
     * UNICODE_CHARACTER_CLASS) but trims with Python's {@code strip()}, which also takes the information
     * separators U+001C..U+001F: inside the text those stay as they are.
     */
    private static String collapseWhitespace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isPythonSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end - start);
        boolean inRun = false;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (isWhiteSpace(c)) {
                if (inRun == false) {
                    out.append(' ');
                    inRun = true;
                }
            } else {
                out.append(c);
                inRun = false;
            }
        }
        return out.toString();
    }

    /** The Unicode White_Space property (all of it is in the Basic Multilingual Plane). */
    private static boolean isWhiteSpace(char c) {
        return (c >= '\t' && c <= '\r')
            || c == ' '
            || c == '\u0085'
            || c == '\u00a0'
            || c == '\u1680'
            || (c >= '\u2000' && c <= '\u200a')
            || c == '\u2028'
            || c == '\u2029'
            || c == '\u202f'
            || c == '\u205f'
            || c == '\u3000';
    }

    /** Python's {@code str.isspace}: White_Space plus the information separators. */
    private static boolean isPythonSpace(char c) {
        return isWhiteSpace(c) || (c >= '\u001c' && c <= '\u001f');
    }
}
