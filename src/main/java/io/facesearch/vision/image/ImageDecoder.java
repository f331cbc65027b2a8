package io.facesearch.vision.image;

import io.facesearch.vision.Cancellation;
import io.facesearch.vision.opencv.OpenCvNatives;

import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * Decodes photo bytes (JPEG, PNG, WebP, GIF, BMP, TIFF, PNM) into upright 8-bit BGR pixels.
 *
 * <p>Every decode is bounded before it allocates. The format is recognised from the leading bytes only, never from a
 * file name; then its {@link ImageLayout} is read and checked: the declared size, and whether the data can hold it
 * (a header edited to a huge size, or data cut short, is refused before any pixel is decoded). Photos above the
 * pixel limit are refused; photos above the working size are decoded subsampled. The memory the chosen decoder
 * will need, heap and native, is then estimated from the layout and reserved in the {@link MemoryBudget}: a photo
 * that could never fit is refused, one that does not fit now waits for nothing and fails with the budget's error.
 * The decoded pixels keep their share of the reservation until the {@link DecodedImage} is closed.
 *
 * <p>Complete 8-bit grey and colour JPEGs (baseline or progressive, the photos people take) are decoded by
 * libjpeg-turbo through OpenCV when its natives load, scaled by 1/2, 1/4 or 1/8 while decoding where the working
 * size or the caller's needs allow: their embedded ICC profiles are not applied, the raw values are used as OpenCV and
 * Pillow do, and as the models were trained. A JPEG that libjpeg-turbo would decode with missing data filled in
 * (scans that do not complete the image, blocks at the end left grey) goes to the careful decoder instead, which
 * refuses it. WebP is decoded by libwebp through OpenCV. Every other image, and every JPEG when the natives are
 * missing, goes through the ImageIO readers ({@link ImageIoRead}), which can be cancelled between rows. EXIF
 * orientation is applied; alpha is composited over white.
 *
 * <p>Every failure caused by the bytes is reported as an {@link InvalidImageException} whose message says what is
 * wrong. Instances are immutable and thread-safe.
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

    /**
     * The JDK's JPEG reader decodes every scan of a progressive JPEG into a new raster of the whole image: about
     * 150 ms a megapixel here, so larger ones would hold a thread for many seconds.
     */
    static final long PROGRESSIVE_IMAGEIO_MAX_PIXELS = 16_000_000L;

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
        this.budget = Objects.requireNonNull(budget);
    }

    public long maxPixels() {
        return maxPixels;
    }

    public long workingMaxPixels() {
        return workingMaxPixels;
    }

    /** Where every decode reserves its memory first. */
    public MemoryBudget budget() {
        return budget;
    }

    /**
     * Decodes a photo. Close the result once its pixels are no longer needed: that gives its memory back.
     *
     * @throws InvalidImageException if the bytes are empty, not a supported image, truncated or corrupt,
     *                               or declare a size above the limit or more memory than the budget can ever give
     */
    public DecodedImage decode(byte[] bytes) {
        return decode(bytes, true, Integer.MAX_VALUE, Cancellation.NONE);
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
        return decode(bytes, minLongSide, Cancellation.NONE);
    }

    /**
     * {@link #decode(byte[], int)} for a request that may be cancelled: the ImageIO readers stop between rows, and
     * a {@link CancellationException} is thrown, once {@code cancellation} says so.
     */
    public DecodedImage decode(byte[] bytes, int minLongSide, Cancellation cancellation) {
        if (minLongSide < 1) {
            throw new IllegalArgumentException("minLongSide must be positive, got " + minLongSide);
        }
        return decode(bytes, true, minLongSide, cancellation);
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
        return decode(bytes, nativeJpeg, Integer.MAX_VALUE, Cancellation.NONE);
    }

    private DecodedImage decode(byte[] bytes, boolean nativeJpeg, int minLongSide, Cancellation cancellation) {
        long start = System.nanoTime();
        return decodeUntimed(bytes, nativeJpeg, minLongSide, cancellation).decodedIn(System.nanoTime() - start);
    }

    private DecodedImage decodeUntimed(byte[] bytes, boolean nativeJpeg, int minLongSide, Cancellation cancellation) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException("image is empty (0 bytes)");
        }
        ImageFormat format = detectFormat(bytes);
        if (format == null) {
            throw new InvalidImageException(
                "not a supported image: the data does not start with a " + SIGNATURES + " signature"
            );
        }
        ImageLayout layout = ImageLayout.read(format, bytes);
        if (layout instanceof BmpLayout bmp && bmp.isEmbedded()) {
            bmp.checkData(bytes);
            return decodeEmbedded(bmp, bytes, nativeJpeg, minLongSide, cancellation);
        }
        checkSize(format, layout.width(), layout.height());
        layout.checkData(bytes);
        int orientation = ExifOrientation.read(format, bytes);
        cancellation.check("decoding the photo");
        if (layout instanceof JpegLayout jpeg && nativeJpeg) {
            DecodedImage fast = decodePlainJpeg(jpeg, bytes, orientation, minLongSide);
            if (fast != null) {
                return fast;
            }
        }
        if (layout instanceof WebpLayout webp) {
            return decodeWebp(webp, bytes, orientation);
        }
        return decodeWithImageIo(format, layout, bytes, orientation, cancellation);
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
    // decoding

    private DecodedImage decodeWithImageIo(ImageFormat format, ImageLayout layout, byte[] bytes, int orientation, Cancellation cancellation) {
        try (ImageIoRead read = readerCall(format, () -> new ImageIoRead(format, bytes))) {
            int width = readerCall(format, read::width);
            int height = readerCall(format, read::height);
            checkSize(format, width, height);
            if (width != layout.width() || height != layout.height()) {
                throw corrupt(
                    format,
                    "its header declares " + layout.width() + "x" + layout.height() + " but its reader finds " + width + "x" + height,
                    null
                );
            }
            if (layout instanceof JpegLayout jpeg && jpeg.isProgressive() && (long) width * height > PROGRESSIVE_IMAGEIO_MAX_PIXELS) {
                throw new InvalidImageException(
                    "JPEG image is a " + width + "x" + height + " progressive JPEG that libjpeg-turbo cannot take (CMYK, 12-bit, or "
                        + "scans that do not complete the image); the other JPEG reader decodes those up to "
                        + PROGRESSIVE_IMAGEIO_MAX_PIXELS + " pixels"
                );
            }
            int factor = subsamplingFactor(width, height, workingMaxPixels);
            int outWidth = Math.ceilDiv(width, factor);
            int outHeight = Math.ceilDiv(height, factor);
            // readers copy their input in places (PNG's IDAT chunks, BMP's RLE data, TIFF's strips): count it once
            long decoding = bytes.length;
            if (layout instanceof JpegLayout jpeg) {
                // the JDK reader's raster and TwelveMonkeys' copy of it (for CMYK, 4 bytes a pixel and a conversion to
                // RGB beside them)
                long raster = (long) outWidth * outHeight * (jpeg.components() == 4 ? 11 : 6);
                decoding += raster + jpeg.decodingBytes(outWidth, outHeight);
            } else {
                decoding += layout.decodingBytes(outWidth, outHeight);
            }
            MemoryBudget.Reservation reservation = reserve(format, width, height, outWidth, outHeight, decoding, orientation);
            try {
                BufferedImage image = readerCall(format, () -> read.read(factor, cancellation));
                String truncation = format == ImageFormat.JPEG ? read.truncationWarning() : null;
                if (truncation != null) {
                    throw truncated(format, truncation);
                }
                if (image == null || image.getWidth() != outWidth || image.getHeight() != outHeight) {
                    String got = image == null ? "no pixels" : image.getWidth() + "x" + image.getHeight() + " pixels";
                    throw corrupt(format, "the reader returned " + got + " instead of " + outWidth + "x" + outHeight, null);
                }
                byte[] bgr = BgrConversion.toBgr(image);
                return upright(bgr, outWidth, outHeight, format, width, height, orientation, reservation);
            } catch (RuntimeException e) {
                reservation.close();
                throw e;
            }
        }
    }

    /** A call into an ImageIO reader. */
    @FunctionalInterface
    private interface ReaderCall<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code call}, turning what a reader throws on bad data (I/O errors, and the runtime exceptions and stack
     * overflows some readers run into on corrupt data) into an {@link InvalidImageException}; a cancellation passes.
     */
    private static <T> T readerCall(ImageFormat format, ReaderCall<T> call) {
        try {
            return call.run();
        } catch (InvalidImageException | CancellationException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            if (hasCause(e, EOFException.class)) {
                throw new InvalidImageException(formatName(format) + " image is truncated: " + describe(e), e);
            }
            throw corrupt(format, describe(e), e);
        }
    }

    /**
     * A complete baseline or progressive 8-bit grey or colour JPEG goes to libjpeg-turbo, reduced to its working size
     * and further by the largest of 2, 4 and 8 that leaves its long side at least {@code minLongSide}; null for
     * anything else (CMYK, 12-bit, lossless, arithmetic-coded, truncated, above 64 times the working size, scans that
     * leave coefficients unfinished, or a decode whose last block shows the grey of missing data), which the ImageIO
     * readers decode or explain.
     */
    private DecodedImage decodePlainJpeg(JpegLayout layout, byte[] bytes, int orientation, int minLongSide) {
        if (OpenCvNatives.available() == false || layout.isPlainPhoto() == false) {
            return null;
        }
        int width = layout.width();
        int height = layout.height();
        int reduction = jpegReduction(width, height, workingMaxPixels);
        if (reduction < 0) {
            return null;
        }
        if (layout.isProgressive() && JpegScans.completeEveryCoefficient(bytes) == false) {
            return null;
        }
        int longSide = Math.max(width, height);
        while (reduction < 8 && Math.ceilDiv(longSide, reduction * 2) >= minLongSide) {
            reduction *= 2;
        }
        int outWidth = Math.ceilDiv(width, reduction);
        int outHeight = Math.ceilDiv(height, reduction);
        // the encoded copy handed to OpenCV and its decoded matrix, beside libjpeg's own buffers
        long decoding = bytes.length + 3L * outWidth * outHeight + layout.decodingBytes(outWidth, outHeight);
        MemoryBudget.Reservation reservation = reserve(ImageFormat.JPEG, width, height, outWidth, outHeight, decoding, orientation);
        try {
            byte[] bgr = OpenCvDecoder.decodeJpeg(bytes, width, height, reduction);
            if (bgr == null || endsInMissingData(bgr)) {
                reservation.close();
                return null;
            }
            return upright(bgr, outWidth, outHeight, ImageFormat.JPEG, width, height, orientation, reservation);
        } catch (RuntimeException e) {
            reservation.close();
            throw e;
        }
    }

    /**
     * libjpeg-turbo decodes blocks it finds no data for as zero coefficients, which come out as exactly grey (128);
     * the last block of a JPEG whose scan data ends early is such a block. A real photo rarely ends in exact grey, and
     * one that does is only decoded again by the careful decoder.
     */
    private static boolean endsInMissingData(byte[] bgr) {
        for (int i = bgr.length - 3; i < bgr.length; i++) {
            if (bgr[i] != (byte) 128) {
                return false;
            }
        }
        return true;
    }

    /** WebP through libwebp, the whole canvas decoded and then reduced to the working size by area averaging. */
    private DecodedImage decodeWebp(WebpLayout layout, byte[] bytes, int orientation) {
        int width = layout.width();
        int height = layout.height();
        int factor = subsamplingFactor(width, height, workingMaxPixels);
        int outWidth = Math.ceilDiv(width, factor);
        int outHeight = Math.ceilDiv(height, factor);
        long decoding = bytes.length + layout.decodingBytes(outWidth, outHeight);
        MemoryBudget.Reservation reservation = reserve(ImageFormat.WEBP, width, height, outWidth, outHeight, decoding, orientation);
        try {
            byte[] bgr = OpenCvDecoder.decodeWebp(bytes, width, height, outWidth, outHeight);
            return upright(bgr, outWidth, outHeight, ImageFormat.WEBP, width, height, orientation, reservation);
        } catch (RuntimeException e) {
            reservation.close();
            throw e;
        }
    }

    /**
     * A BMP that only wraps a JPEG or PNG (compression 4 or 5): the wrapped image is decoded on its own, with its own
     * size checked against the limits, and reported as the BMP it came in.
     */
    private DecodedImage decodeEmbedded(BmpLayout bmp, byte[] bytes, boolean nativeJpeg, int minLongSide, Cancellation cancellation) {
        byte[] inner = Arrays.copyOfRange(bytes, bmp.pixelDataStart(), Math.toIntExact(bmp.pixelDataStart() + bmp.pixelDataLength()));
        ImageFormat wanted = bmp.compression() == BmpLayout.EMBEDDED_JPEG ? ImageFormat.JPEG : ImageFormat.PNG;
        if (detectFormat(inner) != wanted) {
            throw corrupt(ImageFormat.BMP, "its compression says it holds a " + formatName(wanted) + " image, but its data is not one", null);
        }
        DecodedImage image = decode(inner, nativeJpeg, minLongSide, cancellation);
        return image.as(ImageFormat.BMP);
    }

    /**
     * Reserves what decoding a {@code width x height} photo to {@code outWidth x outHeight} holds at its peak: the
     * decoder's own {@code decoding} bytes, the BGR pixels handed over, and their upright copy when the photo is turned.
     */
    private MemoryBudget.Reservation reserve(
        ImageFormat format,
        int width,
        int height,
        int outWidth,
        int outHeight,
        long decoding,
        int orientation
    ) {
        long pixels = 3L * outWidth * outHeight;
        long bytes = decoding + pixels * (orientation > 1 ? 2 : 1);
        return budget.reserve(bytes, "decoding a " + width + "x" + height + " " + formatName(format) + " image");
    }

    /**
     * The decoded pixels ({@code w x h}, from a photo declared {@code sourceWidth x sourceHeight}) turned by the EXIF
     * orientation (5 to 8 swap both sizes), keeping of {@code reservation} only what they hold.
     */
    private static DecodedImage upright(
        byte[] bgr,
        int w,
        int h,
        ImageFormat format,
        int sourceWidth,
        int sourceHeight,
        int orientation,
        MemoryBudget.Reservation reservation
    ) {
        reservation.shrinkTo(bgr.length);
        if (orientation <= 1) {
            return new DecodedImage(w, h, bgr, format, sourceWidth, sourceHeight, reservation);
        }
        byte[] turned = ExifOrientation.apply(bgr, w, h, orientation);
        if (orientation >= 5) {
            return new DecodedImage(h, w, turned, format, sourceHeight, sourceWidth, reservation);
        }
        return new DecodedImage(w, h, turned, format, sourceWidth, sourceHeight, reservation);
    }

    /** What decodes plain JPEGs in this JVM: libjpeg-turbo, or ImageIO and why. */
    public static String jpegDecoder() {
        return OpenCvDecoder.describe();
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
}
