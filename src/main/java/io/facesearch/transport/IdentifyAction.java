package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** Who is this? The k1/k2 identity vote over the nearest faces of a photo index: {@code POST _plugins/_face/identify}. */
public final class IdentifyAction extends ActionType<IdentifyResponse> {
    /** A read of the photo indices it searches: the security plugin checks the caller may read them. */
    public static final String NAME = "indices:data/read/face_search/identify";
    public static final IdentifyAction INSTANCE = new IdentifyAction();

    private IdentifyAction() {
        super(NAME, IdentifyResponse::new);
    }
}
