package io.facesearch.vision.image;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

import org.junit.Test;

/**
 * Each format's layout: the size it declares, and the refusal of data that cannot hold it, read before any decoder
 * allocates by that size.
 */
public class ImageLayoutTests {
    private static final ImageDecoder DECODER = new ImageDecoder();

    @Test
    public void testPngWhoseDataCannotInflateToItsRowsIsRefused() {
        byte[] black = HostileImages.blackPng(3000, 2000);
        PngLayout layout = (PngLayout) ImageLayout.read(ImageFormat.PNG, black);
        assertEquals(3000, layout.width());
        assertEquals(2000, layout.height());
        layout.checkData(black); // a real stream of zeros, near deflate's largest ratio, passes
        try (DecodedImage image = DECODER.decode(black)) {
            assertEquals(3000, image.width());
        }

        // the same IDAT under a header 16 times larger: deflate cannot expand that much
        byte[] idat = Arrays.copyOfRange(black, 8 + 25 + 8, black.length - 12 - 4);
        byte[] forged = HostileImages.png(12000, 8000, idat);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> DECODER.decode(forged));
        assertTrue(e.getMessage(), e.getMessage().startsWith("PNG image is truncated or corrupt: its header declares 12000x8000 pixels"));
    }

    @Test
    public void testGifPixelsAreCountedFromItsLzwData() {
        byte[] whole = HostileImages.gif(40, 30, 1200);
        GifLayout layout = (GifLayout) ImageLayout.read(ImageFormat.GIF, whole);
        assertEquals(1200, GifLayout.countLzwPixels(whole, layout.imageDataStart(), Long.MAX_VALUE));
        try (DecodedImage image = DECODER.decode(whole)) {
            assertEquals(40, image.width());
            assertEquals(30, image.height());
        }

        // the JDK reader fills what the data does not cover, and would return a 40x30 image for this
        byte[] cut = HostileImages.gif(40, 30, 1199);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> DECODER.decode(cut));
        assertEquals("GIF image is truncated: its image data yields 1199 of the 40x30 = 1200 pixels its first image declares", e.getMessage());

        byte[] tinyHuge = HostileImages.gif(10000, 9999, 12);
        e = assertThrows(InvalidImageException.class, () -> DECODER.decode(tinyHuge));
        assertTrue(e.getMessage(), e.getMessage().contains("yields 12 of the 10000x9999"));
    }

    @Test
    public void testRealGifsYieldEveryPixel() throws IOException {
        byte[] gif = Files.readAllBytes(faces().resolve("odd/image.gif"));
        GifLayout layout = (GifLayout) ImageLayout.read(ImageFormat.GIF, gif);
        long pixels = (long) layout.width() * layout.height();
        assertEquals(pixels, GifLayout.countLzwPixels(gif, layout.imageDataStart(), pixels));
    }

    @Test
    public void testGifFrameLargerThanItsScreenIsDecodedAtTheFrameSize() {
        byte[] gif = HostileImages.gif(40, 30, 1200);
        gif[6] = 4; // logical screen 4x3
        gif[7] = 0;
        gif[8] = 3;
        gif[9] = 0;
        GifLayout layout = (GifLayout) ImageLayout.read(ImageFormat.GIF, gif);
        assertEquals(4, layout.screenWidth());
        try (DecodedImage image = DECODER.decode(gif)) {
            assertEquals(40, image.width());
            assertEquals(30, image.height());
        }
    }

    @Test
    public void testBmpWrappingAPngIsDecodedAsThatPngUnderTheSameLimits() {
        byte[] small = HostileImages.blackPng(64, 48);
        try (DecodedImage image = DECODER.decode(HostileImages.bmpWrapping(small, 5, 1, 1))) {
            assertEquals(ImageFormat.BMP, image.format());
            assertEquals(64, image.width());
            assertEquals(48, image.height());
        }
        // declares 1x1, wraps a PNG far above the pixel limit: refused from the PNG's header, nothing inflated
        byte[] huge = HostileImages.png(40000, 40000, new byte[64]);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> DECODER.decode(HostileImages.bmpWrapping(huge, 5, 1, 1)));
        assertTrue(e.getMessage(), e.getMessage().startsWith("image is 40000x40000 = 1600000000 pixels, above the limit"));
        // compression 4 says JPEG: a PNG inside is corrupt
        e = assertThrows(InvalidImageException.class, () -> DECODER.decode(HostileImages.bmpWrapping(small, 4, 1, 1)));
        assertTrue(e.getMessage(), e.getMessage().contains("holds a JPEG image, but its data is not one"));
    }

    @Test
    public void testBmpRegionsMustLieInsideTheData() throws IOException {
        byte[] bmp = Files.readAllBytes(faces().resolve("odd/image.bmp"));
        BmpLayout layout = (BmpLayout) ImageLayout.read(ImageFormat.BMP, bmp);
        layout.checkData(bmp);

        byte[] cut = Arrays.copyOf(bmp, bmp.length - 100);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> DECODER.decode(cut));
        assertTrue(e.getMessage(), e.getMessage().startsWith("BMP image is truncated: its 250x250 pixels need"));

        byte[] tall = bmp.clone();
        tall[22] = (byte) 0x10; // height 250 + 4096: rows the data does not have
        tall[23] = (byte) 0x10;
        e = assertThrows(InvalidImageException.class, () -> DECODER.decode(tall));
        assertTrue(e.getMessage(), e.getMessage().startsWith("BMP image is truncated"));

        byte[] pixelsOutside = bmp.clone();
        pixelsOutside[13] = (byte) 0x7F; // pixel data offset far past the end
        e = assertThrows(InvalidImageException.class, () -> DECODER.decode(pixelsOutside));
        assertTrue(e.getMessage(), e.getMessage().contains("outside the"));
    }

    @Test
    public void testTiffStripsMustLieInsideTheDataAndHoldTheirRows() throws IOException {
        byte[] tiff = Files.readAllBytes(faces().resolve("odd/image_lzw.tif"));
        TiffLayout layout = (TiffLayout) ImageLayout.read(ImageFormat.TIFF, tiff);
        assertEquals(250, layout.width());
        assertEquals(5, layout.compression());
        layout.checkData(tiff);

        // the same strips under a header 40 times taller: LZW cannot expand that much
        byte[] tall = withTiffTag(tiff, 257, 10_000);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> DECODER.decode(tall));
        assertTrue(e.getMessage(), e.getMessage().contains("more than its") || e.getMessage().contains("strips but gives"));

        byte[] cut = Arrays.copyOf(tiff, tiff.length / 2);
        e = assertThrows(InvalidImageException.class, () -> DECODER.decode(cut));
        assertTrue(e.getMessage(), e.getMessage().startsWith("TIFF image is truncated"));
    }

    @Test
    public void testTiffFieldCountsMustFitTheData() throws IOException {
        byte[] tiff = Files.readAllBytes(faces().resolve("odd/image_lzw.tif"));
        // StripOffsets said to hold 2^30 values: 4 GB of offsets from a file of a few kilobytes
        byte[] counted = withTiffCount(tiff, 273, 1 << 30);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> DECODER.decode(counted));
        assertTrue(e.getMessage(), e.getMessage().contains("values of tag 273 lie outside"));
    }

    @Test
    public void testWebpCanvasAndBitstreamSizes() throws IOException {
        byte[] lossy = Files.readAllBytes(faces().resolve("odd/lossy.webp"));
        WebpLayout layout = (WebpLayout) ImageLayout.read(ImageFormat.WEBP, lossy);
        assertEquals(900, layout.width());
        assertEquals(750, layout.height());
        assertFalse(layout.lossless());

        WebpLayout bomb = (WebpLayout) ImageLayout.read(ImageFormat.WEBP, HostileImages.losslessWebpHeader(10000, 9999));
        assertEquals(10000, bomb.width());
        assertEquals(9999, bomb.height());
        assertTrue(bomb.lossless());
        // libwebp holds the canvas as 4-byte pixels beside the 3-byte matrix OpenCV returns
        assertTrue(bomb.decodingBytes(10000, 9999) > 7L * 10000 * 9999);
    }

    @Test
    public void testPnmDataMustCoverItsHeader() {
        byte[] p6 = pnm("P6\n4 3\n255\n", 4 * 3 * 3);
        try (DecodedImage image = DECODER.decode(p6)) {
            assertEquals(4, image.width());
        }
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> DECODER.decode(pnm("P6\n400 300\n255\n", 36)));
        assertEquals("PNM image is truncated: its 400x300 pixels need 360000 bytes but only 36 follow the header", e.getMessage());

        e = assertThrows(InvalidImageException.class, () -> DECODER.decode(pnm("P7\nWIDTH 4\nHEIGHT 3\nDEPTH 1000\nMAXVAL 255\nENDHDR\n", 12000)));
        assertTrue(e.getMessage(), e.getMessage().contains("1000 samples per pixel"));

        e = assertThrows(InvalidImageException.class, () -> DECODER.decode(pnm("P5\n100000 100000\n255\n", 10)));
        assertTrue(e.getMessage(), e.getMessage().startsWith("image is 100000x100000"));
    }

    @Test
    public void testJpegScanDataMustHoldItsFrame() throws IOException {
        byte[] jpeg = Files.readAllBytes(faces().resolve("odd/fr_obama-240p.jpg"));
        JpegLayout layout = JpegLayout.read(jpeg);
        layout.checkData(jpeg);
        assertTrue(layout.scanDataBytes() * 8 > layout.minimumScanBits());

        byte[] forged = withJpegFrameSize(jpeg, 10000, 9999);
        for (boolean nativeJpeg : new boolean[] { true, false }) {
            InvalidImageException e = assertThrows(InvalidImageException.class, () -> DECODER.decode(forged, nativeJpeg));
            assertTrue(e.getMessage(), e.getMessage().startsWith("JPEG image is truncated or corrupt: its frame declares 10000x9999 pixels"));
        }
    }

    // ------------------------------------------------------------------------------------------

    static Path faces() {
        String dir = System.getProperty("face_search.faces.dir");
        Path path = dir != null ? Paths.get(dir) : Paths.get("..", "shared", "faces");
        assertTrue("face set not found at " + path.toAbsolutePath(), Files.isDirectory(path));
        return path;
    }

    private static byte[] pnm(String header, int dataBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(new byte[dataBytes]);
        return out.toByteArray();
    }

    /** The JPEG with its SOF0/SOF2 width and height replaced. */
    static byte[] withJpegFrameSize(byte[] jpeg, int width, int height) {
        byte[] b = jpeg.clone();
        for (int i = 2; i + 9 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && ((b[i + 1] & 0xFF) == 0xC0 || (b[i + 1] & 0xFF) == 0xC2)) {
                b[i + 5] = (byte) (height >>> 8);
                b[i + 6] = (byte) height;
                b[i + 7] = (byte) (width >>> 8);
                b[i + 8] = (byte) width;
                return b;
            }
        }
        throw new AssertionError("no SOF0 or SOF2");
    }

    /** Position of the IFD0 entry of {@code tag} in a TIFF. */
    private static int tiffEntry(byte[] tiff, int tag) {
        boolean little = tiff[0] == 'I';
        int ifd = (int) Bytes.u32(tiff, 4, little);
        int count = Bytes.u16(tiff, ifd, little);
        for (int i = 0; i < count; i++) {
            int p = ifd + 2 + 12 * i;
            if (Bytes.u16(tiff, p, little) == tag) {
                return p;
            }
        }
        throw new AssertionError("no tag " + tag);
    }

    private static byte[] withTiffTag(byte[] tiff, int tag, int value) {
        byte[] b = tiff.clone();
        boolean little = b[0] == 'I';
        int p = tiffEntry(b, tag);
        int type = Bytes.u16(b, p + 2, little);
        if (type == 3) {
            b[p + (little ? 8 : 9)] = (byte) value;
            b[p + (little ? 9 : 8)] = (byte) (value >>> 8);
        } else {
            for (int i = 0; i < 4; i++) {
                b[p + 8 + (little ? i : 3 - i)] = (byte) (value >>> (8 * i));
            }
        }
        return b;
    }

    private static byte[] withTiffCount(byte[] tiff, int tag, int count) {
        byte[] b = tiff.clone();
        boolean little = b[0] == 'I';
        int p = tiffEntry(b, tag);
        for (int i = 0; i < 4; i++) {
            b[p + 4 + (little ? i : 3 - i)] = (byte) (count >>> (8 * i));
        }
        return b;
    }
}
