package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** Creates a photo index and its pipeline together, or neither: {@code PUT _plugins/_face/index/{index}}. */
public final class CreatePhotoIndexAction extends ActionType<CreatePhotoIndexResponse> {
    public static final String NAME = "indices:admin/face_search/photo_index/create";
    public static final CreatePhotoIndexAction INSTANCE = new CreatePhotoIndexAction();

    private CreatePhotoIndexAction() {
        super(NAME, CreatePhotoIndexResponse::new);
    }
}
