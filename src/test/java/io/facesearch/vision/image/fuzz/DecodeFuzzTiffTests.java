package io.facesearch.vision.image.fuzz;

import org.junit.Test;

/** {@link DecodeFuzzTestCase} of TIFF (uncompressed, LZW, Deflate, PackBits; strips and tiles; 16-bit grey, palette). */
public class DecodeFuzzTiffTests extends DecodeFuzzTestCase {
    @Test
    public void testTiffMutations() {
        fuzz(ImageFamily.TIFF);
    }
}
