package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** Are the faces of two photos the same person? {@code POST _plugins/_face/verify}. */
public final class VerifyAction extends ActionType<VerifyResponse> {
    public static final String NAME = "cluster:admin/face_search/verify";
    public static final VerifyAction INSTANCE = new VerifyAction();

    private VerifyAction() {
        super(NAME, VerifyResponse::new);
    }
}
