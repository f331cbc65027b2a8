package io.facesearch.vision.model;

/** A configured model cannot be used: missing file, wrong checksum, or a file ONNX Runtime rejects. */
public class ModelUnavailableException extends IllegalStateException {
    public ModelUnavailableException(String message) {
        super(message);
    }

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
