package io.facesearch.plugin;

import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.client.ResponseListener;
import org.opensearch.common.settings.Settings;
import org.opensearch.test.OpenSearchIntegTestCase;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A full inference queue rejects with 429 instead of queueing photos without bound. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 1, numClientNodes = 0)
public class InferenceQueueTests extends FaceSearchIntegTestCase {

    @Override
    protected Settings extraNodeSettings() {
        return Settings.builder().put("thread_pool.face_search.size", 1).put("thread_pool.face_search.queue_size", 1).build();
    }

    public void testRequestsBeyondTheQueueGet429() throws Exception {
        String body = "{\"image\": \"" + base64("odd/fr_obama-1080p.jpg") + "\"}";
        int requests = 12;
        CountDownLatch done = new CountDownLatch(requests);
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        for (int i = 0; i < requests; i++) {
            Request request = new Request("POST", "/_plugins/_face/detect");
            request.setJsonEntity(body);
            getRestClient().performRequestAsync(request, new ResponseListener() {
                @Override
                public void onSuccess(Response response) {
                    statuses.add(response.getStatusLine().getStatusCode());
                    done.countDown();
                }

                @Override
                public void onFailure(Exception e) {
                    statuses.add(e instanceof ResponseException re ? re.getResponse().getStatusLine().getStatusCode() : -1);
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(120, TimeUnit.SECONDS));
        assertTrue(statuses.toString(), statuses.stream().allMatch(status -> status == 200 || status == 429));
        assertTrue("some requests are served: " + statuses, statuses.contains(200));
        assertTrue("requests beyond one running and one queued are rejected: " + statuses, statuses.contains(429));
    }
}
