package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** Finds the faces of a photo: {@code POST _plugins/_face/detect}. */
public final class DetectAction extends ActionType<DetectResponse> {
    public static final String NAME = "cluster:admin/face_search/detect";
    public static final DetectAction INSTANCE = new DetectAction();

    private DetectAction() {
        super(NAME, DetectResponse::new);
    }
}
