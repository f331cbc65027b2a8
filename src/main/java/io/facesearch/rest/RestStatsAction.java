package io.facesearch.rest;

import io.facesearch.transport.StatsAction;

/** {@code GET _plugins/_face/stats} and {@code GET _plugins/_face/{nodeId}/stats}: what each node's face work has done. */
public class RestStatsAction extends RestNodeReportsAction {

    public RestStatsAction() {
        super("stats", StatsAction.INSTANCE);
    }
}
