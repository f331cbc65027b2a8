package io.facesearch.vision.image.fuzz;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.facesearch.vision.image.ImageDecoder;
import io.facesearch.vision.image.ImageFormat;
import io.facesearch.vision.opencv.OpenCvNatives;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.junit.Test;

/** The bombs are what their names say: small, of their format, and (the zero streams, the one-colour WebP) valid. */
public class DecodeBombFilesTests {

    @Test
    public void testZeroDeflateInflatesToExactlyThatManyZeros() throws DataFormatException {
        for (long n : new long[] { 0, 1, 65_521, (1L << 24) * 2 + 12_345 }) {
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(ZeroDeflate.zlib(n));
                byte[] buffer = new byte[1 << 20];
                long total = 0;
                while (inflater.finished() == false) {
                    int read = inflater.inflate(buffer); // a wrong Adler-32 is a DataFormatException here
                    for (int i = 0; i < read; i++) {
                        assertEquals(0, buffer[i]);
                    }
                    total += read;
                    assertTrue("stream ended early at " + total, read > 0 || inflater.finished());
                }
                assertEquals(n, total);
                assertEquals(0, inflater.getRemaining());
            } finally {
                inflater.end();
            }
        }
    }

    @Test
    public void testTheOneColourLosslessWebpIsAValidImage() {
        assertTrue(OpenCvNatives.unavailableReason(), OpenCvNatives.available());
        byte[] webp = DecodeBombs.webpLosslessOneColour(97, 61);
        try (
            BytePointer data = new BytePointer(webp);
            Mat encoded = new Mat(1, webp.length, opencv_core.CV_8UC1, data);
            Mat decoded = opencv_imgcodecs.imdecode(encoded, opencv_imgcodecs.IMREAD_UNCHANGED)
        ) {
            assertEquals("libwebp decodes it", 97, decoded.cols());
            assertEquals(61, decoded.rows());
            byte[] pixels = new byte[(int) (decoded.total() * decoded.channels())];
            decoded.data().get(pixels);
            for (int i = 0; i < pixels.length; i += decoded.channels()) {
                assertEquals("black", 0, pixels[i]);
            }
        }
        assertEquals(34, DecodeBombs.webpLosslessOneColour(DecodeBombs.WIDE, DecodeBombs.TALL).length);
    }

    @Test
    public void testEveryBombIsSmallAndOfItsFormat() {
        List<DecodeBombs.Bomb> bombs = DecodeBombs.all();
        Map<String, DecodeBombs.Bomb> byName = bombs.stream().collect(Collectors.toMap(DecodeBombs.Bomb::name, Function.identity()));
        assertEquals("names are unique", bombs.size(), byName.size());
        Set<ImageFormat> formats = new HashSet<>();
        for (DecodeBombs.Bomb bomb : bombs) {
            ImageFormat format = ImageDecoder.detectFormat(bomb.bytes());
            assertTrue(bomb.name() + " is recognised", format != null);
            assertTrue(bomb.name() + " starts with its format", bomb.name().startsWith(format.label()));
            assertTrue(bomb.name() + ": " + bomb.bytes().length + " bytes", bomb.bytes().length < 2_000_000);
            formats.add(format);
        }
        assertEquals(Set.of(ImageFormat.values()), formats);
        assertEquals(34, byName.get("gif-10000x9999-34-bytes").bytes().length);
        assertEquals(34, byName.get("webp-lossless-34-bytes-10000x9999").bytes().length);
        assertTrue(byName.get("tiff-10000x9999-tiny-strips").bytes().length < 500);
        // the forged frames keep the scan of the photo they were made from
        assertEquals(byName.get("jpeg-baseline-sof-10000x9999").bytes().length, byName.get("bmp-1x1-embedded-jpeg-40000x40000").bytes().length - 54);
    }

    @Test
    public void testForgedSizesAreWhereTheDecoderReadsThem() {
        Map<String, DecodeBombs.Bomb> byName = DecodeBombs.all().stream().collect(Collectors.toMap(DecodeBombs.Bomb::name, Function.identity()));
        for (String name : List.of("jpeg-baseline-sof-10000x9999", "jpeg-progressive-sof-10000x9999")) {
            byte[] jpeg = byName.get(name).bytes();
            Map<String, Long> fields = fields(ImageFamily.JPEG_BASELINE, jpeg);
            assertEquals(name, 10_000L, (long) fields.getOrDefault("SOF0.width", fields.get("SOF2.width")));
            assertEquals(name, 9_999L, (long) fields.getOrDefault("SOF0.height", fields.get("SOF2.height")));
        }
        Map<String, Long> vp8 = fields(ImageFamily.WEBP_LOSSY, byName.get("webp-lossy-vp8-6700x12500").bytes());
        assertEquals(6_700L, (long) vp8.get("VP8.width"));
        assertEquals(12_500L, (long) vp8.get("VP8.height"));
        Map<String, Long> tiff = fields(ImageFamily.TIFF, byName.get("tiff-entry-count-2^30").bytes());
        assertEquals(1L << 30, (long) tiff.get("ifd0.tag279.count"));
        Map<String, Long> tiles = fields(ImageFamily.TIFF, byName.get("tiff-tile-65520x65520").bytes());
        assertEquals(65_520L, (long) tiles.get("ifd0.tag322.value"));
        assertEquals(65_520L, (long) tiles.get("ifd0.tag323.value"));
        Map<String, Long> gif = fields(ImageFamily.GIF, byName.get("gif-frame-10000x9999-screen-16x16").bytes());
        assertEquals(16L, (long) gif.get("screen.width"));
        assertEquals(10_000L, (long) gif.get("frame0.width"));
        assertEquals(9_999L, (long) gif.get("frame0.height"));
    }

    private static Map<String, Long> fields(ImageFamily family, byte[] bytes) {
        return HeaderFields.of(family, bytes).fields().stream().collect(Collectors.toMap(HeaderFields.Field::name, f -> f.value(bytes), (a, b) -> a));
    }
}
