package io.facesearch.vision.image;

/** Container formats the decoder recognises from their leading bytes (never from a file name). */
public enum ImageFormat {
    JPEG,
    PNG,
    WEBP,
    GIF,
    BMP,
    TIFF,
    PNM;

    /** Lower-case name used in API responses and stored documents. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
