package io.facesearch.vision.image.fuzz;

import org.junit.Test;

/** {@link DecodeFuzzTestCase} of baseline JPEG (colour and grey; the face set's baseline photos and broken JPEGs). */
public class DecodeFuzzJpegBaselineTests extends DecodeFuzzTestCase {
    @Test
    public void testJpegBaselineMutations() {
        fuzz(ImageFamily.JPEG_BASELINE);
    }
}
