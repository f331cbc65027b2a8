package io.facesearch.qa;

import io.facesearch.vision.image.HostileImagesAccess;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The plugin's endpoints on the real node as an operator and the security plugin see them: each runs as the transport
 * action of its name (seen in {@code GET _tasks?detailed}), stats count the work, and a photo index is created,
 * described and deleted with its pipeline, all or nothing.
 */
public class PluginApiIT extends FaceSearchRestTestCase {

    /** A request sent again and again until stopped. */
    @FunctionalInterface
    private interface Call {
        void send() throws IOException;
    }

    /**
     * The face_search actions seen in {@code GET _tasks?detailed} (matching {@code pattern}) while {@code call} runs
     * over and over on another thread, until every name of {@code expected} was seen or 60 s passed.
     */
    @SuppressWarnings("unchecked")
    private static Set<String> actionsSeen(String pattern, Set<String> expected, Call call) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        Thread sender = new Thread(() -> {
            while (done.get() == false) {
                try {
                    call.send();
                } catch (IOException e) {
                    // the answers do not matter here, only the tasks while they run
                }
            }
        });
        sender.start();
        Set<String> seen = new TreeSet<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.containsAll(expected) == false && System.nanoTime() < deadline) {
                Answer tasks = callOk("GET", "/_tasks", null, "detailed", "true", "actions", pattern);
                for (Object node : asMap(tasks.body().get("nodes")).values()) {
                    for (Object task : asMap(asMap(node).get("tasks")).values()) {
                        String action = String.valueOf(asMap(task).get("action"));
                        // a nodes action also runs as [n] children on each node
                        seen.add(action.endsWith("[n]") ? action.substring(0, action.length() - 3) : action);
                    }
                }
            }
        } finally {
            done.set(true);
            sender.join(TimeUnit.SECONDS.toMillis(120));
        }
        return seen;
    }

    public void testEachEndpointRunsAsTheTransportActionOfItsName() throws Exception {
        // a photo of 100 million pixels keeps its request busy for a second or more, long enough to be seen
        String slow = Base64.getEncoder().encodeToString(HostileImagesAccess.blackPng(10000, 9999));
        String face = base64Photo("people/Barack_Obama/fr_obama.jpg");
        callOk("PUT", "/_plugins/_face/index/api_tasks_gallery", null);
        Set<String> photos = Set.of("cluster:admin/face_search/detect", "cluster:admin/face_search/verify", "indices:data/read/face_search/identify");
        int[] turn = { 0 };
        Set<String> seen = actionsSeen("*face_search*", photos, () -> {
            switch (turn[0]++ % 3) {
                case 0 -> call("POST", "/_plugins/_face/detect", "{\"image\":\"" + slow + "\"}");
                case 1 -> call("POST", "/_plugins/_face/verify", "{\"image_a\":\"" + slow + "\",\"image_b\":\"" + face + "\"}");
                default -> call("POST", "/_plugins/_face/identify", "{\"index\":\"api_tasks_gallery\",\"image\":\"" + slow + "\"}");
            }
        });
        assertTrue("seen: " + seen, seen.containsAll(photos));

        Set<String> reports = Set.of("cluster:monitor/face_search/models", "cluster:monitor/face_search/stats");
        seen = actionsSeen("cluster:monitor/face_search*", reports, () -> {
            call("GET", "/_plugins/_face/models", null);
            call("GET", "/_plugins/_face/stats", null);
        });
        assertTrue("seen: " + seen, seen.containsAll(reports));

        Set<String> lifecycle = Set.of(
            "indices:admin/face_search/photo_index/create",
            "indices:admin/face_search/photo_index/get",
            "indices:admin/face_search/photo_index/delete"
        );
        seen = actionsSeen("indices:admin/face_search/photo_index/*", lifecycle, () -> {
            call("PUT", "/_plugins/_face/index/api_tasks_lifecycle", null);
            call("GET", "/_plugins/_face/index/api_tasks_lifecycle", null);
            call("DELETE", "/_plugins/_face/index/api_tasks_lifecycle", null);
        });
        assertTrue("seen: " + seen, seen.containsAll(lifecycle));
        callOk("DELETE", "/_plugins/_face/index/api_tasks_gallery", null);
    }

    private static Map<String, Object> localStats() throws IOException {
        Map<String, Object> nodes = asMap(callOk("GET", "/_plugins/_face/_local/stats", null).body().get("nodes"));
        assertEquals(1, nodes.size());
        return asMap(nodes.values().iterator().next());
    }

    public void testStatsCountTheWork() throws IOException {
        Map<String, Object> before = localStats();
        assertOk("detect", detect("people/Barack_Obama/fr_obama.jpg"));
        assertEquals(400, call("POST", "/_plugins/_face/detect", "{\"image\":\"" + Base64.getEncoder().encodeToString(new byte[] { 1, 2, 3 }) + "\"}").status());
        Map<String, Object> after = localStats();
        assertEquals(asLong(before.get("photos_analysed")) + 1, asLong(after.get("photos_analysed")));
        assertEquals(asLong(before.get("faces_found")) + 1, asLong(after.get("faces_found")));
        assertEquals(asLong(asMap(before.get("requests")).get("detect")) + 2, asLong(asMap(after.get("requests")).get("detect")));
        assertEquals(asLong(asMap(before.get("failures")).get("invalid_image")) + 1, asLong(asMap(after.get("failures")).get("invalid_image")));
        Map<String, Object> decode = asMap(asMap(after.get("latency")).get("decode"));
        assertTrue(decode.toString(), asDouble(decode.get("p50_ms")) > 0);
        assertEquals("loaded", asMap(after.get("models")).get("status"));
        assertEquals(0L, asLong(asMap(after.get("breaker")).get("estimated_size_in_bytes")));
    }

    public void testPhotoIndexIsCreatedDescribedAndDeletedWithItsPipeline() throws IOException {
        Answer created = callOk("PUT", "/_plugins/_face/index/api_lifecycle", "{\"processor\":{\"min_face_size\":20}}");
        assertEquals("face-search-api_lifecycle", created.body().get("pipeline"));
        Map<String, Object> pipeline = callOk("GET", "/_ingest/pipeline/face-search-api_lifecycle", null).body();

        Answer again = call("PUT", "/_plugins/_face/index/api_lifecycle", "{\"processor\":{\"min_face_size\":99}}");
        assertEquals(400, again.status());
        assertEquals("resource_already_exists_exception", again.errorType());
        assertEquals(pipeline, callOk("GET", "/_ingest/pipeline/face-search-api_lifecycle", null).body());

        Answer badName = call("PUT", "/_plugins/_face/index/Api_Bad", null);
        assertEquals(400, badName.status());
        assertEquals(404, call("GET", "/_ingest/pipeline/face-search-Api_Bad", null).status());

        Map<String, Object> report = callOk("GET", "/_plugins/_face/index/api_lifecycle", null).body();
        assertEquals(report.toString(), Boolean.TRUE, report.get("ready"));
        assertEquals(List.of(), report.get("problems"));

        callOk("DELETE", "/_plugins/_face/index/api_lifecycle", null);
        assertEquals(404, call("GET", "/api_lifecycle", null).status());
        assertEquals(404, call("GET", "/_ingest/pipeline/face-search-api_lifecycle", null).status());
        assertEquals(404, call("GET", "/_plugins/_face/index/api_lifecycle", null).status());
    }
}
