package io.facesearch.vision.image.fuzz;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.facesearch.vision.image.DecodedImage;
import io.facesearch.vision.image.ImageDecoder;

import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/** The fuzzing starts from well-formed files: every generated seed is the kind of file its name says, of its size. */
public class SeedImagesTests {
    private static final Pattern SIZE = Pattern.compile("-(\\d+)x(\\d+)");

    @Test
    public void testEveryGeneratedSeedDecodesToTheSizeInItsName() {
        SeedImages seeds = SeedImages.generate(null);
        ImageDecoder decoder = new ImageDecoder();
        for (ImageFamily family : ImageFamily.values()) {
            List<SeedImages.Seed> list = seeds.of(family);
            assertTrue(family + " has several seeds", list.size() >= 3);
            for (SeedImages.Seed seed : list) {
                assertTrue(seed.name(), seed.generated());
                assertTrue(seed.name(), seed.name().startsWith(family.label() + "-"));
                assertEquals(seed.name(), family, SeedImages.familyOf(seed.bytes()));
                Matcher size = SIZE.matcher(seed.name());
                assertTrue(seed.name(), size.find());
                try (DecodedImage image = decoder.decode(seed.bytes())) {
                    assertEquals(seed.name(), Integer.parseInt(size.group(1)), image.width());
                    assertEquals(seed.name(), Integer.parseInt(size.group(2)), image.height());
                }
            }
        }
    }

    @Test
    public void testRealSeedsAreTheSmallFilesOfTheirFamily() {
        SeedImages seeds = SeedImages.generate(DecodeFuzzTestCase.oddFolder());
        int real = 0;
        for (ImageFamily family : ImageFamily.values()) {
            for (SeedImages.Seed seed : seeds.of(family)) {
                if (seed.generated() == false) {
                    real++;
                    assertTrue(seed.name(), seed.name().startsWith("odd/"));
                    assertEquals(seed.name(), family, SeedImages.familyOf(seed.bytes()));
                    assertTrue(seed.name(), seed.bytes().length <= SeedImages.MAX_REAL_SEED_BYTES);
                    assertTrue(seed.name(), SeedImages.declaredPixels(seed.bytes()) <= SeedImages.MAX_REAL_SEED_PIXELS);
                }
            }
        }
        // the face set's odd/ folder holds about twenty such files; without it there are none
        assertEquals(Files.isDirectory(DecodeFuzzTestCase.oddFolder()), real > 10);
        assertFalse("a 900x750 WebP is too slow a seed", seeds.of(ImageFamily.WEBP_LOSSY).stream().anyMatch(s -> s.name().equals("odd/lossy.webp")));
    }
}
