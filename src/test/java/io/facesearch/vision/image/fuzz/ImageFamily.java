package io.facesearch.vision.image.fuzz;

import io.facesearch.vision.image.ImageFormat;

import java.util.Locale;

/**
 * The kinds of file the decode fuzzing mutates, one per decoder path worth its own seeds: a format, or a variant of
 * one that another reader or another part of the same reader decodes (progressive JPEG scans, lossless WebP).
 */
public enum ImageFamily {
    JPEG_BASELINE(ImageFormat.JPEG),
    JPEG_PROGRESSIVE(ImageFormat.JPEG),
    PNG(ImageFormat.PNG),
    GIF(ImageFormat.GIF),
    WEBP_LOSSY(ImageFormat.WEBP),
    WEBP_LOSSLESS(ImageFormat.WEBP),
    BMP(ImageFormat.BMP),
    TIFF(ImageFormat.TIFF),
    PNM(ImageFormat.PNM);

    private final ImageFormat format;

    ImageFamily(ImageFormat format) {
        this.format = format;
    }

    public ImageFormat format() {
        return format;
    }

    /** Lower case with dashes, as in case descriptions: {@code jpeg-baseline}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
