package io.facesearch.transport;

import org.opensearch.action.ActionType;

/** What each node's face work has done: {@code GET _plugins/_face/stats}. */
public final class StatsAction extends ActionType<NodeReportsResponse> {
    public static final String NAME = "cluster:monitor/face_search/stats";
    public static final StatsAction INSTANCE = new StatsAction();

    private StatsAction() {
        super(NAME, NodeReportsResponse::new);
    }
}
