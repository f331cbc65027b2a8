package io.facesearch.vision.clip;

import java.util.Locale;

/**
 * Lower-cases text as Python's {@code str.lower()} does, which CLIP applies after cleaning. Java's
 * {@code toLowerCase(Locale.ROOT)} agrees except for the capital sigma, whose final form Java chooses by
 * word boundaries and Python by the Unicode Final_Sigma rule: a cased letter before it and none after
 * it, looking past case-ignorable characters. So sigmas are decided here and the rest is left to Java.
 */
final class PythonLowerCase {
    private static final char CAPITAL_SIGMA = '\u03a3';
    private static final char SMALL_SIGMA = '\u03c3';
    private static final char FINAL_SIGMA = '\u03c2';

    private PythonLowerCase() {}

    static String lower(String text) {
        int sigma = text.indexOf(CAPITAL_SIGMA);
        if (sigma < 0) {
            return text.toLowerCase(Locale.ROOT);
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        int from = 0;
        while (sigma >= 0) {
            // no sigma inside the stretch, so nothing else in Java's lower-casing depends on context
            out.append(text.substring(from, sigma).toLowerCase(Locale.ROOT));
            out.append(isFinal(text, sigma) ? FINAL_SIGMA : SMALL_SIGMA);
            from = sigma + 1;
            sigma = text.indexOf(CAPITAL_SIGMA, from);
        }
        return out.append(text.substring(from).toLowerCase(Locale.ROOT)).toString();
    }

    private static boolean isFinal(String text, int sigma) {
        int before = sigma;
        int c = -1;
        while (before > 0) {
            c = text.codePointBefore(before);
            before -= Character.charCount(c);
            if (isCaseIgnorable(c) == false) {
                break;
            }
            c = -1;
        }
        if (c < 0 || isCased(c) == false) {
            return false;
        }
        int after = sigma + 1;
        while (after < text.length()) {
            c = text.codePointAt(after);
            if (isCaseIgnorable(c) == false) {
                return isCased(c) == false;
            }
            after += Character.charCount(c);
        }
        return true;
    }

    /** Unicode's Cased property. */
    private static boolean isCased(int c) {
        return Character.isLowerCase(c) || Character.isUpperCase(c) || Character.isTitleCase(c);
    }

    /** Unicode's Case_Ignorable property: marks, format characters, modifiers, and the in-word punctuation of word breaking. */
    private static boolean isCaseIgnorable(int c) {
        switch (Character.getType(c)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT, Character.MODIFIER_LETTER, Character.MODIFIER_SYMBOL:
                return true;
            default:
                break;
        }
        return switch (c) {
            case '\'', '.', ':', '\u00b7', '\u0387', '\u055f', '\u05f4', '\u2018', '\u2019', '\u2024', '\u2027', '\ufe13', '\ufe52', '\ufe55', '\uff07', '\uff0e', '\uff1a' -> true;
            default -> false;
        };
    }
}
