package io.facesearch.common;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Checks one value of a request, an ingest processor option or a setting against the JSON type and the range it
 * must have. Values arrive as the Java objects a JSON parser makes of them (String, Number, Boolean, Map, List or
 * null). Every refusal is an {@link IllegalArgumentException} (answered with 400) worded
 * {@code [field] must be ..., got ...}, the value named as it reads in JSON, never as a Java class.
 *
 * <p>No value is converted from another JSON type: a number given as a string ({@code "0.5"}) or a boolean given
 * as a string ({@code "true"}) is refused, so a request means one thing on every endpoint.
 */
public final class FieldValues {
    /** Longest part of a string value quoted in an error: photos are megabytes of base64. */
    private static final int QUOTED_CHARS = 40;

    private FieldValues() {}

    /** A non-empty string. */
    public static String string(Object value, String field) {
        if (value instanceof String s) {
            if (s.isEmpty()) {
                throw invalid(field, "must not be empty");
            }
            return s;
        }
        throw invalid(field, "must be a string, got " + describe(value));
    }

    public static boolean bool(Object value, String field) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw invalid(field, "must be true or false, got " + describe(value));
    }

    /** A whole number within [min, max]; {@code 10.0} is the integer 10, {@code 10.5} is refused. */
    public static int integer(Object value, String field, int min, int max) {
        if (value instanceof Number number && isWhole(number)) {
            long whole = wholeValue(number);
            if (whole < min || whole > max) {
                throw invalid(field, "must be " + range(min, max, Integer.MIN_VALUE, Integer.MAX_VALUE) + ", got " + describe(value));
            }
            return (int) whole;
        }
        throw invalid(field, "must be an integer, got " + describe(value));
    }

    /** A finite number within [min, max] (infinite bounds: none), as a float. */
    public static float number(Object value, String field, float min, float max) {
        if (value instanceof Number number) {
            double d = number.doubleValue();
            if (Float.isFinite((float) d) == false) {
                throw invalid(field, "must be a finite number, got " + describe(value));
            }
            if (d < min || d > max) {
                throw invalid(
                    field,
                    "must be " + range(min, max, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY) + ", got " + describe(value)
                );
            }
            return (float) d;
        }
        throw invalid(field, "must be a number, got " + describe(value));
    }

    /** A JSON object, its keys in the order given. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value, String field) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw invalid(field, "must be an object, got " + describe(value));
    }

    /** {@code value} when it lies within [min, max]; for values already typed, such as the options of a query builder. */
    public static int between(int value, int min, int max, String field) {
        return integer(value, field, min, max);
    }

    /** {@code value} when it lies within [min, max]; NaN never does. */
    public static float between(float value, float min, float max, String field) {
        return number(value, field, min, max);
    }

    /** {@code value}, which a request must give. */
    public static <T> T required(T value, String field) {
        if (value == null) {
            throw invalid(field, "is required");
        }
        return value;
    }

    /** A field the request does not have. */
    public static IllegalArgumentException unknownField(String field, String known) {
        return new IllegalArgumentException("unknown field [" + field + "]; known fields: " + known);
    }

    /** The refusal of a field's value, worded like every other: {@code [field] reason}. */
    public static IllegalArgumentException invalid(String field, String reason) {
        return new IllegalArgumentException("[" + field + "] " + reason);
    }

    /** A value as it reads in JSON: {@code null}, {@code true}, {@code 10.5}, {@code the string [ten]}, {@code an object}. */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            if (s.isEmpty()) {
                return "an empty string";
            }
            return s.length() <= QUOTED_CHARS
                ? "the string [" + s + "]"
                : "a string of " + s.length() + " characters starting [" + s.substring(0, QUOTED_CHARS) + "]";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?> || value instanceof Object[]) {
            return "an array";
        }
        if (value instanceof byte[]) {
            return "binary data";
        }
        return "a value of another type";
    }

    private static boolean isWhole(Number number) {
        if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte
            || number instanceof BigInteger) {
            return true;
        }
        if (number instanceof BigDecimal decimal) {
            return decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0;
        }
        double d = number.doubleValue();
        return Double.isFinite(d) && d == Math.rint(d);
    }

    /** The value of a whole number, saturated at the long range, which lies beyond every bound here. */
    private static long wholeValue(Number number) {
        if (number instanceof BigInteger big) {
            return big.bitLength() < Long.SIZE ? big.longValue() : big.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        if (number instanceof BigDecimal decimal) {
            return wholeValue(decimal.toBigInteger());
        }
        if (number instanceof Double || number instanceof Float) {
            // the cast saturates a double beyond the long range
            return (long) number.doubleValue();
        }
        return number.longValue();
    }

    /** "between 1 and 10000", or "&gt;= 0" / "&lt;= 1" where one bound is the type's own limit. */
    private static String range(double min, double max, double noMin, double noMax) {
        if (max == noMax && min != noMin) {
            return ">= " + bound(min);
        }
        if (min == noMin && max != noMax) {
            return "<= " + bound(max);
        }
        return "between " + bound(min) + " and " + bound(max);
    }

    /** A bound as people write it: 1, not 1.0. */
    private static String bound(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Float.toString((float) value);
    }
}
