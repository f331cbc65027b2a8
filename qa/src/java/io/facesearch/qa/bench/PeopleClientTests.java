package io.facesearch.qa.bench;

import org.junit.Test;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** Telling a missing people endpoint from the endpoint's own errors. */
public class PeopleClientTests {
    private static NodeHttpClient.Response response(int status, String body) {
        return new NodeHttpClient.Response(status, NodeHttpClient.parse(body.getBytes()), body, 0);
    }

    @Test
    public void recognisesAnUnknownEndpoint() {
        assertTrue(
            PeopleClient.isMissingEndpoint(
                response(400, "{\"error\":\"no handler found for uri [/_plugins/_face/people/x/_cluster] and method [POST]\"}")
            )
        );
        assertTrue(
            PeopleClient.isMissingEndpoint(
                response(405, "{\"error\":\"Incorrect HTTP method for uri [/_plugins/_face/people/x/_cluster] and method [POST], allowed: [GET]\",\"status\":405}")
            )
        );
    }

    @Test
    public void theEndpointsOwnErrorsAreNotAMissingEndpoint() {
        assertFalse(
            PeopleClient.isMissingEndpoint(
                response(400, "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"[min_faces] must be an integer, got 1.5\"},\"status\":400}")
            )
        );
        assertFalse(
            PeopleClient.isMissingEndpoint(
                response(404, "{\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such index [x]\"},\"status\":404}")
            )
        );
        assertFalse(PeopleClient.isMissingEndpoint(response(200, "{\"took\":5}")));
    }
}
