package io.facesearch.transport;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;

/** A person's new name: {@code {"name": "Ada"}}. */
public class NamePersonRequest extends PeopleRequest {
    /** Names are keywords: longer ones are not indexed whole. */
    public static final int MAX_NAME_LENGTH = 256;

    private final String person;
    private final String name;

    public NamePersonRequest(String[] indices, String peopleIndex, String person, String name) {
        super(indices, peopleIndex);
        this.person = person;
        this.name = name;
    }

    public NamePersonRequest(StreamInput in) throws IOException {
        super(in);
        this.person = in.readString();
        this.name = in.readString();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeString(person);
        out.writeString(name);
    }

    public static NamePersonRequest parse(String[] indices, String peopleIndex, String person, XContentParser parser) throws IOException {
        return FieldReader.body(parser, p -> {
            String name = null;
            while (p.nextToken() == XContentParser.Token.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("name")) {
                    name = FieldReader.string(p, field);
                } else {
                    throw FieldValues.unknownField(field, "[name]");
                }
            }
            FieldValues.required(name, "name");
            if (name.length() > MAX_NAME_LENGTH) {
                throw FieldValues.invalid("name", "must be at most " + MAX_NAME_LENGTH + " characters long, got " + name.length());
            }
            return new NamePersonRequest(indices, peopleIndex, person, name);
        });
    }

    public String person() {
        return person;
    }

    public String name() {
        return name;
    }

    @Override
    public String getDescription() {
        return "name person [" + person + "] of " + String.join(",", indices());
    }
}
