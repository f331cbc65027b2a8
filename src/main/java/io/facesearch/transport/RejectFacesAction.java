package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** Takes faces out of a person, for good ("not this person"): {@code POST _plugins/_face/people/{index}/{person}/_reject}. */
public final class RejectFacesAction extends ActionType<PeopleResponse> {
    public static final String NAME = "indices:data/write/face_search/people/reject";
    public static final RejectFacesAction INSTANCE = new RejectFacesAction();

    private RejectFacesAction() {
        super(NAME, PeopleResponse::new);
    }
}
