package io.facesearch.vision.image.fuzz;

import org.junit.Test;

/** {@link DecodeFuzzTestCase} of PNG (RGB, 16-bit, palette with and without transparency, interlaced, alpha, 1-bit). */
public class DecodeFuzzPngTests extends DecodeFuzzTestCase {
    @Test
    public void testPngMutations() {
        fuzz(ImageFamily.PNG);
    }
}
