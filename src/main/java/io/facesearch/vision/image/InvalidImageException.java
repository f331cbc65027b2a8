package io.facesearch.vision.image;

/**
 * The bytes given as a photo cannot be used: not an image, an unsupported format, truncated or
 * corrupt data, or a declared size above the configured pixel limit. The message says which.
 *
 * <p>An {@link IllegalArgumentException}, so OpenSearch reports it as a 400 with type
 * {@code invalid_image_exception}.
 */
public class InvalidImageException extends IllegalArgumentException {
    public InvalidImageException(String message) {
        super(message);
    }

    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
