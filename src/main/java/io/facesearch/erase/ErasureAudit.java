package io.facesearch.erase;

import org.opensearch.ResourceAlreadyExistsException;
import org.opensearch.action.admin.indices.create.CreateIndexRequest;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.action.support.WriteRequest;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.transport.client.Client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The record of every erasure (dry runs included: they answer subject-access requests) in a hidden index of the plugin:
 * when, by whom, on which criteria (never the photo or the vector), what it found and removed, and whether the check
 * after it found nothing left. Written as the plugin, not as the user, so a user who may erase photos cannot skip or
 * rewrite the record.
 */
public final class ErasureAudit {
    public static final String INDEX = ".face-search-audit";
    /** The transient the security plugin puts the authenticated user in: {@code name|backend roles|roles|tenant}. */
    static final String SECURITY_USER_INFO = "_opendistro_security_user_info";

    private final Client client;
    private final ThreadContext threadContext;

    public ErasureAudit(Client client, ThreadContext threadContext) {
        this.client = client;
        this.threadContext = threadContext;
    }

    /** The user the security plugin authenticated for the current request, or null without the security plugin. */
    public static String user(ThreadContext threadContext) {
        Object info = threadContext.getTransient(SECURITY_USER_INFO);
        if ((info instanceof String) == false || ((String) info).isEmpty()) {
            return null;
        }
        String text = (String) info;
        int end = text.indexOf('|');
        return end < 0 ? text : text.substring(0, end);
    }

    /** Writes one record and waits until it is searchable. */
    public void record(Map<String, Object> record) {
        try (ThreadContext.StoredContext ignored = threadContext.stashContext()) {
            createIndex();
            client.index(new IndexRequest(INDEX).source(record, MediaTypeRegistry.JSON).setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE)).actionGet();
        }
    }

    private void createIndex() {
        if (client.admin().indices().prepareExists(INDEX).get().isExists()) {
            return;
        }
        try {
            client.admin()
                .indices()
                .create(new CreateIndexRequest(INDEX).settings(settings()).mapping(mapping()))
                .actionGet();
        } catch (ResourceAlreadyExistsException e) {
            // made by an erasure beside this one
        }
    }

    static Settings settings() {
        return Settings.builder()
            .put("index.hidden", true)
            .put("index.number_of_shards", 1)
            .put("index.auto_expand_replicas", "0-1")
            .build();
    }

    static Map<String, Object> mapping() {
        Map<String, Object> keyword = Map.of("type", "keyword");
        Map<String, Object> count = Map.of("type", "long");
        Map<String, Object> criteria = new LinkedHashMap<>();
        for (String field : new String[] { "identity", "identity_field", "person", "person_name", "example", "field" }) {
            criteria.put(field, keyword);
        }
        criteria.put("min_similarity", Map.of("type", "float"));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("@timestamp", Map.of("type", "date"));
        properties.put("user", keyword);
        properties.put("task", keyword);
        properties.put("indices", keyword);
        properties.put("dry_run", Map.of("type", "boolean"));
        properties.put("scope", keyword);
        properties.put("expunge", Map.of("type", "boolean"));
        properties.put("criteria", Map.of("properties", criteria));
        for (String field : new String[] { "took", "photos_matched", "faces_matched", "photos_deleted", "photos_changed", "faces_removed", "persons_changed", "faces_remaining" }) {
            properties.put(field, count);
        }
        properties.put("verified", Map.of("type", "boolean"));
        properties.put("error", Map.of("type", "text"));
        // what the answer holds besides (counts by index, expunge figures) is kept but not indexed
        return Map.of("dynamic", false, "properties", properties);
    }
}
