package io.facesearch.qa.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The face-search people API as the clustering benchmark uses it: {@code POST _plugins/_face/people/{index}/_cluster},
 * {@code POST _plugins/_face/people/{index}/{person}/_name}, and the people index they write (person documents whose
 * {@code _id} is the person id, with their {@code name}).
 */
final class PeopleClient {
    static final String PEOPLE_PATH = "/_plugins/_face/people/";

    private final NodeHttpClient client;
    private final NodeHttpClient clusterClient;
    private final boolean waitForCompletion;

    /**
     * @param clusterTimeout     how long one {@code _cluster} request (or one wait for its task) may take
     * @param waitForCompletion  false: start each clustering as a task ({@code wait_for_completion=false}) and wait for
     *                           the task through {@code GET _tasks}
     */
    PeopleClient(NodeHttpClient client, Duration clusterTimeout, boolean waitForCompletion) {
        this.client = client;
        this.clusterClient = new NodeHttpClient(client.base().toString(), clusterTimeout);
        this.waitForCompletion = waitForCompletion;
    }

    /**
     * One clustering run.
     *
     * @param wallNanos  from sending the request to having the answer (with a task: to seeing it completed)
     * @param answer     the node's answer: took, mode, faces_considered, faces_assigned, faces_unassigned, persons, ...
     */
    record ClusterRun(long wallNanos, Map<String, Object> answer) {
        long took() {
            return (long) BenchJson.number(answer.get("took"), -1);
        }

        long number(String field) {
            return (long) BenchJson.number(answer.get(field), -1);
        }

        /** The people index the run wrote, or {@code fallback} when the answer does not name it. */
        String peopleIndex(String fallback) {
            Object name = answer.get("people_index");
            return name == null ? fallback : name.toString();
        }
    }

    /** The people index a photo index gets unless the request names another. */
    static String defaultPeopleIndex(String index) {
        return index + "-people";
    }

    /** Clusters the faces of {@code index} with the request body {@code body} (a JSON object). */
    ClusterRun cluster(String index, String body) {
        String path = PEOPLE_PATH + index + "/_cluster";
        long start = System.nanoTime();
        if (waitForCompletion) {
            NodeHttpClient.Response r = clusterClient.request("POST", path, bodyParts(body), null);
            check("POST " + path, r);
            return new ClusterRun(System.nanoTime() - start, r.body());
        }
        NodeHttpClient.Response r = client.request("POST", path + "?wait_for_completion=false", bodyParts(body), null);
        check("POST " + path + "?wait_for_completion=false", r);
        Object task = r.body().get("task");
        if (task == null) {
            throw new BenchException("POST " + path + "?wait_for_completion=false answered no task: " + r.rawBody());
        }
        while (true) {
            NodeHttpClient.Response t = clusterClient.get("/_tasks/" + task + "?wait_for_completion=true&timeout=60s");
            if (t.status() == 200 && t.body() != null && Boolean.TRUE.equals(t.body().get("completed"))) {
                long wall = System.nanoTime() - start;
                if (t.body().get("error") != null) {
                    throw new BenchException("clustering task " + task + " of " + index + " failed: " + t.body().get("error"));
                }
                if ((t.body().get("response") instanceof Map<?, ?>) == false) {
                    throw new BenchException("clustering task " + task + " of " + index + " completed without a response: " + t.rawBody());
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> answer = (Map<String, Object>) t.body().get("response");
                return new ClusterRun(wall, answer);
            }
            if (t.status() != 200 && t.status() != 408 && "timeout_exception".equals(t.errorType()) == false) {
                throw new BenchException("waiting for clustering task " + task + " answered " + t.describe());
            }
        }
    }

    /** Names person {@code person} of {@code index}. */
    void name(String index, String person, String name) {
        String path = PEOPLE_PATH + index + "/" + URLEncoder.encode(person, StandardCharsets.UTF_8).replace("+", "%20") + "/_name";
        NodeHttpClient.Response r = client.request("POST", path, bodyParts("{\"name\":" + BenchJson.string(name) + "}"), null);
        check("POST " + path, r);
    }

    /** Every person of {@code peopleIndex}, to its name (a null value: unnamed). */
    Map<String, String> persons(String peopleIndex) {
        client.ok("POST", "/" + peopleIndex + "/_refresh", null);
        Map<String, String> persons = new HashMap<>();
        client.scroll(peopleIndex, "{\"size\":1000,\"sort\":[\"_doc\"],\"_source\":[\"name\"]}", hit -> {
            Object source = hit.get("_source");
            Object name = source instanceof Map<?, ?> m ? m.get("name") : null;
            persons.put(String.valueOf(hit.get("_id")), name == null ? null : name.toString());
        });
        return persons;
    }

    private static List<byte[]> bodyParts(String json) {
        return List.of(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void check(String request, NodeHttpClient.Response r) {
        if (isMissingEndpoint(r)) {
            throw new BenchException(
                request + " is not an endpoint of this node (" + r.describe() + "): its face-search plugin has no people API "
                    + "(POST _plugins/_face/people/{index}/_cluster, .../{person}/_name); run the benchmark against a build that has it"
            );
        }
        if (r.status() / 100 != 2 || r.body() == null) {
            throw new BenchException(request + " answered " + r.describe());
        }
    }

    /**
     * Whether an answer says that no REST handler takes the request: OpenSearch answers an unknown path 400 "no handler
     * found for uri [...] and method [...]" (some versions and proxies 404), and a path known for other methods only
     * 405 "Incorrect HTTP method for uri [...]".
     */
    static boolean isMissingEndpoint(NodeHttpClient.Response r) {
        if (r.status() != 400 && r.status() != 404 && r.status() != 405) {
            return false;
        }
        String text = r.rawBody();
        return text.contains("no handler found for uri") || text.contains("Incorrect HTTP method for uri");
    }
}
