package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** Which models each node loaded, or why not: {@code GET _plugins/_face/models}. */
public final class ModelsAction extends ActionType<NodeReportsResponse> {
    public static final String NAME = "cluster:monitor/face_search/models";
    public static final ModelsAction INSTANCE = new ModelsAction();

    private ModelsAction() {
        super(NAME, NodeReportsResponse::new);
    }
}
