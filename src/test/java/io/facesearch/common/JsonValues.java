package io.facesearch.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JSON value of every type, for tables of wrong input: each as sent, mapped to how an error names it. */
public final class JsonValues {
    public static final String OBJECT = "an object";
    public static final String ARRAY = "an array";
    public static final String NULL = "null";
    public static final String BOOLEAN = "true";
    public static final String STRING = "the string [ten]";
    public static final String FRACTION = "10.5";

    private static final Map<String, String> ALL = new LinkedHashMap<>();

    static {
        ALL.put("{\"a\": 1}", OBJECT);
        ALL.put("[1, 2]", ARRAY);
        ALL.put("null", NULL);
        ALL.put("true", BOOLEAN);
        ALL.put("\"ten\"", STRING);
        ALL.put("10.5", FRACTION);
    }

    private JsonValues() {}

    /** The values of every type but {@code accepted} (named by the constants above), as JSON to how errors name them. */
    public static Map<String, String> except(String... accepted) {
        Map<String, String> values = new LinkedHashMap<>(ALL);
        values.values().removeAll(List.of(accepted));
        return values;
    }

    /** Whether an error message speaks JSON: no parser token names, no Java class names. */
    public static boolean speaksJson(String message) {
        return message.matches("(?s).*\\b(VALUE_[A-Z]+|START_OBJECT|START_ARRAY|END_OBJECT|END_ARRAY|FIELD_NAME)\\b.*") == false
            && message.contains("java.") == false
            && message.contains("Exception") == false;
    }
}
