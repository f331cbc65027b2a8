package io.facesearch.rest;

import io.facesearch.transport.ModelsAction;

/** {@code GET _plugins/_face/models} and {@code GET _plugins/_face/{nodeId}/models}: which models each node loaded, or why not. */
public class RestModelsAction extends RestNodeReportsAction {

    public RestModelsAction() {
        super("models", ModelsAction.INSTANCE);
    }
}
