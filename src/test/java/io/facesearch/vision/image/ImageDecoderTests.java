package io.facesearch.vision.image;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.Deflater;

import org.junit.Test;

/**
 * Tests of {@link ImageDecoder} against the shared face set ({@code face_search.faces.dir}): every
 * file of {@code odd/} has an expectation, and every photo of {@code people/} must decode.
 */
public class ImageDecoderTests {

    private static final ImageDecoder DECODER = new ImageDecoder();

    // ------------------------------------------------------------------------------------------
    // the odd/ files

    /** What decoding one file of odd/ must give. */
    private record Expect(ImageFormat format, int sourceWidth, int sourceHeight, int width, int height, String error) {
        static Expect ok(ImageFormat format, int width, int height) {
            return new Expect(format, width, height, width, height, null);
        }

        static Expect subsampled(ImageFormat format, int sourceWidth, int sourceHeight, int width, int height) {
            return new Expect(format, sourceWidth, sourceHeight, width, height, null);
        }

        static Expect error(String fragment) {
            return new Expect(null, 0, 0, 0, 0, fragment);
        }
    }

    private static final Map<String, Expect> ODD = new TreeMap<>();

    static {
        ODD.put("alpha.webp", Expect.ok(ImageFormat.WEBP, 250, 250));
        ODD.put("alpha_cutout.png", Expect.ok(ImageFormat.PNG, 250, 250));
        ODD.put("cmyk.jpg", Expect.ok(ImageFormat.JPEG, 900, 750));
        // The EXIF files are made from a 900x750 upright photo; 6 and 8 are stored 750x900.
        ODD.put("exif_orientation3.jpg", Expect.ok(ImageFormat.JPEG, 900, 750));
        ODD.put("exif_orientation6.jpg", Expect.ok(ImageFormat.JPEG, 900, 750));
        ODD.put("exif_orientation8.jpg", Expect.ok(ImageFormat.JPEG, 900, 750));
        ODD.put("fr_32bit_rgba.png", Expect.ok(ImageFormat.PNG, 626, 1200));
        ODD.put("fr_obama-1080p.jpg", Expect.ok(ImageFormat.JPEG, 1920, 1080));
        ODD.put("fr_obama-240p.jpg", Expect.ok(ImageFormat.JPEG, 427, 240));
        ODD.put("fr_obama_partial_face.jpg", Expect.ok(ImageFormat.JPEG, 491, 1137));
        ODD.put("fr_obama_partial_face2.jpg", Expect.ok(ImageFormat.JPEG, 551, 1137));
        ODD.put("grayscale.jpg", Expect.ok(ImageFormat.JPEG, 250, 250));
        ODD.put("image.bmp", Expect.ok(ImageFormat.BMP, 250, 250));
        ODD.put("image.gif", Expect.ok(ImageFormat.GIF, 250, 250));
        ODD.put("image.ppm", Expect.ok(ImageFormat.PNM, 250, 250));
        ODD.put("image_lzw.tif", Expect.ok(ImageFormat.TIFF, 250, 250));
        // 30 M pixels > the 16 M working size: decoded with subsampling factor 2.
        ODD.put("large_6000px.jpg", Expect.subsampled(ImageFormat.JPEG, 6000, 5000, 3000, 2500));
        ODD.put("lossy.webp", Expect.ok(ImageFormat.WEBP, 900, 750));
        ODD.put("not_an_image.jpg", Expect.error("not a supported image: the data does not start with a JPEG, PNG, WebP"));
        ODD.put("palette256.png", Expect.ok(ImageFormat.PNG, 250, 250));
        ODD.put("png_data_named.jpg", Expect.ok(ImageFormat.PNG, 250, 250));
        ODD.put("progressive.jpg", Expect.ok(ImageFormat.JPEG, 900, 750));
        ODD.put("rgb16.png", Expect.ok(ImageFormat.PNG, 250, 250));
        // No EXIF: stays as stored (on its side); the face detector has to cope.
        ODD.put("rotated90_no_exif.jpg", Expect.ok(ImageFormat.JPEG, 750, 900));
        ODD.put("skimage_truncated.jpg", Expect.error("JPEG image is truncated or corrupt"));
        ODD.put("tiny_1x1.jpg", Expect.ok(ImageFormat.JPEG, 1, 1));
        ODD.put("tiny_1x1.png", Expect.ok(ImageFormat.PNG, 1, 1));
        ODD.put("tiny_face_32x32.jpg", Expect.ok(ImageFormat.JPEG, 32, 32));
        ODD.put("truncated_50pct.jpg", Expect.error("JPEG image is truncated"));
        ODD.put("truncated_header_only.jpg", Expect.error("JPEG image is truncated or corrupt"));
        ODD.put("upside_down_no_exif.jpg", Expect.ok(ImageFormat.JPEG, 900, 750));
        ODD.put("zero_bytes.jpg", Expect.error("image is empty (0 bytes)"));
    }

    @Test
    public void testEveryOddFileHasItsExpectedOutcome() throws IOException {
        Path dir = faces().resolve("odd");
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        TreeSet<String> uncovered = new TreeSet<>(names);
        uncovered.removeAll(ODD.keySet());
        assertTrue("files in odd/ without an expectation in this test: " + uncovered, uncovered.isEmpty());
        TreeSet<String> missing = new TreeSet<>(ODD.keySet());
        missing.removeAll(names);
        assertTrue("expected files missing from odd/: " + missing, missing.isEmpty());

        for (String name : names) {
            Expect expect = ODD.get(name);
            byte[] bytes = Files.readAllBytes(dir.resolve(name));
            if (expect.error() != null) {
                InvalidImageException e = expectInvalid(name, bytes);
                assertTrue(
                    name + ": message [" + e.getMessage() + "] should contain [" + expect.error() + "]",
                    e.getMessage().contains(expect.error())
                );
                continue;
            }
            DecodedImage image;
            try {
                image = DECODER.decode(bytes);
            } catch (InvalidImageException e) {
                throw new AssertionError(name + " should decode but failed: " + e.getMessage(), e);
            }
            assertEquals(name + " format", expect.format(), image.format());
            assertEquals(name + " source width", expect.sourceWidth(), image.sourceWidth());
            assertEquals(name + " source height", expect.sourceHeight(), image.sourceHeight());
            assertEquals(name + " width", expect.width(), image.width());
            assertEquals(name + " height", expect.height(), image.height());
            assertEquals(name + " pixel bytes", 3L * image.width() * image.height(), image.bgr().length);
            assertTrue(name + " within working size", (long) image.width() * image.height() <= DECODER.workingMaxPixels());
        }
    }

    @Test
    public void testExifOrientationIsApplied() throws IOException {
        DecodedImage upright = decodeFace("odd/progressive.jpg");
        assertEquals(900, upright.width());
        assertEquals(750, upright.height());
        for (String name : List.of("odd/exif_orientation3.jpg", "odd/exif_orientation6.jpg", "odd/exif_orientation8.jpg")) {
            DecodedImage image = decodeFace(name);
            assertEquals(name, 900, image.width());
            assertEquals(name, 750, image.height());
            double right = meanAbsDiff(image, upright);
            assertTrue(name + " should match the upright photo, mean abs diff " + right, right < 8);
            // The same pixels turned the other way round (what a wrong rotation direction gives) are far off.
            double wrong = meanAbsDiff(rotate180(image), upright);
            assertTrue(name + " turned 180 degrees should not match, mean abs diff " + wrong, wrong > 30);
        }
        // Without EXIF nothing is turned: the pixels are as stored.
        DecodedImage upsideDown = decodeFace("odd/upside_down_no_exif.jpg");
        assertTrue(meanAbsDiff(upsideDown, upright) > 30);
        assertTrue(meanAbsDiff(rotate180(upsideDown), upright) < 8);
        DecodedImage onItsSide = decodeFace("odd/rotated90_no_exif.jpg");
        assertEquals(750, onItsSide.width());
        assertTrue(meanAbsDiff(rotateClockwise(onItsSide), upright) < 8);
    }

    @Test
    public void testOrientationTransformsFollowTheExifDefinitions() {
        int w = 3;
        int h = 2;
        byte[] stored = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            stored[i * 3] = (byte) i;
            stored[i * 3 + 1] = (byte) (i + 100);
            stored[i * 3 + 2] = (byte) (i + 200);
        }
        assertArrayEquals(stored, ExifOrientation.apply(stored, w, h, 1));
        for (int orientation = 2; orientation <= 8; orientation++) {
            byte[] out = ExifOrientation.apply(stored, w, h, orientation);
            boolean swap = orientation >= 5;
            int ow = swap ? h : w;
            int oh = swap ? w : h;
            for (int r = 0; r < oh; r++) {
                for (int c = 0; c < ow; c++) {
                    // Display pixel (row r, column c) comes from stored pixel (sr, sc), per the EXIF/TIFF spec.
                    int sr;
                    int sc;
                    switch (orientation) {
                        case 2 -> { sr = r; sc = w - 1 - c; }
                        case 3 -> { sr = h - 1 - r; sc = w - 1 - c; }
                        case 4 -> { sr = h - 1 - r; sc = c; }
                        case 5 -> { sr = c; sc = r; }
                        case 6 -> { sr = h - 1 - c; sc = r; }
                        case 7 -> { sr = h - 1 - c; sc = w - 1 - r; }
                        default -> { sr = c; sc = w - 1 - r; }
                    }
                    int o = (r * ow + c) * 3;
                    int s = (sr * w + sc) * 3;
                    for (int k = 0; k < 3; k++) {
                        assertEquals("orientation " + orientation + " at " + r + "," + c, stored[s + k], out[o + k]);
                    }
                }
            }
        }
    }

    @Test
    public void testOrientationInPngAndTiffMetadata() {
        byte[] redGreen = { 0, (byte) 255, 0, 0, 0, (byte) 255, 0 }; // filter byte, red, green
        byte[] greenRedBgr = { 0, (byte) 255, 0, 0, 0, (byte) 255 };

        DecodedImage png3 = DECODER.decode(png(2, 1, redGreen, exif(3)));
        assertEquals(2, png3.width());
        assertArrayEquals(greenRedBgr, png3.bgr());

        DecodedImage png8 = DECODER.decode(png(2, 1, redGreen, exif(8)));
        assertEquals(1, png8.width());
        assertEquals(2, png8.height());
        assertEquals(1, png8.sourceWidth());
        assertEquals(2, png8.sourceHeight());
        assertArrayEquals(greenRedBgr, png8.bgr()); // rotated counter-clockwise: the right pixel goes on top

        DecodedImage tiff1 = DECODER.decode(tiff(1));
        assertEquals(ImageFormat.TIFF, tiff1.format());
        assertArrayEquals(new byte[] { 0, 0, (byte) 255, 0, (byte) 255, 0 }, tiff1.bgr());
        DecodedImage tiff3 = DECODER.decode(tiff(3));
        assertArrayEquals(greenRedBgr, tiff3.bgr());
        DecodedImage tiff6 = DECODER.decode(tiff(6));
        assertEquals(1, tiff6.width());
        assertEquals(2, tiff6.height());
        assertArrayEquals(new byte[] { 0, 0, (byte) 255, 0, (byte) 255, 0 }, tiff6.bgr()); // clockwise: left pixel on top
    }

    @Test
    public void testCmykJpegColoursAreConverted() throws IOException {
        DecodedImage reference = decodeFace("odd/progressive.jpg");
        DecodedImage cmyk = decodeFace("odd/cmyk.jpg");
        assertEquals(ImageFormat.JPEG, cmyk.format());
        double diff = meanAbsDiff(cmyk, reference);
        assertTrue("cmyk.jpg mean abs diff " + diff, diff < 20);
        double[] want = channelMeans(reference);
        double[] got = channelMeans(cmyk);
        for (int c = 0; c < 3; c++) {
            assertTrue("channel " + c + " mean " + got[c] + " vs " + want[c], Math.abs(got[c] - want[c]) < 15);
            // An inverted channel would be far off in the other direction.
            assertTrue(Math.abs(got[c] - (255 - want[c])) > Math.abs(got[c] - want[c]) + 20);
        }
    }

    @Test
    public void testGrayscaleJpegGivesEqualChannels() throws IOException {
        DecodedImage gray = decodeFace("odd/grayscale.jpg");
        DecodedImage colour = decodeFace("people/Tiger_Woods/Tiger_Woods_0001.jpg");
        byte[] p = gray.bgr();
        long diff = 0;
        for (int i = 0; i < p.length; i += 3) {
            assertEquals(p[i], p[i + 1]);
            assertEquals(p[i], p[i + 2]);
            byte[] c = colour.bgr();
            double luma = 0.114 * (c[i] & 0xFF) + 0.587 * (c[i + 1] & 0xFF) + 0.299 * (c[i + 2] & 0xFF);
            diff += Math.abs(Math.round(luma) - (p[i] & 0xFF));
        }
        // Raw grey values, not gamma-shifted by a colour conversion.
        double mean = diff / (p.length / 3.0);
        assertTrue("grey vs luma of the colour original: " + mean, mean < 4);
    }

    @Test
    public void testAlphaIsCompositedOverWhite() throws IOException {
        DecodedImage original = decodeFace("people/Tiger_Woods/Tiger_Woods_0001.jpg");
        for (String name : List.of("odd/alpha_cutout.png", "odd/alpha.webp")) {
            DecodedImage image = decodeFace(name);
            int w = image.width();
            int h = image.height();
            for (int[] corner : new int[][] { { 0, 0 }, { w - 1, 0 }, { 0, h - 1 }, { w - 1, h - 1 } }) {
                int o = (corner[1] * w + corner[0]) * 3;
                for (int k = 0; k < 3; k++) {
                    int v = image.bgr()[o + k] & 0xFF;
                    assertTrue(name + " corner " + Arrays.toString(corner) + " should be white, got " + v, v >= 250);
                }
            }
            // Inside the ellipse the photo is opaque and unchanged.
            double centre = meanAbsDiff(image, original, 90, 75, 70, 100);
            assertTrue(name + " centre mean abs diff " + centre, centre < 8);
        }
        DecodedImage rgba = decodeFace("odd/fr_32bit_rgba.png");
        double diff = meanAbsDiff(rgba, decodeFace("people/Barack_Obama/fr_obama2.jpg"));
        assertTrue("fr_32bit_rgba.png vs fr_obama2.jpg: " + diff, diff < 8);
    }

    @Test
    public void testOtherFormatsMatchTheirOriginal() throws IOException {
        DecodedImage tiger = decodeFace("people/Tiger_Woods/Tiger_Woods_0001.jpg");
        Map<String, ImageFormat> derived = new TreeMap<>();
        derived.put("odd/rgb16.png", ImageFormat.PNG);
        derived.put("odd/palette256.png", ImageFormat.PNG);
        derived.put("odd/png_data_named.jpg", ImageFormat.PNG);
        derived.put("odd/image.bmp", ImageFormat.BMP);
        derived.put("odd/image.gif", ImageFormat.GIF);
        derived.put("odd/image.ppm", ImageFormat.PNM);
        derived.put("odd/image_lzw.tif", ImageFormat.TIFF);
        for (Map.Entry<String, ImageFormat> e : derived.entrySet()) {
            DecodedImage image = decodeFace(e.getKey());
            assertEquals(e.getKey(), e.getValue(), image.format());
            double diff = meanAbsDiff(image, tiger);
            assertTrue(e.getKey() + " vs Tiger_Woods_0001.jpg: " + diff, diff < 5);
        }
        DecodedImage guido = decodeFace("odd/progressive.jpg");
        DecodedImage webp = decodeFace("odd/lossy.webp");
        double diff = meanAbsDiff(webp, guido);
        assertTrue("lossy.webp vs progressive.jpg: " + diff, diff < 10);
        assertTrue(meanAbsDiff(decodeFace("people/Guido_van_Rossum/fr_guido_van_rossum3.jpg"), guido) < 5);
    }

    @Test
    public void testFormatIsDetectedFromBytesNotName() {
        assertEquals(ImageFormat.JPEG, ImageDecoder.detectFormat(bytes(0xFF, 0xD8, 0xFF, 0xE0)));
        assertEquals(ImageFormat.PNG, ImageDecoder.detectFormat(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)));
        assertEquals(ImageFormat.WEBP, ImageDecoder.detectFormat(ascii("RIFF\0\0\0\0WEBPVP8 ")));
        assertEquals(ImageFormat.GIF, ImageDecoder.detectFormat(ascii("GIF89a")));
        assertEquals(ImageFormat.GIF, ImageDecoder.detectFormat(ascii("GIF87a")));
        assertEquals(ImageFormat.BMP, ImageDecoder.detectFormat(ascii("BM\0\0")));
        assertEquals(ImageFormat.TIFF, ImageDecoder.detectFormat(bytes('I', 'I', 42, 0)));
        assertEquals(ImageFormat.TIFF, ImageDecoder.detectFormat(bytes('M', 'M', 0, 42)));
        assertEquals(ImageFormat.PNM, ImageDecoder.detectFormat(ascii("P6\n250 250\n255\n")));
        assertEquals(ImageFormat.PNM, ImageDecoder.detectFormat(ascii("P5 1 1 255 ")));
        assertNull(ImageDecoder.detectFormat(ascii("RIFF\0\0\0\0WAVEfmt ")));
        assertNull(ImageDecoder.detectFormat(ascii("PNG is a format")));
        assertNull(ImageDecoder.detectFormat(ascii("<html>")));
        assertNull(ImageDecoder.detectFormat(bytes(0xFF, 0xD8)));
        assertNull(ImageDecoder.detectFormat(new byte[0]));
    }

    @Test
    public void testEmptyAndUnknownInput() {
        assertEquals("image is empty (0 bytes)", expectInvalid("empty", new byte[0]).getMessage());
        assertEquals("image is empty (0 bytes)", expectInvalid("null", null).getMessage());
        assertEquals(
            "not a supported image: the data does not start with a JPEG, PNG, WebP, GIF, BMP, TIFF or PNM signature",
            expectInvalid("text", ascii("hello, this is not a photo")).getMessage()
        );
    }

    @Test
    public void testPixelLimitRejectsLargePhotoBeforeDecoding() throws IOException {
        byte[] large = Files.readAllBytes(faces().resolve("odd/large_6000px.jpg"));
        ImageDecoder strict = new ImageDecoder(20_000_000L, ImageDecoder.DEFAULT_WORKING_MAX_PIXELS);
        InvalidImageException e = expectInvalid("large_6000px.jpg", large, strict);
        assertEquals(
            "image is 6000x5000 = 30000000 pixels, above the limit of 20000000 (face_search.image.max_pixels)",
            e.getMessage()
        );

        DecodedImage image = DECODER.decode(large);
        assertEquals(6000, image.sourceWidth());
        assertEquals(5000, image.sourceHeight());
        assertTrue((long) image.width() * image.height() <= ImageDecoder.DEFAULT_WORKING_MAX_PIXELS);
        assertEquals(3000, image.width());
        assertEquals(2500, image.height());
        assertEquals(2.0, image.scaleToSource(), 1e-9);
        // Same picture as the 900x750 original (it was upscaled from it): sample at matching positions.
        DecodedImage reference = decodeFace("odd/progressive.jpg");
        long sum = 0;
        for (int y = 0; y < reference.height(); y++) {
            for (int x = 0; x < reference.width(); x++) {
                int lx = (int) ((x + 0.5) * image.width() / reference.width());
                int ly = (int) ((y + 0.5) * image.height() / reference.height());
                for (int k = 0; k < 3; k++) {
                    int a = reference.bgr()[(y * reference.width() + x) * 3 + k] & 0xFF;
                    int b = image.bgr()[(ly * image.width() + lx) * 3 + k] & 0xFF;
                    sum += Math.abs(a - b);
                }
            }
        }
        double diff = sum / (3.0 * reference.width() * reference.height());
        assertTrue("subsampled large photo vs original: " + diff, diff < 10);
    }

    @Test
    public void testSubsamplingFactorIsTheSmallestThatFits() {
        assertEquals(1, ImageDecoder.subsamplingFactor(4000, 4000, 16_000_000L));
        assertEquals(2, ImageDecoder.subsamplingFactor(6000, 5000, 16_000_000L));
        assertEquals(2, ImageDecoder.subsamplingFactor(4001, 4000, 16_000_000L));
        assertEquals(3, ImageDecoder.subsamplingFactor(10000, 10000, 16_000_000L));
        assertEquals(7, ImageDecoder.subsamplingFactor(626, 1200, 20_000L));
        assertEquals(1, ImageDecoder.subsamplingFactor(1, 1, 1L));
    }

    @Test
    public void testSubsamplingWorksForEveryFormat() throws IOException {
        ImageDecoder small = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, 20_000L);
        for (String name : List.of(
            "alpha.webp", "alpha_cutout.png", "cmyk.jpg", "exif_orientation6.jpg", "grayscale.jpg", "image.bmp", "image.gif",
            "image.ppm", "image_lzw.tif", "lossy.webp", "palette256.png", "progressive.jpg", "rgb16.png", "fr_32bit_rgba.png"
        )) {
            DecodedImage full = decodeFace("odd/" + name);
            byte[] bytes = Files.readAllBytes(faces().resolve("odd/" + name));
            DecodedImage image = small.decode(bytes);
            // libjpeg-turbo scales plain JPEGs by a power of two while decoding; ImageIO subsamples by any integer
            int factor = JpegLayout.read(bytes).isPlainPhoto()
                ? ImageDecoder.jpegReduction(full.width(), full.height(), 20_000L)
                : ImageDecoder.subsamplingFactor(full.width(), full.height(), 20_000L);
            assertTrue(name, factor > 1);
            assertEquals(name, full.sourceWidth(), image.sourceWidth());
            assertEquals(name, full.sourceHeight(), image.sourceHeight());
            assertEquals(name, (full.width() + factor - 1) / factor, image.width());
            assertEquals(name, (full.height() + factor - 1) / factor, image.height());
            assertTrue(name, (long) image.width() * image.height() <= 20_000L);
        }
    }

    @Test
    public void testPngBombIsRejectedFromItsHeader() {
        byte[] bomb = png(100_000, 100_000, new byte[0]);
        DECODER.decode(png(1, 1, new byte[] { 0, 0, 0, 0 })); // warm up: load the reader classes
        long before = allocatedBytes();
        InvalidImageException e = expectInvalid("100000x100000 PNG", bomb);
        long allocated = allocatedBytes() - before;
        assertEquals(
            "image is 100000x100000 = 10000000000 pixels, above the limit of 100000000 (face_search.image.max_pixels)",
            e.getMessage()
        );
        if (before >= 0) {
            assertTrue("the rejected bomb allocated " + allocated + " bytes", allocated < 16L << 20);
        }
    }

    @Test
    public void testJpegBombIsRejectedFromItsHeader() throws IOException {
        byte[] jpeg = Files.readAllBytes(faces().resolve("odd/tiny_1x1.jpg"));
        int sof = findMarker(jpeg, 0xC0);
        assertTrue("SOF0 in tiny_1x1.jpg", sof > 0);
        byte[] bomb = jpeg.clone();
        putShort(bomb, sof + 5, 60_000); // height
        putShort(bomb, sof + 7, 60_000); // width
        InvalidImageException e = expectInvalid("60000x60000 JPEG", bomb);
        assertTrue(e.getMessage(), e.getMessage().startsWith("image is 60000x60000 = 3600000000 pixels, above the limit of"));
        assertTrue(e.getMessage(), e.getMessage().contains("face_search.image.max_pixels"));

        byte[] zeroWidth = jpeg.clone();
        putShort(zeroWidth, sof + 7, 0);
        e = expectInvalid("0-wide JPEG", zeroWidth);
        assertTrue(e.getMessage(), e.getMessage().startsWith("JPEG image"));
    }

    @Test
    public void testZeroSizePngIsRejected() {
        InvalidImageException e = expectInvalid("0x5 PNG", png(0, 5, new byte[0]));
        assertTrue(e.getMessage(), e.getMessage().startsWith("PNG image"));
        assertTrue(e.getMessage(), e.getMessage().contains("width"));
    }

    @Test
    public void testSyntheticPngDecodes() {
        // 2x1 RGB: one red and one green pixel, filter byte 0.
        DecodedImage image = DECODER.decode(png(2, 1, new byte[] { 0, (byte) 255, 0, 0, 0, (byte) 255, 0 }));
        assertEquals(ImageFormat.PNG, image.format());
        assertArrayEquals(new byte[] { 0, 0, (byte) 255, 0, (byte) 255, 0 }, image.bgr());
    }

    @Test
    public void testTruncatedFilesOfEveryFormatAreRejected() throws IOException {
        for (String name : List.of(
            "alpha.webp", "alpha_cutout.png", "cmyk.jpg", "exif_orientation6.jpg", "grayscale.jpg", "image.bmp", "image.gif",
            "image.ppm", "image_lzw.tif", "lossy.webp", "palette256.png", "progressive.jpg", "rgb16.png", "tiny_1x1.jpg",
            "tiny_1x1.png"
        )) {
            byte[] bytes = Files.readAllBytes(faces().resolve("odd/" + name));
            for (double fraction : new double[] { 0.1, 0.5, 0.9, 0.99 }) {
                int length = Math.min(bytes.length - 1, Math.max(12, (int) (bytes.length * fraction)));
                InvalidImageException e = expectInvalid(name + " cut at " + length, Arrays.copyOf(bytes, length));
                assertTrue(name + " cut at " + length + ": " + e.getMessage(), e.getMessage().contains("truncated"));
            }
        }
        // A PNG whose IEND chunk is missing (all pixel data present) is still rejected.
        byte[] png = Files.readAllBytes(faces().resolve("odd/palette256.png"));
        InvalidImageException e = expectInvalid("PNG without IEND", Arrays.copyOf(png, png.length - 12));
        assertTrue(e.getMessage(), e.getMessage().startsWith("PNG image is truncated"));
        // A JPEG that stops just before its EOI marker.
        byte[] jpeg = Files.readAllBytes(faces().resolve("people/Tiger_Woods/Tiger_Woods_0001.jpg"));
        e = expectInvalid("JPEG without EOI", Arrays.copyOf(jpeg, jpeg.length - 2));
        assertTrue(e.getMessage(), e.getMessage().startsWith("JPEG image is truncated"));
    }

    @Test
    public void testCorruptDataOnlyEverThrowsInvalidImageException() throws IOException {
        Random random = new Random(20250601L);
        for (String name : List.of(
            "alpha.webp", "alpha_cutout.png", "cmyk.jpg", "grayscale.jpg", "image.bmp", "image.gif", "image.ppm",
            "image_lzw.tif", "palette256.png", "progressive.jpg", "rgb16.png", "tiny_1x1.png"
        )) {
            byte[] bytes = Files.readAllBytes(faces().resolve("odd/" + name));
            for (int i = 0; i < 24; i++) {
                byte[] corrupt = bytes.clone();
                int changes = 1 + random.nextInt(8);
                // Half the runs hit the headers, where the parsers are most fragile.
                int range = i % 2 == 0 ? Math.min(corrupt.length, 512) : corrupt.length;
                for (int k = 0; k < changes; k++) {
                    corrupt[random.nextInt(range)] = (byte) random.nextInt(256);
                }
                try {
                    DecodedImage image = DECODER.decode(corrupt);
                    assertEquals(3L * image.width() * image.height(), image.bgr().length);
                } catch (InvalidImageException expected) {
                    assertNotNull(expected.getMessage());
                } catch (Throwable t) {
                    throw new AssertionError(name + " corrupted (run " + i + ") threw " + t, t);
                }
            }
        }
    }

    @Test
    public void testConstructorRejectsBadLimits() {
        for (long[] limits : new long[][] { { 0, 1 }, { 1, 0 }, { 100, Long.MAX_VALUE } }) {
            try {
                new ImageDecoder(limits[0], limits[1]);
                fail("accepted " + Arrays.toString(limits));
            } catch (IllegalArgumentException expected) {
                // ok
            }
        }
        ImageDecoder defaults = new ImageDecoder();
        assertEquals(ImageDecoder.DEFAULT_MAX_PIXELS, defaults.maxPixels());
        assertEquals(ImageDecoder.DEFAULT_WORKING_MAX_PIXELS, defaults.workingMaxPixels());
    }

    @Test
    public void testConcurrentDecodesGiveTheSameResult() throws Exception {
        List<String> names = List.of(
            "odd/cmyk.jpg", "odd/exif_orientation6.jpg", "odd/alpha.webp", "odd/rgb16.png", "odd/image.gif", "odd/image_lzw.tif",
            "odd/image.ppm", "odd/image.bmp", "people/Tiger_Woods/Tiger_Woods_0001.jpg", "odd/palette256.png"
        );
        Map<String, byte[]> expected = new HashMap<>();
        Map<String, byte[]> inputs = new HashMap<>();
        for (String name : names) {
            inputs.put(name, Files.readAllBytes(faces().resolve(name)));
            expected.put(name, DECODER.decode(inputs.get(name)).bgr());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 3 * names.size(); i++) {
                        String name = names.get((i + offset) % names.size());
                        assertArrayEquals(name, expected.get(name), DECODER.decode(inputs.get(name)).bgr());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------
    // the whole face set

    @Test
    public void testEveryPeoplePhotoDecodes() throws IOException {
        Map<String, int[]> sizes = manifestSizes();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(faces().resolve("people"))) {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        assertEquals("photos in people/", 988, files.size());
        List<Path> others = new ArrayList<>();
        for (String dir : List.of("group", "noface")) {
            try (Stream<Path> walk = Files.walk(faces().resolve(dir))) {
                walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches("(?i).*\\.(jpe?g|png)"))
                    .sorted()
                    .forEach(others::add);
            }
        }
        long start = System.nanoTime();
        long pixels = 0;
        List<Path> all = new ArrayList<>(files);
        all.addAll(others);
        for (Path file : all) {
            String rel = faces().relativize(file).toString().replace('\\', '/');
            DecodedImage image;
            try {
                image = DECODER.decode(Files.readAllBytes(file));
            } catch (InvalidImageException e) {
                throw new AssertionError(rel + " should decode: " + e.getMessage(), e);
            }
            int[] size = sizes.get(rel);
            assertNotNull("manifest row for " + rel, size);
            assertEquals(rel + " width", size[0], image.sourceWidth());
            assertEquals(rel + " height", size[1], image.sourceHeight());
            assertEquals(rel, size[0], image.width());
            pixels += (long) image.width() * image.height();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "ImageDecoderTests: decoded %d photos (%d people, %d group/noface), %.1f M pixels, in %.2f s%n",
            all.size(),
            files.size(),
            others.size(),
            pixels / 1e6,
            seconds
        );
    }

    /** Prints decode timings (no assertion: machines differ). */
    @Test
    public void testPrintDecodeTimings() throws IOException {
        byte[] small = Files.readAllBytes(faces().resolve("people/Tiger_Woods/Tiger_Woods_0001.jpg"));
        byte[] large = Files.readAllBytes(faces().resolve("odd/large_6000px.jpg"));
        byte[] webp = Files.readAllBytes(faces().resolve("odd/lossy.webp"));
        for (int i = 0; i < 100; i++) {
            DECODER.decode(small);
        }
        DECODER.decode(webp);
        DECODER.decode(large);
        System.out.printf(
            Locale.ROOT,
            "ImageDecoderTests: 250x250 JPEG %.2f ms, 900x750 lossy WebP %.1f ms, 6000x5000 JPEG (decoded 3000x2500) %.0f ms%n",
            timeMillis(small, 200),
            timeMillis(webp, 3),
            timeMillis(large, 2)
        );
    }

    // ------------------------------------------------------------------------------------------
    // helpers

    private static Path faces() {
        String dir = System.getProperty("face_search.faces.dir");
        Path path = dir != null ? Paths.get(dir) : Paths.get("..", "shared", "faces");
        assertTrue("face set not found at " + path.toAbsolutePath() + " (set face_search.faces.dir)", Files.isDirectory(path));
        return path;
    }

    private static DecodedImage decodeFace(String relative) throws IOException {
        return DECODER.decode(Files.readAllBytes(faces().resolve(relative)));
    }

    private static InvalidImageException expectInvalid(String what, byte[] bytes) {
        return expectInvalid(what, bytes, DECODER);
    }

    private static InvalidImageException expectInvalid(String what, byte[] bytes, ImageDecoder decoder) {
        try {
            DecodedImage image = decoder.decode(bytes);
            throw new AssertionError(what + " should be rejected but decoded to " + image.width() + "x" + image.height());
        } catch (InvalidImageException e) {
            assertNotNull(what, e.getMessage());
            return e;
        }
    }

    private static double timeMillis(byte[] bytes, int runs) {
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            DECODER.decode(bytes);
        }
        return (System.nanoTime() - start) / 1e6 / runs;
    }

    private static double meanAbsDiff(DecodedImage a, DecodedImage b) {
        assertEquals("widths differ", b.width(), a.width());
        assertEquals("heights differ", b.height(), a.height());
        return meanAbsDiff(a, b, 0, 0, a.width(), a.height());
    }

    private static double meanAbsDiff(DecodedImage a, DecodedImage b, int x0, int y0, int w, int h) {
        long sum = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                int pa = (y * a.width() + x) * 3;
                int pb = (y * b.width() + x) * 3;
                for (int k = 0; k < 3; k++) {
                    sum += Math.abs((a.bgr()[pa + k] & 0xFF) - (b.bgr()[pb + k] & 0xFF));
                }
            }
        }
        return sum / (3.0 * w * h);
    }

    private static double[] channelMeans(DecodedImage image) {
        double[] sums = new double[3];
        byte[] p = image.bgr();
        for (int i = 0; i < p.length; i++) {
            sums[i % 3] += p[i] & 0xFF;
        }
        int n = p.length / 3;
        return new double[] { sums[0] / n, sums[1] / n, sums[2] / n };
    }

    private static DecodedImage rotate180(DecodedImage image) {
        byte[] in = image.bgr();
        byte[] out = new byte[in.length];
        int n = in.length / 3;
        for (int i = 0; i < n; i++) {
            System.arraycopy(in, i * 3, out, (n - 1 - i) * 3, 3);
        }
        return new DecodedImage(image.width(), image.height(), out, image.format());
    }

    private static DecodedImage rotateClockwise(DecodedImage image) {
        int w = image.width();
        int h = image.height();
        byte[] in = image.bgr();
        byte[] out = new byte[in.length];
        // Stored (x, y) goes to (h - 1 - y, x) in an h-wide result.
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(in, (y * w + x) * 3, out, (x * h + (h - 1 - y)) * 3, 3);
            }
        }
        return new DecodedImage(h, w, out, image.format());
    }

    private static byte[] png(int width, int height, byte[] raw) {
        return png(width, height, raw, null);
    }

    /** A PNG with the given IHDR size, raw 8-bit RGB rows (filter byte included) and optional eXIf chunk. */
    private static byte[] png(int width, int height, byte[] raw, byte[] exif) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A));
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        chunk(out, "IHDR", ihdr);
        if (exif != null) {
            chunk(out, "eXIf", exif);
        }
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] buffer = new byte[1024];
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        while (deflater.finished() == false) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** A big-endian TIFF structure whose IFD0 holds only an Orientation tag. */
    private static byte[] exif(int orientation) {
        byte[] b = new byte[8 + 2 + 12 + 4];
        b[0] = 'M';
        b[1] = 'M';
        putShort(b, 2, 42);
        putInt(b, 4, 8);
        putShort(b, 8, 1);
        putShort(b, 10, 0x0112);
        putShort(b, 12, 3); // SHORT
        putInt(b, 14, 1);
        putShort(b, 18, orientation);
        return b;
    }

    /** An uncompressed little-endian 2x1 RGB TIFF (red, green) with the given Orientation tag. */
    private static byte[] tiff(int orientation) {
        int[][] entries = {
            { 256, 3, 1, 2 },     // ImageWidth
            { 257, 3, 1, 1 },     // ImageLength
            { 258, 3, 3, 134 },   // BitsPerSample 8,8,8 at 134
            { 259, 3, 1, 1 },     // Compression: none
            { 262, 3, 1, 2 },     // PhotometricInterpretation: RGB
            { 273, 4, 1, 140 },   // StripOffsets
            { 274, 3, 1, orientation },
            { 277, 3, 1, 3 },     // SamplesPerPixel
            { 278, 3, 1, 1 },     // RowsPerStrip
            { 279, 4, 1, 6 } };   // StripByteCounts
        byte[] b = new byte[146];
        b[0] = 'I';
        b[1] = 'I';
        b[2] = 42;
        b[4] = 8;
        b[8] = (byte) entries.length;
        for (int i = 0; i < entries.length; i++) {
            int p = 10 + i * 12;
            int[] e = entries[i];
            b[p] = (byte) e[0];
            b[p + 1] = (byte) (e[0] >>> 8);
            b[p + 2] = (byte) e[1];
            b[p + 4] = (byte) e[2];
            b[p + 8] = (byte) e[3];
            b[p + 9] = (byte) (e[3] >>> 8);
        }
        // next IFD offset (0) at 130..133; BitsPerSample at 134; pixels at 140
        b[134] = 8;
        b[136] = 8;
        b[138] = 8;
        b[140] = (byte) 255;
        b[144] = (byte) 255;
        return b;
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        HostileImages.pngChunk(out, type, data);
    }

    private static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    private static void putShort(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
    }

    private static int findMarker(byte[] jpeg, int marker) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Bytes allocated so far by this thread, or -1 where the JVM does not tell. */
    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
            && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()) {
            return bean.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }

    /** path -> {width, height} from manifest.tsv (as decoded by Pillow, without EXIF rotation). */
    private static Map<String, int[]> manifestSizes() throws IOException {
        Map<String, int[]> sizes = new HashMap<>();
        List<String> lines = Files.readAllLines(faces().resolve("manifest.tsv"), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] cols = line.split("\t", -1);
            if (cols.length > 4 && cols[3].isEmpty() == false && cols[4].isEmpty() == false) {
                sizes.put(cols[0], new int[] { Integer.parseInt(cols[3]), Integer.parseInt(cols[4]) });
            }
        }
        return sizes;
    }
}
