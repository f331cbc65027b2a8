package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** Deletes a photo index and its pipeline: {@code DELETE _plugins/_face/index/{index}}. */
public final class DeletePhotoIndexAction extends ActionType<ReportResponse> {
    public static final String NAME = "indices:admin/face_search/photo_index/delete";
    public static final DeletePhotoIndexAction INSTANCE = new DeletePhotoIndexAction();

    private DeletePhotoIndexAction() {
        super(NAME, ReportResponse::new);
    }
}
