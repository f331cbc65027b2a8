package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** Groups the faces of photo indices into persons: {@code POST _plugins/_face/people/{index}/_cluster}. */
public final class ClusterPeopleAction extends ActionType<ClusterPeopleResponse> {
    /** An administrative write of the photo indices and their people index, checked on the indices named. */
    public static final String NAME = "indices:admin/face_search/people/cluster";
    public static final ClusterPeopleAction INSTANCE = new ClusterPeopleAction();

    private ClusterPeopleAction() {
        super(NAME, ClusterPeopleResponse::new);
    }
}
