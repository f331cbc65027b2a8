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
sealed interface QueryInput extends Writeable permits QueryInput.Vector, QueryInput.Image, QueryInput.Text, FaceReference,
    QueryInput.Person, QueryInput.PersonCentroid {

    /** The query option that gives this input. */
    String option();

    /** Whether a shard can search with this input as it is: a vector, or a person with its centroid. */
    default boolean resolved() {
        return false;
    }

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
            case Person.OPTION -> new Person(in.readString(), in.readOptionalString());
            case PersonCentroid.OPTION -> new PersonCentroid(in.readString(), in.readString(), in.readFloatArray());
            default -> throw new IllegalStateException("unknown query input [" + option + "]");
        };
    }

    record Vector(float[] values) implements QueryInput {
        static final String OPTION = "vector";

        @Override
        public boolean resolved() {
            return true;
        }

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

    /**
     * A person of a people index, by id or name, as the request gave it.
     *
     * @param peopleIndex null: that of the index searched, {@code {index}-people}
     */
    record Person(String person, String peopleIndex) implements QueryInput {
        static final String OPTION = "person";
        static final String PEOPLE_INDEX = "people_index";

        @Override
        public String option() {
            return OPTION;
        }

        @Override
        public void toXContent(XContentBuilder builder) throws IOException {
            builder.field(OPTION, person);
            if (peopleIndex != null) {
                builder.field(PEOPLE_INDEX, peopleIndex);
            }
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(person);
            out.writeOptionalString(peopleIndex);
        }
    }

    /** A person found on the coordinating node: its id, the people index that holds it, and its centroid. */
    record PersonCentroid(String id, String peopleIndex, float[] centroid) implements QueryInput {
        static final String OPTION = "person_centroid";

        @Override
        public String option() {
            return OPTION;
        }

        @Override
        public boolean resolved() {
            return true;
        }

        /** As the request could have given it: the person's id and its people index. */
        @Override
        public void toXContent(XContentBuilder builder) throws IOException {
            builder.field(Person.OPTION, id).field(Person.PEOPLE_INDEX, peopleIndex);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(id);
            out.writeString(peopleIndex);
            out.writeFloatArray(centroid);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof PersonCentroid that && id.equals(that.id) && peopleIndex.equals(that.peopleIndex) && Arrays.equals(centroid, that.centroid);
        }

        @Override
        public int hashCode() {
            return 31 * id.hashCode() + Arrays.hashCode(centroid);
        }
    }
}
