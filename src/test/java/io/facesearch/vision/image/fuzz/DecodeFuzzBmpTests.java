package io.facesearch.vision.image.fuzz;

import org.junit.Test;

/** {@link DecodeFuzzTestCase} of BMP (24-bit, RLE8, RLE4, 8-bit, 16- and 32-bit bitfields, embedded JPEG and PNG, V5 headers). */
public class DecodeFuzzBmpTests extends DecodeFuzzTestCase {
    @Test
    public void testBmpMutations() {
        fuzz(ImageFamily.BMP);
    }
}
