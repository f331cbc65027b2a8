package io.facesearch.vision.model;

import org.junit.Test;

import java.nio.FloatBuffer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

/** A thread keeps one direct input buffer, of at most {@link OnnxModel#MAX_KEPT_INPUT_FLOATS} floats. */
public class InputBufferTests {
    private static final int MAX = OnnxModel.MAX_KEPT_INPUT_FLOATS;

    @Test
    public void buffersUpToTheLimitAreKeptAndLargerOnesAreNot() {
        FloatBuffer small = OnnxModel.inputBuffer(1000);
        assertTrue(small.isDirect());
        assertEquals(0, small.position());
        assertEquals(1000, small.limit());

        FloatBuffer largest = OnnxModel.inputBuffer(MAX);
        assertEquals(MAX, OnnxModel.keptInputBufferFloats());
        assertSame("reused", largest, OnnxModel.inputBuffer(500));

        FloatBuffer larger = OnnxModel.inputBuffer(MAX + 1);
        assertTrue(larger.isDirect());
        assertEquals(MAX + 1, larger.limit());
        assertEquals("not kept", MAX, OnnxModel.keptInputBufferFloats());
        assertNotSame(larger, OnnxModel.inputBuffer(MAX + 1));
        assertEquals(4_915_200, (long) MAX * Float.BYTES);
    }

    @Test
    public void runsTakeAsManyInputsAsTheKeptBufferHolds() {
        assertEquals("112x112 face crops", 32, OnnxModel.inputsPerRun(3 * 112 * 112, 32));
        assertEquals("224x224 CLIP images", 8, OnnxModel.inputsPerRun(3 * 224 * 224, 16));
        assertEquals("one larger input at a time", 1, OnnxModel.inputsPerRun(3 * 1024 * 1024, 16));
        assertEquals("small inputs up to the limit", 4, OnnxModel.inputsPerRun(10, 4));
    }
}
