package io.facesearch.common;

import org.junit.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** The type and range rules of every request field, on values as a JSON parser makes them. */
public class FieldValuesTests {
    /** A value of every JSON type but the one each check wants is among these. */
    private static final Map<String, Object> ANY = new HashMap<>();

    static {
        ANY.put("null", null);
        ANY.put("an object", Map.of("a", 1));
        ANY.put("an array", List.of(1, 2));
        ANY.put("true", true);
        ANY.put("the string [ten]", "ten");
        ANY.put("10.5", 10.5);
    }

    private static void assertRefused(BiFunction<Object, String, ?> check, Object value, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> check.apply(value, "f"));
        assertEquals(expected, e.getMessage());
    }

    @Test
    public void stringRefusesEveryOtherTypeAndEmptiness() {
        assertEquals("photos", FieldValues.string("photos", "f"));
        for (Map.Entry<String, Object> other : ANY.entrySet()) {
            if (other.getValue() instanceof String == false) {
                assertRefused(FieldValues::string, other.getValue(), "[f] must be a string, got " + other.getKey());
            }
        }
        assertRefused(FieldValues::string, 5, "[f] must be a string, got 5");
        assertRefused(FieldValues::string, "", "[f] must not be empty");
    }

    @Test
    public void boolTakesOnlyJsonBooleans() {
        assertTrue(FieldValues.bool(true, "f"));
        assertFalse(FieldValues.bool(false, "f"));
        for (Map.Entry<String, Object> other : ANY.entrySet()) {
            if (other.getValue() instanceof Boolean == false) {
                assertRefused(FieldValues::bool, other.getValue(), "[f] must be true or false, got " + other.getKey());
            }
        }
        assertRefused(FieldValues::bool, "true", "[f] must be true or false, got the string [true]");
        assertRefused(FieldValues::bool, 1, "[f] must be true or false, got 1");
    }

    @Test
    public void integerTakesWholeNumbersInRange() {
        BiFunction<Object, String, Integer> k = (value, field) -> FieldValues.integer(value, field, 1, 10_000);
        assertEquals(10, (int) k.apply(10, "f"));
        assertEquals(10, (int) k.apply(10L, "f"));
        assertEquals(10, (int) k.apply(10.0, "f"));
        assertEquals(10, (int) k.apply(10f, "f"));
        assertEquals(1000, (int) k.apply(1e3, "f"));
        assertEquals(10, (int) k.apply(BigInteger.TEN, "f"));
        assertEquals(10, (int) k.apply(new BigDecimal("10.000"), "f"));
        assertEquals(10_000, (int) k.apply(10_000, "f"));
        for (Map.Entry<String, Object> other : ANY.entrySet()) {
            assertRefused(k, other.getValue(), "[f] must be an integer, got " + other.getKey());
        }
        assertRefused(k, "10", "[f] must be an integer, got the string [10]");
        assertRefused(k, 10.5f, "[f] must be an integer, got 10.5");
        assertRefused(k, new BigDecimal("10.25"), "[f] must be an integer, got 10.25");
        assertRefused(k, Double.NaN, "[f] must be an integer, got NaN");
        assertRefused(k, Double.POSITIVE_INFINITY, "[f] must be an integer, got Infinity");
        assertRefused(k, 0, "[f] must be between 1 and 10000, got 0");
        assertRefused(k, -3, "[f] must be between 1 and 10000, got -3");
        assertRefused(k, 10_001, "[f] must be between 1 and 10000, got 10001");
        assertRefused(k, 1e12, "[f] must be between 1 and 10000, got 1.0E12");
        assertRefused(k, 4_294_967_297L, "[f] must be between 1 and 10000, got 4294967297");
        assertRefused(k, new BigInteger("99999999999999999999999"), "[f] must be between 1 and 10000, got 99999999999999999999999");
        assertRefused(k, new BigInteger("-99999999999999999999999"), "[f] must be between 1 and 10000, got -99999999999999999999999");
        assertRefused(k, new BigDecimal("1E+30"), "[f] must be between 1 and 10000, got 1E+30");
    }

    @Test
    public void integerRangesOpenAtTheTop() {
        BiFunction<Object, String, Integer> index = (value, field) -> FieldValues.integer(value, field, 0, Integer.MAX_VALUE);
        assertEquals(Integer.MAX_VALUE, (int) index.apply(Integer.MAX_VALUE, "f"));
        assertRefused(index, -1, "[f] must be >= 0, got -1");
        assertRefused(index, 3_000_000_000L, "[f] must be >= 0, got 3000000000");
    }

    @Test
    public void numberTakesFiniteNumbersInRange() {
        BiFunction<Object, String, Float> similarity = (value, field) -> FieldValues.number(value, field, -1, 1);
        assertEquals(0.5f, similarity.apply(0.5, "f"), 0);
        assertEquals(-1f, similarity.apply(-1, "f"), 0);
        assertEquals(1f, similarity.apply(1L, "f"), 0);
        assertEquals(0.25f, similarity.apply(new BigDecimal("0.25"), "f"), 0);
        for (Map.Entry<String, Object> other : ANY.entrySet()) {
            if (other.getValue() instanceof Number == false) {
                assertRefused(similarity, other.getValue(), "[f] must be a number, got " + other.getKey());
            }
        }
        assertRefused(similarity, "0.5", "[f] must be a number, got the string [0.5]");
        assertRefused(similarity, "NaN", "[f] must be a number, got the string [NaN]");
        assertRefused(similarity, Double.NaN, "[f] must be a finite number, got NaN");
        assertRefused(similarity, Float.NaN, "[f] must be a finite number, got NaN");
        assertRefused(similarity, Double.NEGATIVE_INFINITY, "[f] must be a finite number, got -Infinity");
        assertRefused(similarity, 1.5, "[f] must be between -1 and 1, got 1.5");
        assertRefused(similarity, -2, "[f] must be between -1 and 1, got -2");
        // a double just above 1 is not let through by rounding to float
        assertRefused(similarity, 1.00000001, "[f] must be between -1 and 1, got 1.00000001");
    }

    @Test
    public void numberWithOpenBounds() {
        BiFunction<Object, String, Float> any = (value, field) -> FieldValues.number(value, field, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        BiFunction<Object, String, Float> boost = (value, field) -> FieldValues.number(value, field, 0, Float.POSITIVE_INFINITY);
        assertEquals(-1e30f, any.apply(-1e30, "f"), 1e24);
        assertRefused(any, 1e39, "[f] must be a finite number, got 1.0E39");
        assertRefused(any, Double.POSITIVE_INFINITY, "[f] must be a finite number, got Infinity");
        assertEquals(3f, boost.apply(3, "f"), 0);
        assertRefused(boost, -0.5, "[f] must be >= 0, got -0.5");
    }

    @Test
    public void betweenChecksTypedValues() {
        assertEquals(0.3f, FieldValues.between(0.3f, -1, 1, "face_search.verify.threshold"), 0);
        assertEquals(
            "[face_search.verify.threshold] must be between -1 and 1, got 7.0",
            assertThrows(IllegalArgumentException.class, () -> FieldValues.between(7f, -1, 1, "face_search.verify.threshold")).getMessage()
        );
        assertEquals(
            "[t] must be a finite number, got NaN",
            assertThrows(IllegalArgumentException.class, () -> FieldValues.between(Float.NaN, -1, 1, "t")).getMessage()
        );
        assertEquals(
            "[face_search.detector.min_score] must be between 0 and 1, got 3.0",
            assertThrows(IllegalArgumentException.class, () -> FieldValues.between(3f, 0, 1, "face_search.detector.min_score")).getMessage()
        );
        assertEquals(
            "[m] must be between 0.5 and 1, got 0.25",
            assertThrows(IllegalArgumentException.class, () -> FieldValues.between(0.25f, 0.5f, 1, "m")).getMessage()
        );
        assertEquals(7, FieldValues.between(7, 1, 10, "n"));
        assertEquals(
            "[n] must be between 1 and 10, got 11",
            assertThrows(IllegalArgumentException.class, () -> FieldValues.between(11, 1, 10, "n")).getMessage()
        );
    }

    @Test
    public void objectTakesMapsOnly() {
        Map<String, Object> map = Map.of("a", 1);
        assertSame(map, FieldValues.object(map, "f"));
        for (Map.Entry<String, Object> other : ANY.entrySet()) {
            if (other.getValue() instanceof Map<?, ?> == false) {
                assertRefused(FieldValues::object, other.getValue(), "[f] must be an object, got " + other.getKey());
            }
        }
    }

    @Test
    public void requiredAndUnknown() {
        assertEquals("x", FieldValues.required("x", "index"));
        assertEquals("[index] is required", assertThrows(IllegalArgumentException.class, () -> FieldValues.required(null, "index")).getMessage());
        assertEquals("unknown field [colour]; known fields: [a, b]", FieldValues.unknownField("colour", "[a, b]").getMessage());
    }

    @Test
    public void describeNamesJsonNotJava() {
        assertEquals("null", FieldValues.describe(null));
        assertEquals("an empty string", FieldValues.describe(""));
        assertEquals("binary data", FieldValues.describe(new byte[3]));
        assertEquals("an array", FieldValues.describe(new Object[0]));
        char[] many = new char[5_000_000];
        Arrays.fill(many, 'A');
        String photo = new String(many);
        String described = FieldValues.describe(photo);
        assertEquals("a string of 5000000 characters starting [" + photo.substring(0, 40) + "]", described);
    }
}
