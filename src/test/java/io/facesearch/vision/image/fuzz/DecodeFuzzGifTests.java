package io.facesearch.vision.image.fuzz;

import org.junit.Test;

/** {@link DecodeFuzzTestCase} of GIF (interlaced, with transparency, several frames). */
public class DecodeFuzzGifTests extends DecodeFuzzTestCase {
    @Test
    public void testGifMutations() {
        fuzz(ImageFamily.GIF);
    }
}
