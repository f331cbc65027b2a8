package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** Names a person: {@code POST _plugins/_face/people/{index}/{person}/_name}. */
public final class NamePersonAction extends ActionType<PeopleResponse> {
    public static final String NAME = "indices:data/write/face_search/people/name";
    public static final NamePersonAction INSTANCE = new NamePersonAction();

    private NamePersonAction() {
        super(NAME, PeopleResponse::new);
    }
}
