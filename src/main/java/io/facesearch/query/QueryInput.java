package io.facesearch.query;

import io.facesearch.common.EncodedPhoto;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Arrays;

/**
 * What a vector query looks for, as its request gave it: a vector, or what the coordinating node turns into one
 * before the query reaches the shards (a photo or a text to embed, a face already indexed to look up).
 */
sealed interface QueryInput extends Writeable permits QueryInput.Vector, QueryInput.Image, QueryInput.Text, FaceReference {

    /** The query option that gives this input. */
    String option();

    /** Writes the option and its value into a query's JSON form. */
    void toXContent(XContentBuilder builder) throws IOException;

    static void write(QueryInput input, StreamOutput out) throws IOException {
        out.writeString(input.option());
        input.writeTo(out);
    }

    static QueryInput read(StreamInput in) throws IOException {
        String option = in.readString();
        return switch (option) {
            case Vector.OPTION -> new Vector(in.readFloatArray());
            case Image.OPTION -> new Image(new EncodedPhoto(in));
            case Text.OPTION -> new Text(in.readString());
            case FaceReference.OPTION -> new FaceReference(in);
            default -> throw new IllegalStateException("unknown query input [" + option + "]");
        };
    }

    record Vector(float[] values) implements QueryInput {
        static final String OPTION = "vector";

        @Override
        public String option() {
            return OPTION;
        }

        @Override
        public void toXContent(XContentBuilder builder) throws IOException {
            builder.array(OPTION, values);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeFloatArray(values);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Vector vector && Arrays.equals(values, vector.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    /** A photo, in base64 as the request gave it: decoded by the worker that embeds it, not by the thread that parsed it. */
    record Image(EncodedPhoto photo) implements QueryInput {
        static final String OPTION = "image";

        @Override
        public String option() {
            return OPTION;
        }

        @Override
        public void toXContent(XContentBuilder builder) throws IOException {
            builder.field(OPTION, photo.base64());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            photo.writeTo(out);
        }
    }

    record Text(String text) implements QueryInput {
        static final String OPTION = "text";

        @Override
        public String option() {
            return OPTION;
        }

        @Override
        public void toXContent(XContentBuilder builder) throws IOException {
            builder.field(OPTION, text);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(text);
        }
    }
}
