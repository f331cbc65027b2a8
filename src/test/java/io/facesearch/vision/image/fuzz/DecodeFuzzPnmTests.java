package io.facesearch.vision.image.fuzz;

import org.junit.Test;

/** {@link DecodeFuzzTestCase} of PNM (P1 to P7, ASCII and binary, 16-bit). */
public class DecodeFuzzPnmTests extends DecodeFuzzTestCase {
    @Test
    public void testPnmMutations() {
        fuzz(ImageFamily.PNM);
    }
}
