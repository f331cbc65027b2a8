package io.facesearch.qa.bench;

/** A benchmark cannot go on; the message says why and is printed without a stack trace. */
public class BenchException extends RuntimeException {
    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
