package io.facesearch.common;

import org.junit.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** Cosine similarity of vectors as sources hold them, and what counts as no vector at all. */
public class StoredVectorsTests {
    @Test
    public void comparesStoredListsWithEachOtherAndWithArrays() {
        List<Object> stored = List.of(3, 4.0, 0L);
        assertEquals(1.0, StoredVectors.cosine(stored, new float[] { 6, 8, 0 }), 1e-9);
        assertEquals(1.0, StoredVectors.cosine(new float[] { 0.6f, 0.8f, 0 }, stored), 1e-7);
        assertEquals(0.0, StoredVectors.cosine(List.of(1, 0), List.of(0, 2)), 1e-12);
        assertEquals(-1.0, StoredVectors.cosine(List.of(1.5, -2.0), List.of(-3, 4)), 1e-12);
        assertEquals(0.6, StoredVectors.cosine(List.of(1, 0), new float[] { 3, 4 }), 1e-7);
    }

    @Test
    public void anythingButTwoNonZeroVectorsOfOneLengthIsNaN() {
        List<Object> vector = List.of(1, 2);
        for (Object other : Arrays.asList(
            null,
            "1,2",
            List.of(),
            List.of(1, 2, 3),
            Arrays.asList(1, null),
            List.of(1, "2"),
            List.of(0, 0.0),
            new float[] { 1 },
            new float[0]
        )) {
            assertTrue(String.valueOf(other), Double.isNaN(StoredVectors.cosine(vector, other)));
            assertTrue(String.valueOf(other), Double.isNaN(StoredVectors.cosine(other, vector)));
        }
        // NaN passes no threshold, from either side
        double nan = StoredVectors.cosine(vector, null);
        assertTrue((nan >= 0.4) == false && (nan < 0.4) == false);
    }
}
