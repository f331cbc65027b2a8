package io.facesearch.people;

import java.util.Map;

/**
 * The fields a face object of a photo index gains from people clustering: {@code person}, the id of the person it
 * belongs to (absent while unassigned), and {@code not_persons}, the persons a user said it is not.
 */
public final class FacePersonFields {
    /** The nested faces of a photo index that people clustering reads and writes. */
    public static final String FACES = "faces";
    public static final String PERSON = "person";
    public static final String NOT_PERSONS = "not_persons";
    public static final String EMBEDDING = "embedding";

    private FacePersonFields() {}

    public static String person() {
        return FACES + "." + PERSON;
    }

    public static String notPersons() {
        return FACES + "." + NOT_PERSONS;
    }

    public static String embedding() {
        return FACES + "." + EMBEDDING;
    }

    /** Both fields, as they go inside the face object's {@code properties}: keywords, matched exactly. */
    public static Map<String, Object> properties() {
        return Map.of(PERSON, Map.of("type", "keyword"), NOT_PERSONS, Map.of("type", "keyword"));
    }

    /** A put-mapping body that adds both fields to the faces of an existing photo index. */
    public static Map<String, Object> mappingUpdate() {
        return Map.of("properties", Map.of(FACES, Map.of("type", "nested", "properties", properties())));
    }
}
