package io.facesearch.vision.image;

import io.facesearch.vision.opencv.OpenCvNatives;

import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** The libjpeg-turbo path of {@link ImageDecoder}, what sends a JPEG to it, and agreement with the ImageIO readers. */
public class JpegDecodingTests {

    private static Path faces() {
        String dir = System.getProperty("face_search.faces.dir");
        Path path = dir != null ? Paths.get(dir) : Paths.get("..", "shared", "faces");
        assertTrue("face set not found at " + path.toAbsolutePath() + " (set face_search.faces.dir)", Files.isDirectory(path));
        return path;
    }

    private static byte[] odd(String name) throws IOException {
        return Files.readAllBytes(faces().resolve("odd").resolve(name));
    }

    @Test
    public void libjpegTurboLoadsOnThisPlatform() {
        assertTrue(OpenCvNatives.unavailableReason(), OpenCvNatives.available());
        assertTrue(ImageDecoder.jpegDecoder(), ImageDecoder.jpegDecoder().startsWith("libjpeg-turbo (OpenCV 4."));
    }

    @Test
    public void layoutOfBaselineProgressiveGreyAndCmykJpegs() throws IOException {
        JpegLayout progressive = JpegLayout.read(odd("progressive.jpg"));
        assertEquals(0xC2, progressive.frameMarker());
        assertEquals(3, progressive.components());
        assertTrue(progressive.isPlainPhoto());

        JpegLayout grey = JpegLayout.read(odd("grayscale.jpg"));
        assertEquals(1, grey.components());
        assertTrue(grey.isPlainPhoto());

        JpegLayout cmyk = JpegLayout.read(odd("cmyk.jpg"));
        assertEquals(4, cmyk.components());
        assertFalse("CMYK goes to the ImageIO reader", cmyk.isPlainPhoto());

        DecodedImage reference = new ImageDecoder().decode(odd("fr_obama-240p.jpg"), false);
        JpegLayout baseline = JpegLayout.read(odd("fr_obama-240p.jpg"));
        assertEquals(8, baseline.precision());
        assertEquals(reference.width(), baseline.width());
        assertEquals(reference.height(), baseline.height());
        assertTrue(baseline.isPlainPhoto());
    }

    @Test
    public void cutOrUnreadableJpegsAreNotPlain() throws IOException {
        for (String name : List.of("truncated_50pct.jpg", "truncated_header_only.jpg", "skimage_truncated.jpg")) {
            assertFalse(name, JpegLayout.read(odd(name)).isPlainPhoto());
        }
        byte[] photo = odd("fr_obama-240p.jpg");
        assertFalse("cut one byte before the end", JpegLayout.read(Arrays.copyOf(photo, photo.length - 1)).isPlainPhoto());
        byte[] trailing = Arrays.copyOf(photo, photo.length + 100); // zeros after the end marker, as some cameras write
        assertTrue(JpegLayout.read(trailing).isPlainPhoto());
        assertFalse(JpegLayout.read(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9 }).isPlainPhoto());
        assertFalse(JpegLayout.read("not a jpeg at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).isPlainPhoto());
        // a segment length that runs past the data
        assertFalse(JpegLayout.read(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0x7F, 0x00, 0, 0 }).isPlainPhoto());
    }

    @Test
    public void truncatedJpegsStillFailWithAClearReason() throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        for (String name : List.of("truncated_50pct.jpg", "skimage_truncated.jpg")) {
            try {
                decoder.decode(odd(name));
                fail(name + " decoded");
            } catch (InvalidImageException e) {
                assertTrue(name + ": " + e.getMessage(), e.getMessage().contains("truncated"));
            }
        }
    }

    /**
     * Scan data that ends early is refused by both decoders alike: cut without an end marker, cut and closed with
     * one, or a frame edited to a larger size than the scans hold. libjpeg-turbo would fill the missing blocks with
     * grey and only warn.
     */
    @Test
    public void bothDecodersRefuseScanDataThatEndsEarly() throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        for (String name : List.of("fr_obama-240p.jpg", "progressive.jpg")) {
            byte[] photo = odd(name);
            byte[] cut = Arrays.copyOf(photo, photo.length / 2);
            byte[] closed = Arrays.copyOf(cut, cut.length + 2);
            closed[cut.length] = (byte) 0xFF;
            closed[cut.length + 1] = (byte) 0xD9;
            JpegLayout layout = JpegLayout.read(photo);
            byte[] taller = ImageLayoutTests.withJpegFrameSize(photo, layout.width(), layout.height() + 64);
            for (byte[] broken : List.of(cut, closed, taller)) {
                for (boolean nativeJpeg : new boolean[] { true, false }) {
                    String what = name + (broken == cut ? " cut" : broken == closed ? " cut and closed" : " made taller")
                        + (nativeJpeg ? "" : " (ImageIO)");
                    try {
                        decoder.decode(broken, nativeJpeg);
                        fail(what + " decoded");
                    } catch (InvalidImageException e) {
                        assertTrue(what + ": " + e.getMessage(), e.getMessage().startsWith("JPEG image is truncated"));
                    }
                }
            }
        }
    }

    /** A progressive JPEG whose last scans are missing but whose scans all end where they should: both decode it. */
    @Test
    public void bothDecodersTakeAProgressiveJpegWithoutItsLastScans() throws IOException {
        byte[] photo = odd("progressive.jpg");
        int lastScan = -1;
        for (int i = photo.length - 2; i > 2 && lastScan < 0; i--) {
            if (photo[i] == (byte) 0xFF && photo[i + 1] == (byte) 0xDA) {
                lastScan = i;
            }
        }
        byte[] shorter = Arrays.copyOf(photo, lastScan + 2);
        shorter[lastScan + 1] = (byte) 0xD9; // the end marker where the last scan began
        assertFalse(JpegScans.completeEveryCoefficient(shorter));
        assertTrue(JpegScans.completeEveryCoefficient(photo));
        ImageDecoder decoder = new ImageDecoder();
        try (DecodedImage fast = decoder.decode(shorter); DecodedImage careful = decoder.decode(shorter, false)) {
            assertEquals(careful.width(), fast.width());
            assertArrayEquals(careful.bgr(), fast.bgr()); // the careful reader decoded both
        }
    }

    @Test
    public void cmykJpegDecodesThroughTheImageIoReader() throws IOException {
        DecodedImage image = new ImageDecoder().decode(odd("cmyk.jpg"));
        assertEquals(image.width() * image.height() * 3, image.bgr().length);
    }

    /** Every plain JPEG of the odd set and of the people set decodes to the same size and nearly the same pixels. */
    @Test
    public void libjpegTurboAgreesWithTheImageIoReaders() throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        List<Path> jpegs;
        try (Stream<Path> files = Stream.concat(Files.list(faces().resolve("odd")), Files.walk(faces().resolve("people")))) {
            jpegs = files.filter(Files::isRegularFile).sorted().toList();
        }
        int compared = 0;
        int progressive = 0;
        int withProfile = 0;
        for (Path file : jpegs) {
            byte[] bytes = Files.readAllBytes(file);
            JpegLayout layout = JpegLayout.read(bytes);
            if (ImageDecoder.detectFormat(bytes) != ImageFormat.JPEG || layout.isPlainPhoto() == false) {
                continue;
            }
            DecodedImage turbo = decoder.decode(bytes);
            DecodedImage imageIo = decoder.decode(bytes, false);
            assertEquals(file + " width", imageIo.width(), turbo.width());
            assertEquals(file + " height", imageIo.height(), turbo.height());
            assertEquals(file + " source width", imageIo.sourceWidth(), turbo.sourceWidth());
            compared++;
            if (hasIccProfile(bytes)) {
                // the TwelveMonkeys reader converts some embedded profiles to sRGB; the raw values are what the models expect
                withProfile++;
                continue;
            }
            double meanDifference = meanAbsoluteDifference(turbo.bgr(), imageIo.bgr());
            // the same integer IDCT; upsampling and rounding may differ by a level here and there
            assertTrue(file + " differs by " + meanDifference + " on average", meanDifference < 0.5);
            if (layout.frameMarker() == 0xC2) {
                progressive++;
            }
        }
        assertTrue("compared " + compared, compared > 900);
        assertTrue("progressive " + progressive, progressive >= 10);
        assertTrue("with an ICC profile " + withProfile, withProfile < compared / 10);
    }

    /**
     * Native code must not take the node down on a hostile file: mutated baseline, progressive and grey JPEGs that
     * still look plain go to libjpeg-turbo and either decode or fail with an {@link InvalidImageException}.
     */
    @Test
    public void mutatedJpegsDecodeOrFailCleanly() throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        java.util.Random random = new java.util.Random(20261123L);
        int reachedNative = 0;
        for (String name : List.of("progressive.jpg", "grayscale.jpg", "fr_obama-240p.jpg", "exif_orientation6.jpg", "tiny_1x1.jpg")) {
            byte[] bytes = odd(name);
            for (int run = 0; run < 120; run++) {
                byte[] mutated = bytes.clone();
                int changes = 1 + random.nextInt(run % 3 == 0 ? 40 : 6);
                // a third of the runs in the headers (tables, frame, scan), the rest anywhere
                int range = run % 3 == 1 ? Math.min(mutated.length, 700) : mutated.length;
                for (int k = 0; k < changes; k++) {
                    mutated[random.nextInt(range)] = (byte) random.nextInt(256);
                }
                if (JpegLayout.read(mutated).isPlainPhoto()) {
                    reachedNative++;
                }
                try {
                    DecodedImage image = decoder.decode(mutated);
                    assertEquals(3L * image.width() * image.height(), image.bgr().length);
                } catch (InvalidImageException expected) {
                    assertTrue(expected.getMessage() != null && expected.getMessage().isEmpty() == false);
                }
            }
        }
        assertTrue("mutations that reached libjpeg-turbo: " + reachedNative, reachedNative > 300);
    }

    @Test
    public void exifOrientationIsAppliedOnTheFastPathToo() throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        for (String name : List.of("exif_orientation3.jpg", "exif_orientation6.jpg", "exif_orientation8.jpg")) {
            byte[] bytes = odd(name);
            assertTrue(name, JpegLayout.read(bytes).isPlainPhoto());
            DecodedImage turbo = decoder.decode(bytes);
            DecodedImage imageIo = decoder.decode(bytes, false);
            assertEquals(name, imageIo.width(), turbo.width());
            assertEquals(name, imageIo.height(), turbo.height());
            assertTrue(name, meanAbsoluteDifference(turbo.bgr(), imageIo.bgr()) < 1.0);
        }
    }

    @Test
    public void largeJpegDecodesReducedToTheLongSideAskedFor() throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        byte[] bytes = odd("exif_orientation6.jpg"); // stored 750x900, upright 900x750
        DecodedImage full = decoder.decode(bytes);
        assertEquals(900, full.width());
        assertFalse(decoder.isReduced(full));

        DecodedImage reduced = decoder.decode(bytes, 200); // 1/4: long side 225; 1/8 would be 113
        assertEquals(225, reduced.width());
        assertEquals(188, reduced.height());
        assertEquals(900, reduced.sourceWidth());
        assertEquals(750, reduced.sourceHeight());
        assertTrue(decoder.isReduced(reduced));
        // the same upright picture: each pixel close to the mean of its 4x4 block of the full decode
        double difference = meanDifferenceToBlockMeans(full, reduced, 4);
        assertTrue("mean difference to the 4x4 block means " + difference, difference < 3);

        assertEquals(450, decoder.decode(bytes, 450).width()); // exactly half is still enough
        DecodedImage same = decoder.decode(bytes, 451);
        assertFalse(decoder.isReduced(same));
        assertTrue(Arrays.equals(full.bgr(), same.bgr()));
    }

    @Test
    public void jpegAboveTheWorkingSizeIsScaledWhileDecoding() throws IOException {
        byte[] bytes = odd("large_6000px.jpg"); // 30 MP, twice the default working size
        ImageDecoder decoder = new ImageDecoder();
        DecodedImage working = decoder.decode(bytes);
        assertEquals(3000, working.width());
        assertEquals(2500, working.height());
        assertFalse(decoder.isReduced(working));
        // libjpeg-turbo's 1/2 scale averages 2x2 blocks (ImageIO's subsampling keeps every other pixel)
        DecodedImage full = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, 30_000_000L).decode(bytes);
        assertEquals(6000, full.width());
        double difference = meanDifferenceToBlockMeans(full, working, 2);
        assertTrue("mean difference to the 2x2 block means " + difference, difference < 2);

        DecodedImage forDetection = decoder.decode(bytes, 640);
        assertEquals(750, forDetection.width()); // 1/8
        assertEquals(625, forDetection.height());
        assertTrue(decoder.isReduced(forDetection));
        // a JPEG the fast decoder does not take is subsampled by ImageIO, and is not reduced either
        DecodedImage byImageIo = decoder.decode(bytes, false);
        assertEquals(3000, byImageIo.width());
        assertFalse(decoder.isReduced(byImageIo));
    }

    @Test
    public void aLongSideBelowOnePixelIsRefused() throws IOException {
        byte[] bytes = odd("progressive.jpg");
        try {
            new ImageDecoder().decode(bytes, 0);
            fail("decoded with a long side of 0");
        } catch (IllegalArgumentException e) {
            assertEquals("minLongSide must be positive, got 0", e.getMessage());
        }
    }

    @Test
    public void onlyPlainJpegsAreDecodedReduced() throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        for (String name : List.of("cmyk.jpg", "image.bmp", "palette256.png", "lossy.webp")) {
            byte[] bytes = odd(name);
            DecodedImage full = decoder.decode(bytes);
            DecodedImage asked = decoder.decode(bytes, 1);
            assertFalse(name, decoder.isReduced(asked));
            assertEquals(name, full.width(), asked.width());
            assertTrue(name, Arrays.equals(full.bgr(), asked.bgr()));
        }
    }

    @Test
    public void aSegmentLongerThanTheDataFailsTheLayoutButItsOrientationIsStillRead() {
        byte[] tiff = {
            'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF, IFD0 at 8
            0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, // one entry: Orientation (SHORT) = 6
            0, 0, 0, 0 };
        int declared = 2 + 6 + tiff.length + 100; // the APP1 claims 100 bytes more than there are
        byte[] jpeg = new byte[2 + 4 + 6 + tiff.length];
        byte[] head = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, (byte) (declared >> 8), (byte) declared, 'E', 'x', 'i', 'f', 0, 0 };
        System.arraycopy(head, 0, jpeg, 0, head.length);
        System.arraycopy(tiff, 0, jpeg, head.length, tiff.length);

        JpegLayout layout = JpegLayout.read(jpeg);
        assertEquals(-1, layout.frameMarker());
        assertFalse(layout.isPlainPhoto());
        assertEquals(6, ExifOrientation.read(ImageFormat.JPEG, jpeg));
    }

    /** Mean over pixels and channels of |reduced - mean of the matching factor x factor block of full|. */
    private static double meanDifferenceToBlockMeans(DecodedImage full, DecodedImage reduced, int factor) {
        double sum = 0;
        long count = 0;
        for (int y = 0; y < full.height() / factor; y++) {
            for (int x = 0; x < full.width() / factor; x++) {
                for (int c = 0; c < 3; c++) {
                    int block = 0;
                    for (int dy = 0; dy < factor; dy++) {
                        for (int dx = 0; dx < factor; dx++) {
                            block += full.bgr()[((y * factor + dy) * full.width() + x * factor + dx) * 3 + c] & 0xFF;
                        }
                    }
                    int value = reduced.bgr()[(y * reduced.width() + x) * 3 + c] & 0xFF;
                    sum += Math.abs(value - block / (double) (factor * factor));
                    count++;
                }
            }
        }
        return sum / count;
    }

    private static boolean hasIccProfile(byte[] jpeg) {
        byte[] tag = "ICC_PROFILE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + tag.length < jpeg.length; i++) {
            for (int k = 0; k < tag.length; k++) {
                if (jpeg[i + k] != tag[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static double meanAbsoluteDifference(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return (double) sum / a.length;
    }
}
