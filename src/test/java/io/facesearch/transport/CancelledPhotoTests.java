package io.facesearch.transport;

import io.facesearch.plugin.FaceSearchIntegTestCase;
import io.facesearch.vision.image.HostileImagesAccess;

import org.opensearch.client.Request;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A detect request shows in {@code _tasks} under its action name while it decodes, and {@code _tasks/_cancel} stops
 * it: the client gets a task_cancelled_exception and the stats count a cancelled photo.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class CancelledPhotoTests extends FaceSearchIntegTestCase {

    @SuppressWarnings("unchecked")
    public void testADetectRequestIsATaskThatCanBeCancelled() throws Exception {
        // a PNG of 100 million pixels takes its reader a second or more, row by row
        String photo = Base64.getEncoder().encodeToString(HostileImagesAccess.blackPng(10000, 9999));
        RestClient client = getRestClient();
        CompletableFuture<Exception> answer = CompletableFuture.supplyAsync(() -> {
            try {
                client.performRequest(jsonRequest("POST", "/_plugins/_face/detect", "{\"image\": \"" + photo + "\"}"));
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Map<String, Object> task = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (task == null && System.nanoTime() < deadline && answer.isDone() == false) {
            Map<String, Object> tasks = call(new Request("GET", "/_tasks?detailed=true&actions=" + DetectAction.NAME));
            for (Object node : ((Map<String, Object>) tasks.get("nodes")).values()) {
                for (Object running : ((Map<String, Object>) ((Map<String, Object>) node).get("tasks")).values()) {
                    task = (Map<String, Object>) running;
                }
            }
        }
        assertNotNull("the detect task shows in _tasks while it decodes; the request ended with " + (answer.isDone() ? answer.get() : "nothing yet"), task);
        assertEquals(DetectAction.NAME, task.get("action"));
        assertEquals(true, task.get("cancellable"));
        assertTrue(task.toString(), task.get("description").toString().startsWith("detect faces in a photo of"));

        call(new Request("POST", "/_tasks/_cancel?actions=" + DetectAction.NAME));
        Exception failure = answer.get(60, TimeUnit.SECONDS);
        assertNotNull("the cancelled request fails", failure);
        assertTrue(failure.toString(), failure instanceof ResponseException);
        ResponseException response = (ResponseException) failure;
        Map<?, ?> error = (Map<?, ?>) parse(response.getResponse()).get("error");
        assertEquals(error.toString(), "task_cancelled_exception", error.get("type"));

        Map<String, Object> stats = (Map<String, Object>) call(new Request("GET", "/_plugins/_face/stats")).get("nodes");
        long cancelled = 0;
        for (Object node : stats.values()) {
            cancelled += ((Number) ((Map<?, ?>) ((Map<?, ?>) node).get("failures")).get("cancelled")).longValue();
            assertEquals(0L, ((Number) ((Map<?, ?>) ((Map<?, ?>) node).get("breaker")).get("estimated_size_in_bytes")).longValue());
        }
        assertEquals(1, cancelled);
        assertEquals("as OpenSearch answers every cancelled task", 500, response.getResponse().getStatusLine().getStatusCode());
    }
}
