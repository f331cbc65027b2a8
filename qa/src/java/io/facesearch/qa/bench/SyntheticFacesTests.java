package io.facesearch.qa.bench;

import org.junit.Test;

import java.util.List;
import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** The synthetic face generator reproduces the statistics it is fitted to. */
public class SyntheticFacesTests {
    @Test
    public void fittedGeneratorMatchesTheTargetStatistics() {
        SyntheticFaces.Stats same = new SyntheticFaces.Stats(0.55, 0.14, 1000);
        SyntheticFaces.Stats different = new SyntheticFaces.Stats(0.03, 0.10, 1000);
        SyntheticFaces.Params params = SyntheticFaces.calibrate(SyntheticFaces.fit(128, same, different), same, 11);
        SyntheticFaces gen = new SyntheticFaces(params);
        Random random = new Random(3);
        int identities = 300;
        float[][] vectors = new float[identities * 10][];
        int[] identity = new int[vectors.length];
        for (int id = 0; id < identities; id++) {
            double[] c = gen.centre(random);
            for (int f = 0; f < 10; f++) {
                vectors[id * 10 + f] = gen.face(c, random);
                identity[id * 10 + f] = id;
            }
        }
        for (float[] v : vectors) {
            assertEquals(128, v.length);
            assertEquals(1.0, Math.sqrt(SyntheticFaces.dot(v, v)), 1e-5);
        }
        SyntheticFaces.Stats[] s = SyntheticFaces.measure(vectors, identity, 100_000, 100_000, new Random(5));
        assertEquals(0.55, s[0].mean(), 0.02);
        assertEquals(0.14, s[0].std(), 0.02);
        assertEquals(0.03, s[1].mean(), 0.01);
        assertEquals(0.10, s[1].std(), 0.01);
    }

    @Test
    public void effectiveDimensionOfTheAxisScales() {
        double[] scale = SyntheticFaces.axisScales(128, 60);
        double sum = 0;
        double sumSq = 0;
        for (double s : scale) {
            sum += s * s;
            sumSq += s * s * s * s;
        }
        assertEquals(60, sum * sum / sumSq, 0.01);
        double[] flat = SyntheticFaces.axisScales(128, 500);
        assertEquals(1.0, flat[0], 0);
        assertEquals(1.0, flat[126], 0);
    }

    @Test
    public void exactTopKIsTheBestFirst() {
        float[][] vectors = { { 1, 0 }, { 0, 1 }, { 0.8f, 0.6f }, { -1, 0 }, { 0.6f, 0.8f } };
        assertArrayEquals(new int[] { 0, 2, 4 }, SyntheticFaces.exactTopK(vectors, new float[] { 0.9f, 0.1f }, 3));
        assertArrayEquals(new int[] { 1, 4 }, SyntheticFaces.exactTopK(vectors, new float[] { 0, 1 }, 2));
        assertEquals(5, SyntheticFaces.exactTopK(vectors, new float[] { 0, 1 }, 10).length);
    }

    @Test
    public void pairStatsSplitsSameAndDifferent() {
        List<float[]> v = List.of(new float[] { 1, 0 }, new float[] { 0.6f, 0.8f }, new float[] { 0, 1 });
        SyntheticFaces.Stats[] s = SyntheticFaces.pairStats(v, List.of("a", "a", "b"));
        assertEquals(0.6, s[0].mean(), 1e-6);
        assertEquals(1, s[0].count());
        assertEquals(0.4, s[1].mean(), 1e-6); // (0 + 0.8) / 2
        assertEquals(0.4, s[1].std(), 1e-6);
        assertTrue(s[1].count() == 2);
    }
}
