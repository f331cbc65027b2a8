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

    /**
     * The underlying failure is kept as a suppressed exception, not as the cause: OpenSearch reports the
     * innermost cause's message in places (an ingest {@code on_failure_message}), and that message is the
     * image reader's terse text rather than this exception's reason.
     */
    public InvalidImageException(String message, Throwable detail) {
        super(message);
        if (detail != null) {
            addSuppressed(detail);
        }
    }

    /** The same failure, its message prefixed with where the photo came from (a request or document field). */
    public InvalidImageException in(String where) {
        return new InvalidImageException(where + ": " + getMessage(), this);
    }
}
