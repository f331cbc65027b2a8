package io.facesearch.vision.image;

import java.util.Objects;

/**
 * A photo decoded to 8-bit interleaved BGR pixels, upright (EXIF orientation applied).
 *
 * <p>Very large photos may be decoded at a reduced working size; {@link #sourceWidth()} and
 * {@link #sourceHeight()} keep the upright size of the original so that results can be reported
 * in the caller's pixel coordinates ({@link #scaleToSource()}).
 */
public final class DecodedImage implements AutoCloseable {
    private final int width;
    private final int height;
    private final byte[] bgr;
    private final ImageFormat format;
    private final int sourceWidth;
    private final int sourceHeight;
    /** The memory held for {@link #bgr}, given back by {@link #close()}; null when none was reserved. */
    private final MemoryBudget.Reservation reservation;
    /** How long the decoder took, set once by it before it hands the image over. */
    private long decodeNanos;

    public DecodedImage(int width, int height, byte[] bgr, ImageFormat format, int sourceWidth, int sourceHeight) {
        this(width, height, bgr, format, sourceWidth, sourceHeight, null);
    }

    /** An image whose pixels hold {@code reservation} until {@link #close()}. */
    DecodedImage(
        int width,
        int height,
        byte[] bgr,
        ImageFormat format,
        int sourceWidth,
        int sourceHeight,
        MemoryBudget.Reservation reservation
    ) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (bgr.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " BGR bytes, got " + bgr.length);
        }
        this.width = width;
        this.height = height;
        this.bgr = bgr;
        this.format = Objects.requireNonNull(format);
        this.sourceWidth = sourceWidth;
        this.sourceHeight = sourceHeight;
        this.reservation = reservation;
    }

    public DecodedImage(int width, int height, byte[] bgr, ImageFormat format) {
        this(width, height, bgr, format, width, height);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Pixels, row-major, 3 bytes per pixel in B, G, R order. Not copied: callers must not modify it. */
    public byte[] bgr() {
        return bgr;
    }

    public ImageFormat format() {
        return format;
    }

    public int sourceWidth() {
        return sourceWidth;
    }

    public int sourceHeight() {
        return sourceHeight;
    }

    /** Factor that maps a coordinate of this image to the original photo's (upright) pixel grid. */
    public double scaleToSource() {
        return (double) sourceWidth / width;
    }

    /** The same pixels, and the same reservation, reported as coming from a photo of {@code container} format. */
    DecodedImage as(ImageFormat container) {
        DecodedImage image = new DecodedImage(width, height, bgr, container, sourceWidth, sourceHeight, reservation);
        image.decodeNanos = decodeNanos;
        return image;
    }

    /** Nanoseconds the decoder took to make this image; 0 for an image made otherwise. */
    public long decodeNanos() {
        return decodeNanos;
    }

    DecodedImage decodedIn(long nanos) {
        this.decodeNanos = nanos;
        return this;
    }

    /** Gives back the memory reserved for the pixels; the image must not be used afterwards. */
    @Override
    public void close() {
        if (reservation != null) {
            reservation.close();
        }
    }
}
