package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** Moves faces of a person into another or a new one: {@code POST _plugins/_face/people/{index}/{person}/_split}. */
public final class SplitPersonAction extends ActionType<PeopleResponse> {
    public static final String NAME = "indices:data/write/face_search/people/split";
    public static final SplitPersonAction INSTANCE = new SplitPersonAction();

    private SplitPersonAction() {
        super(NAME, PeopleResponse::new);
    }
}
