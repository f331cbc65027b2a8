package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** Lists the persons of a people index, or shows one with its faces: {@code GET _plugins/_face/people/{index}[/{person}]}. */
public final class GetPeopleAction extends ActionType<PeopleResponse> {
    public static final String NAME = "indices:data/read/face_search/people/get";
    public static final GetPeopleAction INSTANCE = new GetPeopleAction();

    private GetPeopleAction() {
        super(NAME, PeopleResponse::new);
    }
}
