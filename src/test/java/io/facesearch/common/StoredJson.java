package io.facesearch.common;

import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;

/** Assertions on documents read back from an index. */
public final class StoredJson {
    private StoredJson() {}

    /**
     * Asserts two parsed JSON values hold the same data. Numbers are compared as the floats the processor writes:
     * vectors come back from the k-NN plugin's stored vectors with more digits than they were sent with.
     */
    public static void assertSameValues(String path, Object expected, Object actual) {
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            assertEquals(path + " keys", e.keySet(), a.keySet());
            for (Object key : e.keySet()) {
                assertSameValues(path + "." + key, e.get(key), a.get(key));
            }
        } else if (expected instanceof List<?> e && actual instanceof List<?> a) {
            assertEquals(path + " size", e.size(), a.size());
            for (int i = 0; i < e.size(); i++) {
                assertSameValues(path + "[" + i + "]", e.get(i), a.get(i));
            }
        } else if (expected instanceof Number e && actual instanceof Number a) {
            assertEquals(path, e.floatValue(), a.floatValue(), Math.ulp(e.floatValue()));
        } else {
            assertEquals(path, expected, actual);
        }
    }
}
