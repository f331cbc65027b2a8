package io.facesearch.vision.image.fuzz;

import io.facesearch.vision.image.ImageDecoder;

import java.util.Locale;

/**
 * How one decode ended: an image ({@code width x height}), one of the two failures a decode may have, any other
 * throwable, or no end at all (given up); with its wall-clock time, the CPU time of its thread and the garbage
 * collection time while it ran, and the bytes its budget still held after the image was closed.
 */
public record DecodeOutcome(
    Result result,
    long nanos,
    long cpuNanos,
    long gcNanos,
    long reservedAfter,
    int width,
    int height,
    Throwable error
) {

    public enum Result {
        /** An image came out (and was closed). */
        DECODED,
        /** {@code InvalidImageException}: not an image, corrupt, truncated, too large (a 400). */
        INVALID,
        /** {@code MemoryBudget.Exhausted}: the memory is busy right now (a 429). */
        EXHAUSTED,
        /** Anything else thrown: an exception the decoder let through, or an {@link Error}. */
        FAILED,
        /** Still running at the hang limit; the thread was given up. */
        HUNG
    }

    public long millis() {
        return nanos / 1_000_000;
    }

    /** CPU time of the decoding thread plus garbage collection time while it ran: the work the decode caused. */
    public long workMillis() {
        return (cpuNanos + gcNanos) / 1_000_000;
    }

    /**
     * What is wrong with this outcome, or null when nothing is; {@code limitMillis} is the {@link #workMillis() work}
     * a decode may take (see {@link BoundedDecoder} for why not the wall-clock time).
     */
    public String problem(long limitMillis) {
        if (result == Result.HUNG) {
            return "given up unfinished after " + millis() + " ms (" + workMillis() + " ms of CPU and GC)";
        }
        if (result == Result.FAILED) {
            return "threw " + describe(error);
        }
        if (reservedAfter != 0) {
            return result.name().toLowerCase(Locale.ROOT) + " but left " + reservedAfter + " bytes reserved in the budget";
        }
        if (workMillis() > limitMillis) {
            return result.name().toLowerCase(Locale.ROOT) + " after " + workMillis() + " ms of CPU and GC (" + millis()
                + " ms), above the limit of " + limitMillis + " ms";
        }
        if (result == Result.DECODED && (long) width * height > ImageDecoder.DEFAULT_WORKING_MAX_PIXELS) {
            return "decoded to " + width + "x" + height + ", above the working size of " + ImageDecoder.DEFAULT_WORKING_MAX_PIXELS + " pixels";
        }
        return null;
    }

    /** A short key that groups the same failure: the throwable's class and the first frame that threw it. */
    public String signature() {
        if (result != Result.FAILED || error == null) {
            return result.name();
        }
        StackTraceElement[] frames = error.getStackTrace();
        return error.getClass().getName() + (frames.length > 0 ? " at " + frames[0] : "");
    }

    /** {@code result} and what it carries, for tables: {@code invalid: JPEG image is truncated...}, {@code decoded 97x61}. */
    public String summary() {
        return switch (result) {
            case DECODED -> "decoded " + width + "x" + height;
            case HUNG -> "hung";
            case FAILED -> "failed: " + describe(error);
            default -> result.name().toLowerCase(Locale.ROOT) + ": " + printable(error.getMessage());
        };
    }

    /** {@code s} with control characters (a reader's message may quote the file's bytes) shown as {@code ?}. */
    private static String printable(String s) {
        return s == null ? null : s.replaceAll("[\\p{Cntrl}&&[^\\t]]", "?");
    }

    /** The throwable's class and message, and the frames where it was thrown (up to four). */
    static String describe(Throwable t) {
        if (t == null) {
            return "(nothing)";
        }
        StringBuilder out = new StringBuilder(t.getClass().getName());
        if (t.getMessage() != null) {
            String message = t.getMessage();
            out.append(": ").append(printable(message.length() > 300 ? message.substring(0, 300) + "..." : message));
        }
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < Math.min(4, frames.length); i++) {
            out.append(i == 0 ? " at " : " < ").append(frames[i]);
        }
        return out.toString();
    }
}
