package io.facesearch.vision.image.fuzz;

import org.junit.Test;

/** {@link DecodeFuzzTestCase} of progressive JPEG. */
public class DecodeFuzzJpegProgressiveTests extends DecodeFuzzTestCase {
    @Test
    public void testJpegProgressiveMutations() {
        fuzz(ImageFamily.JPEG_PROGRESSIVE);
    }
}
