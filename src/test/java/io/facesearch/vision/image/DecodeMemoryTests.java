package io.facesearch.vision.image;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.facesearch.vision.Cancellation;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.junit.Test;

/**
 * Every decode reserves its memory before it allocates, holds in the pixels only what they take, and gives it all
 * back; the reservation covers what the decoders really allocate; a budget that cannot give it refuses the photo.
 */
public class DecodeMemoryTests {

    @Test
    public void testEveryDecodeGivesBackWhatItReserved() throws IOException {
        MemoryBudget.Limited budget = (MemoryBudget.Limited) MemoryBudget.limited(1L << 30);
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.DEFAULT_WORKING_MAX_PIXELS, budget);
        List<Path> files;
        try (Stream<Path> list = Files.list(ImageLayoutTests.faces().resolve("odd"))) {
            files = list.sorted().toList();
        }
        int decoded = 0;
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            try (DecodedImage image = decoder.decode(bytes)) {
                decoded++;
                assertEquals(file + ": the pixels hold their own bytes", image.bgr().length, budget.used());
            } catch (InvalidImageException e) {
                // a broken file: refused, and nothing stays reserved
            }
            assertEquals(file + ": everything given back", 0, budget.used());
        }
        assertTrue("most odd files decode: " + decoded, decoded >= 25);
    }

    @Test
    public void testAPhotoAboveTheWholeBudgetIsRefusedAndOneAboveWhatIsFreeWaits() {
        byte[] photo = HostileImages.blackPng(2000, 1500); // 9 MB of BGR
        MemoryBudget.Limited small = (MemoryBudget.Limited) MemoryBudget.limited(4L << 20);
        ImageDecoder tight = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.DEFAULT_WORKING_MAX_PIXELS, small);
        InvalidImageException tooLarge = assertThrows(InvalidImageException.class, () -> tight.decode(photo));
        assertTrue(tooLarge.getMessage(), tooLarge.getMessage().startsWith("decoding a 2000x1500 PNG image needs about"));
        assertEquals(0, small.used());

        MemoryBudget.Limited shared = (MemoryBudget.Limited) MemoryBudget.limited(64L << 20);
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.DEFAULT_WORKING_MAX_PIXELS, shared);
        try (MemoryBudget.Reservation busy = shared.reserve(60L << 20, "another photo")) {
            assertThrows(MemoryBudget.Exhausted.class, () -> decoder.decode(photo));
            assertEquals(busy.bytes(), shared.used());
        }
        try (DecodedImage image = decoder.decode(photo)) {
            assertEquals(2000, image.width());
        }
        assertEquals(0, shared.used());
    }

    /**
     * The reservation is at least what the decoding thread allocates on the heap (the native decoders' own buffers
     * are estimated from their documented needs and cannot be measured here). Readers that allocate per strip or per
     * scan are left out, as most of what they allocate is garbage that never lives at once: TIFF's decompressors
     * allocate buffers for every strip (LZW an array for every code), and the JDK's JPEG reader a new raster for
     * every scan of a progressive JPEG; the estimates hold their largest strip and raster.
     */
    @Test
    public void testReservationsCoverWhatTheReadersAllocate() throws IOException {
        assumeAllocationsAreMeasured();
        BufferedImage picture = picture(1200, 900);
        Map<String, byte[]> photos = new LinkedHashMap<>();
        photos.put("png", write(picture, "png", null, false));
        photos.put("png 16-bit", write(convert(picture, BufferedImage.TYPE_USHORT_GRAY), "png", null, false));
        photos.put("png palette", write(convert(picture, BufferedImage.TYPE_BYTE_INDEXED), "png", null, false));
        photos.put("gif", write(convert(picture, BufferedImage.TYPE_BYTE_INDEXED), "gif", null, false));
        photos.put("bmp", write(picture, "bmp", null, false));
        photos.put("bmp rle8", write(convert(picture, BufferedImage.TYPE_BYTE_INDEXED), "bmp", "BI_RLE8", false));
        photos.put("tiff", write(picture, "tiff", null, false));
        photos.put("jpeg", write(picture, "jpeg", null, false));
        photos.put("jpeg progressive", write(picture, "jpeg", null, true));
        photos.put("jpeg cmyk", Files.readAllBytes(ImageLayoutTests.faces().resolve("odd/cmyk.jpg")));
        for (long working : new long[] { ImageDecoder.DEFAULT_WORKING_MAX_PIXELS, 120_000 }) {
            for (Map.Entry<String, byte[]> photo : photos.entrySet()) {
                for (boolean nativeJpeg : new boolean[] { true, false }) {
                    if (photo.getKey().equals("jpeg progressive") && nativeJpeg == false) {
                        continue;
                    }
                    Recording budget = new Recording();
                    ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, working, budget);
                    decoder.decode(photo.getValue(), nativeJpeg).close(); // load the reader's classes first
                    long before = allocatedBytes();
                    decoder.decode(photo.getValue(), nativeJpeg).close();
                    long allocated = allocatedBytes() - before;
                    String what = photo.getKey() + (nativeJpeg ? "" : " (ImageIO)") + " at working size " + working;
                    assertTrue(what + ": reserved " + budget.peak + " bytes, allocated " + allocated, allocated <= budget.peak);
                }
            }
        }
    }

    @Test
    public void testACancelledDecodeStopsAndGivesItsMemoryBack() {
        byte[] photo = HostileImages.blackPng(4000, 3000);
        MemoryBudget.Limited budget = (MemoryBudget.Limited) MemoryBudget.limited(1L << 30);
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.DEFAULT_WORKING_MAX_PIXELS, budget);
        AtomicInteger asked = new AtomicInteger();
        Cancellation afterAFewRows = () -> asked.incrementAndGet() > 3;
        assertThrows(CancellationException.class, () -> decoder.decode(photo, Integer.MAX_VALUE, afterAFewRows));
        assertTrue("the reader asked between rows: " + asked.get(), asked.get() > 3);
        assertEquals(0, budget.used());

        assertThrows(CancellationException.class, () -> decoder.decode(photo, Integer.MAX_VALUE, () -> true));
        assertEquals(0, budget.used());
    }

    // ------------------------------------------------------------------------------------------

    /** Remembers the largest amount held at once. */
    private static final class Recording implements MemoryBudget {
        private final MemoryBudget.Limited inner = (MemoryBudget.Limited) MemoryBudget.limited(Long.MAX_VALUE);
        long peak;

        @Override
        public Reservation reserve(long bytes, String what) {
            Reservation reservation = inner.reserve(bytes, what);
            peak = Math.max(peak, inner.used());
            return reservation;
        }

        @Override
        public long limit() {
            return inner.limit();
        }
    }

    private static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, ((x * 7 + y) & 0xFF) << 16 | ((x ^ y) & 0xFF) << 8 | random.nextInt(64));
            }
        }
        return image;
    }

    private static BufferedImage convert(BufferedImage image, int type) {
        BufferedImage converted = new BufferedImage(image.getWidth(), image.getHeight(), type);
        converted.getGraphics().drawImage(image, 0, 0, null);
        return converted;
    }

    private static byte[] write(BufferedImage image, String format, String compression, boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (compression != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType(compression);
            }
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static void assumeAllocationsAreMeasured() {
        assertTrue("this JVM measures what a thread allocates", allocatedBytes() >= 0);
    }

    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
            && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()) {
            return bean.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }
}
