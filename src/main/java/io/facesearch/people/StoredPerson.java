package io.facesearch.people;

import java.util.Map;

/**
 * A person as its document in the people index holds it (without its centroid).
 *
 * @param name      the name a user gave it, or null
 * @param named     whether a user named it: a run never renames, drops or splits it
 * @param edited    whether a user merged or split it: a full run keeps it as it is
 * @param faceCount faces it had when written
 * @param createdAt when it was made (ISO 8601)
 * @param embedderSha256 the embedder of the faces its centroid was computed from, or null
 */
public record StoredPerson(
    String id,
    String name,
    boolean named,
    boolean edited,
    int faceCount,
    int photoCount,
    String createdAt,
    String embedderSha256
) {

    /** Locked persons keep their faces in a full run. */
    public boolean locked() {
        return named || edited;
    }

    static StoredPerson of(String id, Map<String, Object> source) {
        return new StoredPerson(
            id,
            source.get(PeopleIndex.NAME) instanceof String name ? name : null,
            Boolean.TRUE.equals(source.get(PeopleIndex.NAMED)),
            Boolean.TRUE.equals(source.get(PeopleIndex.EDITED)),
            source.get(PeopleIndex.FACE_COUNT) instanceof Number count ? count.intValue() : 0,
            source.get(PeopleIndex.PHOTO_COUNT) instanceof Number count ? count.intValue() : 0,
            source.get(PeopleIndex.CREATED_AT) instanceof String created ? created : null,
            source.get(PeopleIndex.MODEL) instanceof Map<?, ?> model && model.get("embedder_sha256") instanceof String sha ? sha : null
        );
    }
}
