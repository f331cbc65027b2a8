package io.facesearch.vision.image.fuzz;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.Test;

/** The mutations hit what they aim at, a case is the same bytes every time it is made, and its re-run command names its test. */
public class ImageMutatorTests {
    private static final Pattern SIZE = Pattern.compile("-(\\d+)x(\\d+)");
    private static final SeedImages SEEDS = SeedImages.generate(null);

    @Test
    public void testLayoutFindsTheDeclaredSizeOfEverySeed() {
        for (ImageFamily family : ImageFamily.values()) {
            for (SeedImages.Seed seed : SEEDS.of(family)) {
                Matcher size = SIZE.matcher(seed.name());
                assertTrue(seed.name(), size.find());
                HeaderFields layout = HeaderFields.of(family, seed.bytes());
                int[] declared = declaredSize(family, layout, seed.bytes());
                assertEquals(seed.name() + " width, fields " + layout.fields(), Integer.parseInt(size.group(1)), declared[0]);
                assertEquals(seed.name() + " height, fields " + layout.fields(), Integer.parseInt(size.group(2)), declared[1]);
                assertFalse(seed.name() + " has segments", layout.segments().isEmpty());
                for (HeaderFields.Segment s : layout.segments()) {
                    assertTrue(seed.name() + " " + s, s.offset() >= 0 && s.length() > 0 && s.offset() + s.length() <= seed.bytes().length);
                }
            }
        }
    }

    /** Width and height read back through the fields the layout found, the way each format stores them. */
    private static int[] declaredSize(ImageFamily family, HeaderFields layout, byte[] b) {
        Map<String, Long> v = layout.fields().stream().collect(Collectors.toMap(HeaderFields.Field::name, f -> f.value(b), (x, y) -> x));
        return switch (family) {
            case JPEG_BASELINE -> new int[] { v.get("SOF0.width").intValue(), v.get("SOF0.height").intValue() };
            case JPEG_PROGRESSIVE -> new int[] { v.get("SOF2.width").intValue(), v.get("SOF2.height").intValue() };
            case PNG -> new int[] { v.get("IHDR.width").intValue(), v.get("IHDR.height").intValue() };
            case GIF -> new int[] { v.get("screen.width").intValue(), v.get("screen.height").intValue() };
            case WEBP_LOSSY, WEBP_LOSSLESS -> {
                if (v.containsKey("VP8X.canvas_width")) {
                    yield new int[] { v.get("VP8X.canvas_width").intValue() + 1, v.get("VP8X.canvas_height").intValue() + 1 };
                }
                if (v.containsKey("VP8L.size_bits")) {
                    long bits = v.get("VP8L.size_bits");
                    yield new int[] { (int) (bits & 0x3FFF) + 1, (int) ((bits >> 14) & 0x3FFF) + 1 };
                }
                yield new int[] { (int) (v.get("VP8.width") & 0x3FFF), (int) (v.get("VP8.height") & 0x3FFF) };
            }
            case BMP -> new int[] { v.get("info.width").intValue(), Math.abs(v.get("info.height").intValue()) };
            case TIFF -> new int[] { v.get("ifd0.tag256.value").intValue(), v.get("ifd0.tag257.value").intValue() };
            case PNM -> v.containsKey("header.WIDTH")
                ? new int[] { v.get("header.WIDTH").intValue(), v.get("header.HEIGHT").intValue() }
                : new int[] { v.get("header.width").intValue(), v.get("header.height").intValue() };
        };
    }

    @Test
    public void testACaseIsTheSameBytesEveryTime() {
        ImageMutator mutator = new ImageMutator(SEEDS, 42);
        ImageMutator again = new ImageMutator(SeedImages.generate(null), 42);
        for (ImageFamily family : ImageFamily.values()) {
            Set<String> descriptions = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                FuzzCase c = mutator.mutate(family, i);
                FuzzCase d = again.mutate(family, i);
                assertEquals(c.describe(), d.describe());
                assertArrayEquals(c.describe(), c.bytes(), d.bytes());
                assertTrue(c.describe(), c.describe().startsWith("family=" + family.label() + " seed=42 mutation=" + i + " base="));
                descriptions.add(c.describe().replaceFirst("mutation=\\d+ ", ""));
            }
            assertTrue(family + ": " + descriptions.size() + " different cases of 100", descriptions.size() >= 90);
        }
        FuzzCase other = new ImageMutator(SEEDS, 43).mutate(ImageFamily.PNG, 0);
        assertFalse(other.describe().equals(mutator.mutate(ImageFamily.PNG, 0).describe()));
    }

    @Test
    public void testEveryKindOfMutationIsMadeInEveryFamily() {
        ImageMutator mutator = new ImageMutator(SEEDS, ImageMutator.DEFAULT_SEED);
        for (ImageFamily family : ImageFamily.values()) {
            Set<ImageMutator.Kind> seen = EnumSet.noneOf(ImageMutator.Kind.class);
            int sizeFieldHits = 0;
            for (int i = 0; i < 500; i++) {
                List<String> mutations = mutator.mutate(family, i).mutations();
                for (String m : mutations) {
                    for (ImageMutator.Kind kind : ImageMutator.Kind.values()) {
                        if (m.startsWith(kind.label() + " ") && m.contains("(no ") == false) {
                            seen.add(kind);
                        }
                    }
                    sizeFieldHits += m.startsWith("size-field ") && m.contains("(no ") == false ? 1 : 0;
                }
            }
            assertEquals(family.label(), EnumSet.allOf(ImageMutator.Kind.class), seen);
            assertTrue(family.label() + ": " + sizeFieldHits + " size fields overwritten in 500 cases", sizeFieldHits > 100);
        }
    }

    @Test
    public void testTheRerunCommandNamesTheFamilysTestClass() throws ClassNotFoundException {
        for (ImageFamily family : ImageFamily.values()) {
            String name = DecodeFuzzTestCase.testClass(family);
            Class<?> test = Class.forName(ImageMutatorTests.class.getPackageName() + "." + name);
            assertTrue(name, DecodeFuzzTestCase.class.isAssignableFrom(test));
            assertTrue(DecodeFuzzTestCase.rerun(family, 17, ImageMutator.DEFAULT_SEED).endsWith("-Dtest=" + name + " -Dfuzz.cases=17"));
        }
        assertTrue(DecodeFuzzTestCase.rerun(ImageFamily.PNG, 3, 5).endsWith("-Dtest=DecodeFuzzPngTests -Dfuzz.cases=3 -Dfuzz.seed=5"));
    }

    @Test
    public void testSizeFieldMutationsRewriteTheFieldTheyName() {
        ImageMutator mutator = new ImageMutator(SEEDS, 7);
        Pattern field = Pattern.compile("^size-field (\\S+)@(\\d+): (0x[0-9a-f]+) -> (0x[0-9a-f]+)$");
        int checked = 0;
        for (ImageFamily family : List.of(ImageFamily.PNG, ImageFamily.GIF, ImageFamily.BMP, ImageFamily.WEBP_LOSSY)) {
            for (int i = 0; i < 200; i++) {
                FuzzCase c = mutator.mutate(family, i);
                if (c.mutations().size() != 2 && c.mutations().size() != 1) {
                    continue;
                }
                Matcher m = field.matcher(c.mutations().get(0));
                if (c.mutations().size() == 2 && c.mutations().get(1).equals("png-crcs-fixed") == false || m.matches() == false) {
                    continue;
                }
                int offset = Integer.parseInt(m.group(2));
                long written = Long.parseLong(m.group(4).substring(2), 16);
                // a length or size written over can end the walk before the field: those cases are not checked here
                HeaderFields.Field f = HeaderFields.of(family, c.bytes()).fields().stream().filter(x -> x.offset() == offset).findFirst().orElse(null);
                if (f == null) {
                    continue;
                }
                assertEquals(c.describe(), m.group(1), f.name());
                assertEquals(c.describe(), written, f.value(c.bytes()));
                checked++;
            }
        }
        assertTrue(checked + " cases checked", checked > 50);
    }
}
