package io.facesearch.qa.bench;

import java.util.List;
import java.util.Map;

/** Small JSON writing and reading helpers shared by the {@code identify} and {@code knn} benchmarks. */
final class BenchJson {
    private BenchJson() {}

    /** {@code s} as a JSON string literal, quotes included. */
    static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Appends {@code v} as a JSON array of numbers; each float is written in its shortest exact form
     * ({@link Float#toString}), so the node parses back the very same float values.
     */
    static StringBuilder vector(StringBuilder sb, float[] v) {
        sb.append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(Float.toString(v[i]));
        }
        return sb.append(']');
    }

    /** A JSON array of numbers read back as floats, or null. */
    static float[] floats(Object value) {
        if (value instanceof List<?> list) {
            float[] v = new float[list.size()];
            for (int i = 0; i < v.length; i++) {
                if (list.get(i) instanceof Number n) {
                    v[i] = n.floatValue();
                } else {
                    return null;
                }
            }
            return v;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Object value) {
        if (value instanceof List<?> list) {
            return (List<Map<String, Object>>) list;
        }
        return List.of();
    }

    static double number(Object value, double missing) {
        return value instanceof Number n ? n.doubleValue() : missing;
    }
}
