package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** Erases a subject's faces from photo indices: {@code POST _plugins/_face/_erase}. */
public final class EraseAction extends ActionType<ReportResponse> {
    /** A write of the photo indices (and their people indices), checked on the indices named. */
    public static final String NAME = "indices:data/write/face_search/erase";
    public static final EraseAction INSTANCE = new EraseAction();

    private EraseAction() {
        super(NAME, ReportResponse::new);
    }
}
