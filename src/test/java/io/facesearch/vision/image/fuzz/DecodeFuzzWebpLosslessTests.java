package io.facesearch.vision.image.fuzz;

import org.junit.Test;

/** {@link DecodeFuzzTestCase} of lossless WebP (VP8L). */
public class DecodeFuzzWebpLosslessTests extends DecodeFuzzTestCase {
    @Test
    public void testWebpLosslessMutations() {
        fuzz(ImageFamily.WEBP_LOSSLESS);
    }
}
