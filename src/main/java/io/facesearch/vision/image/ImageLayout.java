package io.facesearch.vision.image;

/**
 * What a photo's header and structure declare, read and checked before any pixel is decoded: the stored size (before
 * EXIF orientation), and the memory its decoder will hold. Reading a layout refuses, with an
 * {@link InvalidImageException}, data that cannot hold what it declares (a header edited to a huge size, a file cut
 * short, parts pointing outside the file), so that no decoder allocates by a size the data does not back.
 */
sealed interface ImageLayout permits JpegLayout, PngLayout, GifLayout, BmpLayout, TiffLayout, WebpLayout, PnmLayout {

    int width();

    int height();

    /**
     * Refuses data that cannot hold the image the header declares (cut short, or a header edited to a larger size):
     * checked once the declared size has passed the pixel limit, so that a photo too large is refused as such.
     */
    default void checkData(byte[] bytes) {}

    /**
     * Bytes, heap and native, that this format's decoder holds while it decodes the image to
     * {@code outWidth x outHeight} pixels: its own buffers and the raster it fills, but not the 3 bytes a pixel of
     * BGR that the decoder hands over, nor the encoded input.
     */
    long decodingBytes(int outWidth, int outHeight);

    /** Reads the layout of {@code bytes}, which start with the signature of {@code format}. */
    static ImageLayout read(ImageFormat format, byte[] bytes) {
        return switch (format) {
            case JPEG -> JpegLayout.readFrame(bytes);
            case PNG -> PngLayout.read(bytes);
            case GIF -> GifLayout.read(bytes);
            case BMP -> BmpLayout.read(bytes);
            case TIFF -> TiffLayout.read(bytes);
            case WEBP -> WebpLayout.read(bytes);
            case PNM -> PnmLayout.read(bytes);
        };
    }

    /** Room for the small things every decoder allocates (reader objects, tables, stream buffers). */
    long DECODER_OVERHEAD = 1024 * 1024;
}
