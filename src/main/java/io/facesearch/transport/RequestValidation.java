package io.facesearch.transport;

import org.opensearch.action.ActionRequestValidationException;

/** Validation errors of the plugin's requests built in Java rather than parsed from JSON (which checks as it reads). */
final class RequestValidation {
    private RequestValidation() {}

    static ActionRequestValidationException missing(String field) {
        ActionRequestValidationException e = new ActionRequestValidationException();
        e.addValidationError("[" + field + "] is required");
        return e;
    }
}
