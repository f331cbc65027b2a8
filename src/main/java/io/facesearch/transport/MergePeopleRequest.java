package io.facesearch.transport;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;
import io.facesearch.people.PersonEditor;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Persons to merge, and the one they become: {@code {"persons": ["a", "b"], "into": "a"}}. */
public class MergePeopleRequest extends PeopleRequest {
    private final List<String> persons;
    private final String into;

    public MergePeopleRequest(String[] indices, String peopleIndex, List<String> persons, String into) {
        super(indices, peopleIndex);
        this.persons = persons;
        this.into = into;
    }

    public MergePeopleRequest(StreamInput in) throws IOException {
        super(in);
        this.persons = in.readStringList();
        this.into = in.readString();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeStringCollection(persons);
        out.writeString(into);
    }

    public static MergePeopleRequest parse(String[] indices, String peopleIndex, XContentParser parser) throws IOException {
        return FieldReader.body(parser, p -> {
            List<String> persons = null;
            String into = null;
            while (p.nextToken() == XContentParser.Token.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "persons" -> persons = readPersons(p, field);
                    case "into" -> into = FieldReader.string(p, field);
                    default -> throw FieldValues.unknownField(field, "[persons, into]");
                }
            }
            FieldValues.required(persons, "persons");
            String target = into == null ? persons.get(0) : into;
            if (persons.stream().allMatch(target::equals)) {
                throw FieldValues.invalid("persons", "must name at least one person besides [into] [" + target + "]");
            }
            return new MergePeopleRequest(indices, peopleIndex, persons, target);
        });
    }

    private static List<String> readPersons(XContentParser parser, String field) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            throw FieldValues.invalid(field, "must be an array of person ids, got " + FieldReader.describe(parser, field));
        }
        List<String> persons = new ArrayList<>();
        while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
            if (persons.size() == PersonEditor.MAX_MERGED) {
                throw FieldValues.invalid(field, "must name at most " + PersonEditor.MAX_MERGED + " persons");
            }
            persons.add(FieldReader.string(parser, field + "][" + persons.size()));
        }
        if (persons.isEmpty()) {
            throw FieldValues.invalid(field, "must not be empty");
        }
        return persons;
    }

    public List<String> persons() {
        return persons;
    }

    public String into() {
        return into;
    }

    @Override
    public String getDescription() {
        return "merge persons " + persons + " into [" + into + "] of " + String.join(",", indices());
    }
}
