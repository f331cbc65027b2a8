package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** A photo index's pipeline, models and mapping check: {@code GET _plugins/_face/index/{index}}. */
public final class GetPhotoIndexAction extends ActionType<ReportResponse> {
    public static final String NAME = "indices:admin/face_search/photo_index/get";
    public static final GetPhotoIndexAction INSTANCE = new GetPhotoIndexAction();

    private GetPhotoIndexAction() {
        super(NAME, ReportResponse::new);
    }
}
