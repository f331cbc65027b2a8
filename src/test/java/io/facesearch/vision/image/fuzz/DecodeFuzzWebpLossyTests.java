package io.facesearch.vision.image.fuzz;

import org.junit.Test;

/** {@link DecodeFuzzTestCase} of lossy WebP (VP8, and VP8X with alpha). */
public class DecodeFuzzWebpLossyTests extends DecodeFuzzTestCase {
    @Test
    public void testWebpLossyMutations() {
        fuzz(ImageFamily.WEBP_LOSSY);
    }
}
