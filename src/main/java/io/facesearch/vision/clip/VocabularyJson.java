package io.facesearch.vision.clip;

import java.util.HashMap;
import java.util.Map;

/**
 * Parses the text of a {@code vocab.json}: one flat JSON object from token to non-negative integer id.
 * That shape is all a vocabulary file may hold, so a small dedicated parser keeps the engine free of
 * a JSON library. Errors say where in the text the problem is (line and column, both from 1).
 */
final class VocabularyJson {
    private final String text;
    private int pos;

    private VocabularyJson(String text) {
        this.text = text;
    }

    /** The token ids, or an {@link IllegalArgumentException} naming the first problem. */
    static Map<String, Integer> parse(String text) {
        return new VocabularyJson(text).object();
    }

    private Map<String, Integer> object() {
        Map<String, Integer> ids = new HashMap<>();
        skipWhitespace();
        if (pos < text.length() && text.charAt(pos) == '\ufeff') {
            pos++;
            skipWhitespace();
        }
        expect('{');
        skipWhitespace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                skipWhitespace();
                int tokenAt = pos;
                String token = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                int id = integer();
                if (ids.put(token, id) != null) {
                    throw error(tokenAt, "token " + quote(token) + " appears twice");
                }
                skipWhitespace();
                char next = peek();
                pos++;
                if (next == '}') {
                    break;
                }
                if (next != ',') {
                    throw error(pos - 1, "expected ',' or '}'");
                }
            }
        }
        skipWhitespace();
        if (pos < text.length()) {
            throw error(pos, "unexpected text after the closing '}'");
        }
        return ids;
    }

    private String string() {
        expect('"');
        StringBuilder out = null;
        int runStart = pos;
        while (true) {
            if (pos >= text.length()) {
                throw error(pos, "unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String value = out == null ? text.substring(runStart, pos) : out.append(text, runStart, pos).toString();
                pos++;
                return value;
            }
            if (c < 0x20) {
                throw error(pos, "control character in a string");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder();
            }
            out.append(text, runStart, pos);
            pos++;
            char escaped = peek();
            pos++;
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hexChar());
                default -> throw error(pos - 1, "invalid escape '\\" + escaped + "'");
            }
            runStart = pos;
        }
    }

    private char hexChar() {
        if (pos + 4 > text.length()) {
            throw error(pos, "incomplete \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            char c = text.charAt(pos + i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                throw error(pos + i, "invalid \\u escape");
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private int integer() {
        int start = pos;
        long value = 0;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            value = value * 10 + (text.charAt(pos) - '0');
            if (value > Integer.MAX_VALUE) {
                throw error(start, "id is too large");
            }
            pos++;
        }
        if (pos == start) {
            throw error(start, "expected a non-negative integer id");
        }
        if (pos - start > 1 && text.charAt(start) == '0') {
            throw error(start, "id has a leading zero");
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            throw error(start, "id must be an integer");
        }
        return (int) value;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error(pos, "unexpected end of file");
        }
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error(pos, "expected '" + c + "'");
        }
        pos++;
    }

    private IllegalArgumentException error(int at, String reason) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new IllegalArgumentException("line " + line + " column " + (at - lineStart + 1) + ": " + reason);
    }

    private static String quote(String token) {
        return "\"" + token + "\"";
    }
}
