package io.facesearch.vision.image;

import io.facesearch.vision.opencv.OpenCvNatives;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;
import javax.imageio.stream.ImageInputStream;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.pnm.PNMImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

/**
 * Decodes photo bytes (JPEG, PNG, WebP, GIF, BMP, TIFF, PNM) into upright 8-bit BGR pixels.
 *
 * <p>The format is recognised from the leading bytes only, never from a file name. The declared
 * size is read from the header before any pixel is decoded, so a decompression bomb is rejected
 * without allocating; photos above the working size are decoded with integer source subsampling
 * (plain JPEGs scaled by a power of two while decoding) so the memory of one decode stays bounded. EXIF orientation (JPEG APP1, TIFF IFD0, PNG
 * {@code eXIf}, WebP {@code EXIF}) is applied. Alpha is composited over white.
 *
 * <p>Complete 8-bit grey and colour JPEGs (baseline or progressive, the photos people take) are
 * decoded by libjpeg-turbo through OpenCV when its natives load: their embedded ICC profiles are
 * not applied, the raw values are used as OpenCV and Pillow do, and as the models were trained.
 * Every other image, and every JPEG when the natives are missing, goes through the ImageIO
 * readers: the JDK's, TwelveMonkeys for JPEG (which converts CMYK/YCCK, and some ICC profiles, to
 * RGB), WebP and PNM.
 *
 * <p>Every failure caused by the bytes is reported as an {@link InvalidImageException} whose
 * message says what is wrong. Instances are immutable and thread-safe: each call creates its own
 * {@link ImageReader} from the shared reader providers. Readers are instantiated directly from
 * their providers; the global {@code ImageIO} registry is only consulted (read-only) to find the
 * JDK's built-in providers, and nothing is registered in it. No temporary files are written: the
 * readers read straight from the byte array.
 */
public final class ImageDecoder {

    /** Default for {@code face_search.image.max_pixels}: declared width*height above this is rejected. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    /** Default working size: photos above this many pixels are decoded subsampled. */
    public static final long DEFAULT_WORKING_MAX_PIXELS = 16_000_000L;
    /** Name of the setting that holds the pixel limit; it appears in the error message. */
    public static final String MAX_PIXELS_SETTING = "face_search.image.max_pixels";
    /** A side longer than this is not a photo, whatever the pixel count. */
    public static final int MAX_SIDE = 1_000_000;
    /** Largest allowed working size: the decoded raster (up to 4 bytes a pixel) must fit in a Java array. */
    public static final long WORKING_MAX_PIXELS_LIMIT = (Integer.MAX_VALUE - 8) / 4;

    private static final String SIGNATURES = "JPEG, PNG, WebP, GIF, BMP, TIFF or PNM";

    private final long maxPixels;
    private final long workingMaxPixels;
    private final MemoryBudget budget;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS, DEFAULT_WORKING_MAX_PIXELS);
    }

    public ImageDecoder(long maxPixels, long workingMaxPixels) {
        this(maxPixels, workingMaxPixels, MemoryBudget.UNLIMITED);
    }

    /**
     * @param maxPixels        photos whose declared width*height exceeds this are rejected before decoding
     * @param workingMaxPixels photos larger than this are decoded subsampled by the smallest integer factor
     *                         that brings the decoded width*height to at most this; plain JPEGs, which
     *                         libjpeg-turbo scales while decoding, by the smallest of 2, 4 and 8 that does
     * @param budget           where each decode reserves the memory it will need before it allocates any
     */
    public ImageDecoder(long maxPixels, long workingMaxPixels, MemoryBudget budget) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        if (workingMaxPixels < 1 || workingMaxPixels > WORKING_MAX_PIXELS_LIMIT) {
            throw new IllegalArgumentException(
                "workingMaxPixels must be between 1 and " + WORKING_MAX_PIXELS_LIMIT + ", got " + workingMaxPixels
            );
        }
        this.maxPixels = maxPixels;
        this.workingMaxPixels = workingMaxPixels;
        this.budget = java.util.Objects.requireNonNull(budget);
    }

    /** Where every decode reserves its memory first. */
    public MemoryBudget budget() {
        return budget;
    }

    public long maxPixels() {
        return maxPixels;
    }

    public long workingMaxPixels() {
        return workingMaxPixels;
    }

    /**
     * Decodes a photo.
     *
     * @throws InvalidImageException if the bytes are empty, not a supported image, truncated or corrupt,
     *                               or declare a size above the limit
     */
    public DecodedImage decode(byte[] bytes) {
        return decode(bytes, true, Integer.MAX_VALUE);
    }

    /**
     * Decodes a photo that is only needed down to {@code minLongSide} pixels on its long side, e.g. to find faces with
     * a detector of that input size: a plain JPEG at least twice as large is decoded by libjpeg-turbo at 1/2, 1/4 or
     * 1/8 of its size (the smallest whose long side is still at least {@code minLongSide}), for a fraction of the
     * work. Any other photo as {@link #decode(byte[])}; {@link #isReduced} tells which.
     *
     * @throws InvalidImageException as {@link #decode(byte[])}
     */
    public DecodedImage decode(byte[] bytes, int minLongSide) {
        if (minLongSide < 1) {
            throw new IllegalArgumentException("minLongSide must be positive, got " + minLongSide);
        }
        return decode(bytes, true, minLongSide);
    }

    /** Whether {@code image} came smaller out of {@link #decode(byte[], int)} than {@link #decode(byte[])} makes it. */
    public boolean isReduced(DecodedImage image) {
        int factor = subsamplingFactor(image.sourceWidth(), image.sourceHeight(), workingMaxPixels);
        int jpegFactor = image.format() == ImageFormat.JPEG ? jpegReduction(image.sourceWidth(), image.sourceHeight(), workingMaxPixels) : -1;
        if (jpegFactor > 0) {
            // decoded at 1/jpegFactor by libjpeg-turbo, or by ImageIO at 1/factor, which is not smaller
            factor = jpegFactor;
        }
        return image.width() < Math.ceilDiv(image.sourceWidth(), factor);
    }

    /** {@link #decode(byte[])}; {@code nativeJpeg} false keeps every JPEG on the ImageIO readers (for comparisons). */
    DecodedImage decode(byte[] bytes, boolean nativeJpeg) {
        return decode(bytes, nativeJpeg, Integer.MAX_VALUE);
    }

    private DecodedImage decode(byte[] bytes, boolean nativeJpeg, int minLongSide) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException("image is empty (0 bytes)");
        }
        ImageFormat format = detectFormat(bytes);
        if (format == null) {
            throw new InvalidImageException(
                "not a supported image: the data does not start with a " + SIGNATURES + " signature"
            );
        }
        checkContainer(format, bytes);
        int orientation = readOrientation(format, bytes);
        if (format == ImageFormat.JPEG && nativeJpeg) {
            DecodedImage fast = decodePlainJpeg(bytes, orientation, minLongSide);
            if (fast != null) {
                return fast;
            }
        }
        ImageReader reader = Providers.createReader(format);
        try {
            return decode(reader, format, bytes, orientation);
        } catch (InvalidImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (hasCause(e, EOFException.class)) {
                throw new InvalidImageException(formatName(format) + " image is truncated: " + describe(e), e);
            }
            throw corrupt(format, describe(e), e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // format detection

    /** The format named by the leading bytes, or null. Never looks at a file name. */
    public static ImageFormat detectFormat(byte[] b) {
        if (b == null) {
            return null;
        }
        int n = b.length;
        if (n >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return ImageFormat.JPEG;
        }
        if (n >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
            && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return ImageFormat.PNG;
        }
        if (n >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
            && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return ImageFormat.WEBP;
        }
        if (n >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8'
            && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return ImageFormat.GIF;
        }
        if (n >= 2 && b[0] == 'B' && b[1] == 'M') {
            return ImageFormat.BMP;
        }
        if (n >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0)
            || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) {
            return ImageFormat.TIFF;
        }
        if (n >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7' && isPnmWhitespace(b[2])) {
            return ImageFormat.PNM;
        }
        return null;
    }

    private static boolean isPnmWhitespace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '#';
    }

    // ------------------------------------------------------------------------------------------
    // container checks the readers do not make: the JDK PNG reader decodes a PNG without IEND, and a
    // RIFF size check gives a clearer message than the WebP reader's own failure

    private static void checkContainer(ImageFormat format, byte[] b) {
        switch (format) {
            case PNG -> checkPng(b);
            case WEBP -> checkWebp(b);
            default -> {
            }
        }
    }

    /** Walks the chunk list: IHDR first, every chunk complete, an IEND at the end. */
    private static void checkPng(byte[] b) {
        int pos = 8;
        boolean first = true;
        while (true) {
            if (pos + 8 > b.length) {
                throw truncated(ImageFormat.PNG, "the data ends at byte " + b.length + " before the IEND chunk");
            }
            long length = readIntBE(b, pos) & 0xFFFFFFFFL;
            String type = new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (length > Integer.MAX_VALUE) {
                throw corrupt(ImageFormat.PNG, "chunk '" + printable(type) + "' declares a length of " + length + " bytes", null);
            }
            if (first && type.equals("IHDR") == false) {
                throw corrupt(ImageFormat.PNG, "the first chunk is '" + printable(type) + "', not IHDR", null);
            }
            first = false;
            long end = pos + 12L + length;
            if (end > b.length) {
                throw truncated(
                    ImageFormat.PNG,
                    "chunk '" + printable(type) + "' at byte " + pos + " needs " + (end - pos) + " bytes but only "
                        + (b.length - pos) + " remain"
                );
            }
            if (type.equals("IEND")) {
                return;
            }
            pos = (int) end;
        }
    }

    private static void checkWebp(byte[] b) {
        long riffSize = readIntLE(b, 4) & 0xFFFFFFFFL;
        if (8 + riffSize > b.length) {
            throw truncated(
                ImageFormat.WEBP,
                "the RIFF header declares " + (8 + riffSize) + " bytes but the data has only " + b.length
            );
        }
    }

    // ------------------------------------------------------------------------------------------
    // decoding

    private DecodedImage decode(ImageReader reader, ImageFormat format, byte[] bytes, int orientation) throws IOException {
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
        reader.addIIOReadWarningListener(listener);
        ImageInputStream stream = new ByteArrayImageInputStream(bytes);
        try {
            reader.setInput(stream, false, format == ImageFormat.JPEG);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            checkSize(format, width, height);
            int factor = subsamplingFactor(width, height, workingMaxPixels);
            ImageReadParam param = reader.getDefaultReadParam();
            if (factor > 1) {
                param.setSourceSubsampling(factor, factor, 0, 0);
            }
            BufferedImage image = reader.read(0, param);
            checkWarnings(format, warnings);
            if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
                throw corrupt(format, "the reader returned no pixels", null);
            }
            byte[] bgr = toBgr(image);
            int w = image.getWidth();
            int h = image.getHeight();
            // A reader that ignored the subsampling request: reduce here so callers get the working size.
            int extra = subsamplingFactor(w, h, workingMaxPixels);
            if (extra > 1) {
                int nw = Math.ceilDiv(w, extra);
                int nh = Math.ceilDiv(h, extra);
                bgr = subsample(bgr, w, h, extra, nw, nh);
                w = nw;
                h = nh;
            }
            return upright(bgr, w, h, format, width, height, orientation);
        } finally {
            reader.removeAllIIOReadWarningListeners();
            reader.dispose();
            try {
                stream.close();
            } catch (IOException ignored) {
                // a byte array stream does not fail to close
            }
        }
    }

    /**
     * A complete baseline or progressive 8-bit grey or colour JPEG goes to libjpeg-turbo, reduced to its working size
     * and further by the largest of 2, 4 and 8 that leaves its long side at least {@code minLongSide}; null for
     * anything else (CMYK, 12-bit, lossless, arithmetic-coded, truncated, above 64 times the working size), which the
     * ImageIO readers decode or explain.
     */
    private DecodedImage decodePlainJpeg(byte[] bytes, int orientation, int minLongSide) {
        if (OpenCvNatives.available() == false) {
            return null;
        }
        JpegLayout layout = JpegLayout.read(bytes);
        if (layout.isPlainPhoto() == false) {
            return null;
        }
        int width = layout.width();
        int height = layout.height();
        checkSize(ImageFormat.JPEG, width, height);
        int reduction = jpegReduction(width, height, workingMaxPixels);
        if (reduction < 0) {
            return null;
        }
        int longSide = Math.max(width, height);
        while (reduction < 8 && Math.ceilDiv(longSide, reduction * 2) >= minLongSide) {
            reduction *= 2;
        }
        byte[] bgr = OpenCvJpegDecoder.decodeBgr(bytes, width, height, reduction);
        if (bgr == null) {
            return null;
        }
        return upright(bgr, Math.ceilDiv(width, reduction), Math.ceilDiv(height, reduction), ImageFormat.JPEG, width, height, orientation);
    }

    /**
     * The decoded pixels ({@code w x h}, from a photo declared {@code sourceWidth x sourceHeight}) turned by the EXIF
     * orientation; orientations 5 to 8 swap both sizes.
     */
    private static DecodedImage upright(
        byte[] bgr, int w, int h, ImageFormat format, int sourceWidth, int sourceHeight, int orientation
    ) {
        if (orientation <= 1) {
            return new DecodedImage(w, h, bgr, format, sourceWidth, sourceHeight);
        }
        byte[] turned = orient(bgr, w, h, orientation);
        if (orientation >= 5) {
            return new DecodedImage(h, w, turned, format, sourceHeight, sourceWidth);
        }
        return new DecodedImage(w, h, turned, format, sourceWidth, sourceHeight);
    }

    /** What decodes plain JPEGs in this JVM: libjpeg-turbo, or ImageIO and why. */
    public static String jpegDecoder() {
        return OpenCvJpegDecoder.describe();
    }

    private void checkSize(ImageFormat format, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new InvalidImageException(formatName(format) + " image declares an invalid size of " + width + "x" + height);
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new InvalidImageException(
                "image is " + width + "x" + height + " = " + pixels + " pixels, above the limit of " + maxPixels
                    + " (" + MAX_PIXELS_SETTING + ")"
            );
        }
        if (width > MAX_SIDE || height > MAX_SIDE) {
            throw new InvalidImageException(
                "image is " + width + "x" + height + ": a side longer than " + MAX_SIDE + " pixels is not supported"
            );
        }
    }

    /** The smallest of 1, 2, 4 and 8 (libjpeg-turbo's scales) as r with ceil(w/r)*ceil(h/r) <= limit, or -1. */
    static int jpegReduction(int width, int height, long limit) {
        for (int r = 1; r <= 8; r *= 2) {
            if ((long) Math.ceilDiv(width, r) * Math.ceilDiv(height, r) <= limit) {
                return r;
            }
        }
        return -1;
    }

    /** The smallest integer factor s with ceil(w/s)*ceil(h/s) <= limit. */
    static int subsamplingFactor(int width, int height, long limit) {
        int s = 1;
        while ((long) Math.ceilDiv(width, s) * Math.ceilDiv(height, s) > limit) {
            s++;
        }
        return s;
    }

    /**
     * JPEG readers do not fail on a truncated scan: libjpeg inserts a fake EOI, fills the rest with grey
     * and only warns. Those warnings are turned into errors; harmless ones (extraneous bytes) are not.
     */
    private static void checkWarnings(ImageFormat format, List<String> warnings) {
        if (format != ImageFormat.JPEG) {
            return; // the other readers throw an EOFException on truncated data
        }
        for (String w : warnings) {
            String lower = w == null ? "" : w.toLowerCase(Locale.ROOT);
            if (lower.contains("premature end of jpeg file") || lower.contains("truncated") || lower.contains("missing eoi")
                || lower.contains("unexpected end")) {
                throw truncated(format, w);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // pixel conversion to 8-bit BGR

    static byte[] toBgr(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        SampleModel sm = raster.getSampleModel();
        DataBuffer db = raster.getDataBuffer();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];

        if (cm instanceof ComponentColorModel && db instanceof DataBufferByte byteBuffer
            && sm instanceof ComponentSampleModel csm && isRgbOrGray(cm) && allComponents8Bit(cm)
            && sameBank(csm)) {
            byteComponents(raster, csm, byteBuffer, cm, w, h, out);
            return out;
        }
        if (cm instanceof DirectColorModel dcm && db instanceof DataBufferInt intBuffer
            && sm instanceof SinglePixelPackedSampleModel spp && db.getNumBanks() == 1 && isRgbMasks(dcm)) {
            packedInts(raster, spp, intBuffer, dcm, w, h, out);
            return out;
        }
        if (cm instanceof IndexColorModel icm && sm.getNumBands() == 1) {
            indexed(raster, icm, w, h, out);
            return out;
        }
        if (cm instanceof ComponentColorModel && isRgbOrGray(cm) && db.getDataType() != DataBuffer.TYPE_FLOAT
            && db.getDataType() != DataBuffer.TYPE_DOUBLE) {
            components(raster, cm, w, h, out);
            return out;
        }
        generic(image, w, h, out);
        return out;
    }

    private static boolean isRgbOrGray(ColorModel cm) {
        int type = cm.getColorSpace().getType();
        int colors = cm.getNumColorComponents();
        return (type == ColorSpace.TYPE_RGB && colors == 3) || (type == ColorSpace.TYPE_GRAY && colors == 1);
    }

    private static boolean allComponents8Bit(ColorModel cm) {
        for (int i = 0; i < cm.getNumComponents(); i++) {
            if (cm.getComponentSize(i) != 8) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameBank(ComponentSampleModel csm) {
        int[] banks = csm.getBankIndices();
        for (int bank : banks) {
            if (bank != banks[0]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRgbMasks(DirectColorModel dcm) {
        return dcm.getColorSpace().getType() == ColorSpace.TYPE_RGB
            && isByteMask(dcm.getRedMask()) && isByteMask(dcm.getGreenMask()) && isByteMask(dcm.getBlueMask())
            && (dcm.hasAlpha() == false || isByteMask(dcm.getAlphaMask()));
    }

    private static boolean isByteMask(int mask) {
        return mask != 0 && (mask >>> Integer.numberOfTrailingZeros(mask)) == 0xFF;
    }

    /** Composites a colour value over white with a straight (non-premultiplied) alpha. */
    private static int overWhite(int c, int a) {
        return (c * a + 255 * (255 - a) + 127) / 255;
    }

    /** Channel value {@code c} of a pixel with alpha {@code a} composited over white. */
    private static int composite(int c, int a, boolean premultiplied) {
        if (a == 255) {
            return c;
        }
        return premultiplied ? Math.min(255, c + 255 - a) : overWhite(c, a);
    }

    private static void byteComponents(
        Raster raster, ComponentSampleModel csm, DataBufferByte buffer, ColorModel cm, int w, int h, byte[] out
    ) {
        byte[] data = buffer.getData(csm.getBankIndices()[0]);
        int base = buffer.getOffsets()[csm.getBankIndices()[0]];
        int pixelStride = csm.getPixelStride();
        int scanline = csm.getScanlineStride();
        int[] offsets = csm.getBandOffsets();
        int tx = -raster.getSampleModelTranslateX();
        int ty = -raster.getSampleModelTranslateY();
        boolean alpha = cm.hasAlpha();
        boolean premultiplied = cm.isAlphaPremultiplied();
        boolean gray = cm.getNumColorComponents() == 1;
        int o = 0;
        if (gray) {
            int og = offsets[0];
            int oa = alpha ? offsets[1] : 0;
            for (int y = 0; y < h; y++) {
                int p = base + (y + ty) * scanline + tx * pixelStride;
                for (int x = 0; x < w; x++, p += pixelStride) {
                    int v = data[p + og] & 0xFF;
                    if (alpha) {
                        int a = data[p + oa] & 0xFF;
                        v = composite(v, a, premultiplied);
                    }
                    byte bv = (byte) v;
                    out[o++] = bv;
                    out[o++] = bv;
                    out[o++] = bv;
                }
            }
            return;
        }
        int or = offsets[0];
        int og = offsets[1];
        int ob = offsets[2];
        if (alpha == false) {
            if (pixelStride == 3 && or == 2 && og == 1 && ob == 0 && scanline == w * 3 && tx == 0 && ty == 0) {
                System.arraycopy(data, base, out, 0, out.length);
                return;
            }
            for (int y = 0; y < h; y++) {
                int p = base + (y + ty) * scanline + tx * pixelStride;
                for (int x = 0; x < w; x++, p += pixelStride) {
                    out[o++] = data[p + ob];
                    out[o++] = data[p + og];
                    out[o++] = data[p + or];
                }
            }
            return;
        }
        int oa = offsets[3];
        for (int y = 0; y < h; y++) {
            int p = base + (y + ty) * scanline + tx * pixelStride;
            for (int x = 0; x < w; x++, p += pixelStride) {
                int a = data[p + oa] & 0xFF;
                int b = data[p + ob] & 0xFF;
                int g = data[p + og] & 0xFF;
                int r = data[p + or] & 0xFF;
                b = composite(b, a, premultiplied);
                g = composite(g, a, premultiplied);
                r = composite(r, a, premultiplied);
                out[o++] = (byte) b;
                out[o++] = (byte) g;
                out[o++] = (byte) r;
            }
        }
    }

    private static void packedInts(
        Raster raster, SinglePixelPackedSampleModel spp, DataBufferInt buffer, DirectColorModel dcm, int w, int h, byte[] out
    ) {
        int[] data = buffer.getData();
        int base = buffer.getOffset();
        int scanline = spp.getScanlineStride();
        int tx = -raster.getSampleModelTranslateX();
        int ty = -raster.getSampleModelTranslateY();
        int rs = Integer.numberOfTrailingZeros(dcm.getRedMask());
        int gs = Integer.numberOfTrailingZeros(dcm.getGreenMask());
        int bs = Integer.numberOfTrailingZeros(dcm.getBlueMask());
        boolean alpha = dcm.hasAlpha();
        int as = alpha ? Integer.numberOfTrailingZeros(dcm.getAlphaMask()) : 0;
        boolean premultiplied = dcm.isAlphaPremultiplied();
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = base + (y + ty) * scanline + tx;
            for (int x = 0; x < w; x++) {
                int v = data[p + x];
                int r = (v >>> rs) & 0xFF;
                int g = (v >>> gs) & 0xFF;
                int b = (v >>> bs) & 0xFF;
                if (alpha) {
                    int a = (v >>> as) & 0xFF;
                    r = composite(r, a, premultiplied);
                    g = composite(g, a, premultiplied);
                    b = composite(b, a, premultiplied);
                }
                out[o++] = (byte) b;
                out[o++] = (byte) g;
                out[o++] = (byte) r;
            }
        }
    }

    private static void indexed(Raster raster, IndexColorModel icm, int w, int h, byte[] out) {
        int size = icm.getMapSize();
        int lutSize = 1 << Math.max(1, icm.getPixelSize());
        byte[] lut = new byte[Math.max(size, lutSize) * 3];
        java.util.Arrays.fill(lut, (byte) 255); // out-of-palette indices show as white
        for (int i = 0; i < size; i++) {
            int a = icm.getAlpha(i);
            lut[i * 3] = (byte) overWhite(icm.getBlue(i), a);
            lut[i * 3 + 1] = (byte) overWhite(icm.getGreen(i), a);
            lut[i * 3 + 2] = (byte) overWhite(icm.getRed(i), a);
        }
        int maxIndex = lut.length / 3 - 1;
        int[] row = new int[w];
        int minX = raster.getMinX();
        int minY = raster.getMinY();
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getSamples(minX, minY + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int i = Math.min(row[x], maxIndex) * 3;
                out[o++] = lut[i];
                out[o++] = lut[i + 1];
                out[o++] = lut[i + 2];
            }
        }
    }

    /** Any integer component layout of RGB(A) or grey(+alpha), e.g. 16-bit PNG: scaled to 8 bits. */
    private static void components(Raster raster, ColorModel cm, int w, int h, byte[] out) {
        int bands = raster.getNumBands();
        int colors = cm.getNumColorComponents();
        boolean alpha = cm.hasAlpha();
        boolean premultiplied = cm.isAlphaPremultiplied();
        int[] max = new int[bands];
        for (int b = 0; b < bands; b++) {
            max[b] = (int) ((1L << Math.min(cm.getComponentSize(b), 31)) - 1);
        }
        int[] row = new int[w * bands];
        int minX = raster.getMinX();
        int minY = raster.getMinY();
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(minX, minY + y, w, 1, row);
            for (int x = 0, p = 0; x < w; x++, p += bands) {
                int r;
                int g;
                int b;
                if (colors == 1) {
                    r = g = b = scale(row[p], max[0]);
                } else {
                    r = scale(row[p], max[0]);
                    g = scale(row[p + 1], max[1]);
                    b = scale(row[p + 2], max[2]);
                }
                if (alpha) {
                    int a = scale(row[p + colors], max[colors]);
                    r = composite(r, a, premultiplied);
                    g = composite(g, a, premultiplied);
                    b = composite(b, a, premultiplied);
                }
                out[o++] = (byte) b;
                out[o++] = (byte) g;
                out[o++] = (byte) r;
            }
        }
    }

    private static int scale(int v, int max) {
        if (max == 255) {
            return v & 0xFF;
        }
        long c = Math.max(0, Math.min(v & 0xFFFFFFFFL, max));
        return (int) ((c * 255 + max / 2) / max);
    }

    /** Anything else (CMYK, float, odd packings): the colour model converts to sRGB, row by row. */
    private static void generic(BufferedImage image, int w, int h, byte[] out) {
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int v = row[x];
                int a = v >>> 24;
                int r = (v >> 16) & 0xFF;
                int g = (v >> 8) & 0xFF;
                int b = v & 0xFF;
                if (a != 255) {
                    r = overWhite(r, a);
                    g = overWhite(g, a);
                    b = overWhite(b, a);
                }
                out[o++] = (byte) b;
                out[o++] = (byte) g;
                out[o++] = (byte) r;
            }
        }
    }

    private static byte[] subsample(byte[] bgr, int w, int h, int factor, int nw, int nh) {
        byte[] out = new byte[nw * nh * 3];
        int o = 0;
        for (int y = 0; y < nh; y++) {
            int row = y * factor * w * 3;
            for (int x = 0; x < nw; x++) {
                int p = row + x * factor * 3;
                out[o++] = bgr[p];
                out[o++] = bgr[p + 1];
                out[o++] = bgr[p + 2];
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // EXIF orientation

    /**
     * Returns the pixels of a {@code w}x{@code h} BGR image as displayed under EXIF orientation
     * {@code orientation} (1-8). For 5-8 the result is {@code h}x{@code w}.
     */
    static byte[] orient(byte[] bgr, int w, int h, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return bgr;
        }
        boolean transpose = orientation >= 5;
        int ow = transpose ? h : w;
        int oh = transpose ? w : h;
        // Output (x, y) reads stored column sx = cx + ax*x + bx*y and row sy = cy + ay*x + by*y.
        int ax;
        int bx;
        int cx;
        int ay;
        int by;
        int cy;
        switch (orientation) {
            case 2 -> { ax = -1; bx = 0; cx = w - 1; ay = 0; by = 1; cy = 0; }      // mirror horizontal
            case 3 -> { ax = -1; bx = 0; cx = w - 1; ay = 0; by = -1; cy = h - 1; } // rotate 180
            case 4 -> { ax = 1; bx = 0; cx = 0; ay = 0; by = -1; cy = h - 1; }      // mirror vertical
            case 5 -> { ax = 0; bx = 1; cx = 0; ay = 1; by = 0; cy = 0; }           // transpose
            case 6 -> { ax = 0; bx = 1; cx = 0; ay = -1; by = 0; cy = h - 1; }      // rotate 90 clockwise
            case 7 -> { ax = 0; bx = -1; cx = w - 1; ay = -1; by = 0; cy = h - 1; } // transverse
            default -> { ax = 0; bx = -1; cx = w - 1; ay = 1; by = 0; cy = 0; }     // 8: rotate 90 counter-clockwise
        }
        byte[] out = new byte[bgr.length];
        int step = (ay * w + ax) * 3; // source step for x + 1
        int o = 0;
        for (int y = 0; y < oh; y++) {
            int sx = cx + bx * y;
            int sy = cy + by * y;
            int p = (sy * w + sx) * 3;
            for (int x = 0; x < ow; x++, p += step) {
                out[o++] = bgr[p];
                out[o++] = bgr[p + 1];
                out[o++] = bgr[p + 2];
            }
        }
        return out;
    }

    /** EXIF orientation 1-8 from the photo's metadata, 1 if absent or unreadable. */
    static int readOrientation(ImageFormat format, byte[] b) {
        try {
            return switch (format) {
                case JPEG -> jpegOrientation(b);
                case TIFF -> tiffOrientation(b, 0, b.length);
                case PNG -> pngOrientation(b);
                case WEBP -> webpOrientation(b);
                default -> 1;
            };
        } catch (RuntimeException e) {
            return 1; // broken metadata never makes a photo unreadable
        }
    }

    private static int jpegOrientation(byte[] b) {
        int[] orientation = { 1 };
        JpegSegments.walk(b, (marker, start, declaredEnd) -> {
            int end = Math.min(b.length, declaredEnd); // a cut APP1 still gives what it holds
            if (marker == 0xE1 && end - start >= 14 && b[start] == 'E' && b[start + 1] == 'x' && b[start + 2] == 'i'
                && b[start + 3] == 'f' && b[start + 4] == 0 && b[start + 5] == 0) {
                orientation[0] = tiffOrientation(b, start + 6, end);
                return false;
            }
            return marker != 0xDA;
        });
        return orientation[0];
    }

    private static int pngOrientation(byte[] b) {
        int pos = 8;
        while (pos + 8 <= b.length) {
            int length = readIntBE(b, pos);
            if (length < 0 || pos + 12L + length > b.length) {
                return 1;
            }
            if (b[pos + 4] == 'e' && b[pos + 5] == 'X' && b[pos + 6] == 'I' && b[pos + 7] == 'f') {
                return tiffOrientation(b, pos + 8, pos + 8 + length);
            }
            if (b[pos + 4] == 'I' && b[pos + 5] == 'D' && b[pos + 6] == 'A' && b[pos + 7] == 'T') {
                return 1; // eXIf must precede IDAT
            }
            pos += 12 + length;
        }
        return 1;
    }

    private static int webpOrientation(byte[] b) {
        int pos = 12;
        while (pos + 8 <= b.length) {
            long size = readIntLE(b, pos + 4) & 0xFFFFFFFFL;
            int start = pos + 8;
            long end = start + size;
            if (end > b.length) {
                return 1;
            }
            if (b[pos] == 'E' && b[pos + 1] == 'X' && b[pos + 2] == 'I' && b[pos + 3] == 'F') {
                int s = start;
                // Some writers keep the JPEG-style "Exif\0\0" prefix.
                if (size >= 6 && b[s] == 'E' && b[s + 1] == 'x' && b[s + 2] == 'i' && b[s + 3] == 'f') {
                    s += 6;
                }
                return tiffOrientation(b, s, (int) end);
            }
            pos = (int) (end + (size & 1));
        }
        return 1;
    }

    /** Reads tag 0x0112 of IFD0 of the TIFF structure that starts at {@code start}. */
    private static int tiffOrientation(byte[] b, int start, int end) {
        if (end - start < 8) {
            return 1;
        }
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') {
            little = true;
        } else if (b[start] == 'M' && b[start + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (u16(b, start + 2, little) != 42) {
            return 1;
        }
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || start + ifd + 2 > end) {
            return 1;
        }
        int p = (int) (start + ifd);
        int count = u16(b, p, little);
        p += 2;
        for (int i = 0; i < count && p + 12 <= end; i++, p += 12) {
            if (u16(b, p, little) == 0x0112) {
                int type = u16(b, p + 2, little);
                int value = type == 3 ? u16(b, p + 8, little) : type == 4 ? (int) u32(b, p + 8, little) : b[p + 8] & 0xFF;
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int p, boolean little) {
        return little ? (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) : ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    private static long u32(byte[] b, int p, boolean little) {
        return (little ? readIntLE(b, p) : readIntBE(b, p)) & 0xFFFFFFFFL;
    }

    private static int readIntBE(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    private static int readIntLE(byte[] b, int p) {
        return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16) | ((b[p + 3] & 0xFF) << 24);
    }

    private static int readShortLE(byte[] b, int p) {
        return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
    }

    // ------------------------------------------------------------------------------------------
    // errors

    private static InvalidImageException truncated(ImageFormat format, String reason) {
        return new InvalidImageException(formatName(format) + " image is truncated: " + reason);
    }

    private static InvalidImageException corrupt(ImageFormat format, String reason, Throwable cause) {
        return new InvalidImageException(formatName(format) + " image is truncated or corrupt: " + reason, cause);
    }

    private static String formatName(ImageFormat format) {
        return format == ImageFormat.WEBP ? "WebP" : format.name();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The messages along the cause chain, e.g. "Error reading PNG image data: Unexpected end of ZLIB input stream". */
    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        String last = null;
        int depth = 0;
        for (Throwable t = e; t != null && depth < 5; t = t.getCause(), depth++) {
            String m = t.getMessage();
            if (t instanceof EOFException && (m == null || m.isBlank())) {
                m = "unexpected end of data";
            } else if (m == null || m.isBlank()) {
                m = t.getClass().getSimpleName();
            } else if (t instanceof IOException == false || t instanceof EOFException) {
                m = t.getClass().getSimpleName() + ": " + m;
            }
            if (m.equals(last) || (last != null && last.contains(m))) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(m);
            last = m;
        }
        return sb.toString();
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format(Locale.ROOT, "\\x%02x", (int) c));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------
    // reader providers

    /**
     * The reader providers, created once. The TwelveMonkeys JPEG provider finds its JDK delegate in the
     * registry it is registered with, so it is registered in a private {@link ServiceRegistry} that holds
     * only the JDK JPEG provider; the global registry is never modified.
     */
    private static final class Providers {
        private static final String JDK_JPEG = "com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi";
        private static final String JDK_PNG = "com.sun.imageio.plugins.png.PNGImageReaderSpi";
        private static final String JDK_GIF = "com.sun.imageio.plugins.gif.GIFImageReaderSpi";
        private static final String JDK_BMP = "com.sun.imageio.plugins.bmp.BMPImageReaderSpi";
        private static final String JDK_TIFF = "com.sun.imageio.plugins.tiff.TIFFImageReaderSpi";

        static final ImageReaderSpi JPEG;
        static final ImageReaderSpi PNG;
        static final ImageReaderSpi GIF;
        static final ImageReaderSpi BMP;
        static final ImageReaderSpi TIFF;
        static final ImageReaderSpi WEBP = new WebPImageReaderSpi();
        static final ImageReaderSpi PNM = new PNMImageReaderSpi();

        static {
            IIORegistry global = IIORegistry.getDefaultInstance();
            ImageReaderSpi jdkJpeg = jdkProvider(global, JDK_JPEG);
            PNG = jdkProvider(global, JDK_PNG);
            GIF = jdkProvider(global, JDK_GIF);
            BMP = jdkProvider(global, JDK_BMP);
            TIFF = jdkProvider(global, JDK_TIFF);
            JPEG = twelveMonkeysJpeg(jdkJpeg);
        }

        private static ImageReaderSpi jdkProvider(IIORegistry registry, String className) {
            Iterator<ImageReaderSpi> it = registry.getServiceProviders(
                ImageReaderSpi.class,
                spi -> spi.getClass().getName().equals(className),
                false
            );
            return it.hasNext() ? it.next() : null;
        }

        private static ImageReaderSpi twelveMonkeysJpeg(ImageReaderSpi jdkJpeg) {
            if (jdkJpeg == null) {
                return null;
            }
            try {
                ServiceRegistry registry = new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
                registry.registerServiceProvider(jdkJpeg, ImageReaderSpi.class);
                JPEGImageReaderSpi twelveMonkeys = new JPEGImageReaderSpi();
                // onRegistration looks the JDK provider up by class name; without it the provider deregisters itself.
                registry.registerServiceProvider(twelveMonkeys, ImageReaderSpi.class);
                if (registry.contains(twelveMonkeys)) {
                    return twelveMonkeys;
                }
            } catch (RuntimeException | LinkageError e) {
                // fall through to the JDK reader
            }
            return jdkJpeg;
        }

        /** A new reader; a missing provider is a broken JVM, not a bad photo, so it is an IllegalStateException. */
        static ImageReader createReader(ImageFormat format) {
            ImageReaderSpi spi = switch (format) {
                case JPEG -> JPEG;
                case PNG -> PNG;
                case GIF -> GIF;
                case BMP -> BMP;
                case TIFF -> TIFF;
                case WEBP -> WEBP;
                case PNM -> PNM;
            };
            if (spi == null) {
                throw new IllegalStateException("no " + formatName(format) + " image reader is available in this JVM");
            }
            try {
                return spi.createReaderInstance();
            } catch (IOException e) {
                throw new IllegalStateException("cannot create the " + formatName(format) + " image reader", e);
            }
        }
    }
}
