package io.facesearch.common;

import io.facesearch.vision.image.Base64Photo;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;

import java.io.IOException;

/**
 * A photo of a request as it came, in base64, with the field it came in: decoded only by the worker that analyses
 * it ({@link #decode()}), never by the network thread that read the request.
 *
 * @param field  the request field, named in errors
 * @param base64 the photo as sent: plain base64, MIME with line breaks, or a {@code data:image/...;base64,} URI
 */
public record EncodedPhoto(String field, String base64) implements Writeable {

    public EncodedPhoto(StreamInput in) throws IOException {
        this(in.readString(), in.readString());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(field);
        out.writeString(base64);
    }

    /** The photo's bytes; an {@link IllegalArgumentException} naming the field when the base64 is not valid. */
    public byte[] decode() {
        return Base64Photo.decode(base64, field);
    }
}
