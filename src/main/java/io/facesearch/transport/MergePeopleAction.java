package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** Merges persons into one: {@code POST _plugins/_face/people/{index}/_merge}. */
public final class MergePeopleAction extends ActionType<PeopleResponse> {
    public static final String NAME = "indices:data/write/face_search/people/merge";
    public static final MergePeopleAction INSTANCE = new MergePeopleAction();

    private MergePeopleAction() {
        super(NAME, PeopleResponse::new);
    }
}
