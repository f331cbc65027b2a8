package io.facesearch.qa.bench;

import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A small JSON-over-HTTP client for one node, on {@link java.net.http.HttpClient} (keep-alive connections,
 * safe to share between threads). Responses are parsed with OpenSearch's own JSON parser.
 */
public final class NodeHttpClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
    private static final String SCROLL_KEEP_ALIVE = "2m";

    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;

    public NodeHttpClient(String url) {
        this(url, REQUEST_TIMEOUT);
    }

    /** A client whose requests give up after {@code requestTimeout} (an {@link java.net.http.HttpTimeoutException}). */
    public NodeHttpClient(String url, Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try {
            this.base = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new BenchException("--url is not a valid URL: [" + url + "]");
        }
        if (base.getScheme() == null || base.getHost() == null) {
            throw new BenchException("--url must look like http://host:port, got [" + url + "]");
        }
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public URI base() {
        return base;
    }

    /**
     * The outcome of one request: status, parsed JSON body (null when the body is not JSON), and the time
     * from sending the request to having read the whole response body.
     */
    public record Response(int status, Map<String, Object> body, String rawBody, long nanos) {
        /** {@code error.type} of an OpenSearch error body, or null. */
        public String errorType() {
            Object error = body == null ? null : body.get("error");
            return error instanceof Map<?, ?> map && map.get("type") != null ? map.get("type").toString() : null;
        }

        /** {@code error.reason} of an OpenSearch error body, else the raw body. */
        public String errorReason() {
            Object error = body == null ? null : body.get("error");
            if (error instanceof Map<?, ?> map && map.get("reason") != null) {
                return map.get("reason").toString();
            }
            return rawBody.length() > 500 ? rawBody.substring(0, 500) + "..." : rawBody;
        }

        public String describe() {
            String type = errorType();
            return "HTTP " + status + (type == null ? "" : " " + type) + ": " + errorReason();
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(requestTimeout).GET().build());
    }

    /** POSTs a JSON body given in parts (sent back to back, not copied into one array). */
    public Response post(String path, List<byte[]> bodyParts) {
        HttpRequest request = HttpRequest.newBuilder(uri(path))
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArrays(bodyParts))
            .build();
        return send(request);
    }

    /** Any method, with an optional JSON body given in parts (null: no body); {@code contentType} null means JSON. */
    public Response request(String method, String path, List<byte[]> bodyParts, String contentType) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(requestTimeout);
        if (bodyParts == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", contentType == null ? "application/json" : contentType);
            builder.method(method, HttpRequest.BodyPublishers.ofByteArrays(bodyParts));
        }
        return send(builder.build());
    }

    /** Like {@link #request} with a JSON body given as a string (null: none), failing unless the status is 2xx. */
    public Response ok(String method, String path, String json) {
        Response response = request(method, path, json == null ? null : List.of(json.getBytes(StandardCharsets.UTF_8)), null);
        if (response.status() / 100 != 2) {
            throw new BenchException(method + " " + uri(path) + " answered " + response.describe());
        }
        return response;
    }

    /** CPU time of the node's process so far ({@code _nodes/_local/stats/process}), or -1 when it cannot be read. */
    public long processCpuMillis() {
        try {
            Response response = get("/_nodes/_local/stats/process?filter_path=nodes.*.process.cpu.total_in_millis");
            if (response.status() == 200 && response.body() != null && response.body().get("nodes") instanceof Map<?, ?> nodes) {
                for (Object node : nodes.values()) {
                    if (node instanceof Map<?, ?> m && m.get("process") instanceof Map<?, ?> process
                        && process.get("cpu") instanceof Map<?, ?> cpu && cpu.get("total_in_millis") instanceof Number millis) {
                        return millis.longValue();
                    }
                }
            }
        } catch (BenchException e) {
            // not essential
        }
        return -1;
    }

    /** {@code nodes.<the only node>} of a {@code _nodes/_local/...} answer, or null. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> localNode(Map<String, Object> nodesAnswer) {
        if (nodesAnswer != null && nodesAnswer.get("nodes") instanceof Map<?, ?> nodes) {
            for (Object node : nodes.values()) {
                if (node instanceof Map<?, ?> m) {
                    return (Map<String, Object>) m;
                }
            }
        }
        return null;
    }

    /** GETs {@code path} and fails unless the answer is 200 with a JSON object. */
    public Map<String, Object> getJson(String path) {
        Response response = get(path);
        if (response.status() != 200 || response.body() == null) {
            throw new BenchException("GET " + uri(path) + " answered " + response.describe());
        }
        return response.body();
    }

    /**
     * Hands every hit of the search {@code body} over {@code index} to {@code consumer}, page by page through a scroll
     * (the body's {@code size} is the page size; sort by {@code _doc} for the cheapest pages), and clears the scroll.
     */
    public void scroll(String index, String body, Consumer<Map<String, Object>> consumer) {
        Map<String, Object> page = ok("POST", "/" + index + "/_search?scroll=" + SCROLL_KEEP_ALIVE, body).body();
        Object scrollId = page.get("_scroll_id");
        try {
            while (true) {
                List<Map<String, Object>> hits = BenchJson.objects(at(page, "hits.hits"));
                if (hits.isEmpty()) {
                    return;
                }
                hits.forEach(consumer);
                page = ok(
                    "POST",
                    "/_search/scroll",
                    "{\"scroll\":\"" + SCROLL_KEEP_ALIVE + "\",\"scroll_id\":" + BenchJson.string(String.valueOf(page.get("_scroll_id"))) + "}"
                ).body();
                scrollId = page.get("_scroll_id");
            }
        } finally {
            if (scrollId != null) {
                request(
                    "DELETE",
                    "/_search/scroll",
                    List.of(("{\"scroll_id\":[" + BenchJson.string(scrollId.toString()) + "]}").getBytes(StandardCharsets.UTF_8)),
                    null
                );
            }
        }
    }

    private URI uri(String path) {
        return URI.create(base + (path.startsWith("/") ? path : "/" + path));
    }

    private Response send(HttpRequest request) {
        long start = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
            throw new BenchException(
                request.method() + " " + request.uri() + " failed: " + reason + (e instanceof ConnectException ? " (is the node running?)" : ""),
                e
            );
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
        long nanos = System.nanoTime() - start;
        byte[] bytes = response.body();
        return new Response(response.statusCode(), parse(bytes), new String(bytes, StandardCharsets.UTF_8), nanos);
    }

    static Map<String, Object> parse(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != '{') {
            return null;
        }
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            return XContentHelper.convertToMap(JsonXContent.jsonXContent, in, false);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code map.a.b.c} of a parsed JSON object, or null. */
    @SuppressWarnings("unchecked")
    public static Object at(Map<String, Object> map, String dottedPath) {
        Object current = map;
        for (String key : dottedPath.split("\\.")) {
            if (current instanceof Map<?, ?> m) {
                current = ((Map<String, Object>) m).get(key);
            } else {
                return null;
            }
        }
        return current;
    }
}
