package io.facesearch.index;

import org.opensearch.Version;
import org.opensearch.cluster.ClusterName;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.common.settings.Settings;
import org.junit.Test;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.Assert.assertEquals;

/** Which vector fields of which indices reads leave out. */
public class HiddenVectorFieldsTests {
    private static final String MAPPING = "{\"properties\":{"
        + "\"caption\":{\"type\":\"text\"},"
        + "\"clip\":{\"type\":\"knn_vector\",\"dimension\":4},"
        + "\"faces\":{\"type\":\"nested\",\"properties\":{\"embedding\":{\"type\":\"knn_vector\",\"dimension\":4},"
        + "\"box\":{\"properties\":{\"x\":{\"type\":\"float\"}}}}},"
        + "\"extra\":{\"properties\":{\"deep\":{\"type\":\"nested\",\"properties\":{\"v\":{\"type\":\"knn_vector\",\"dimension\":4}}}}}}}";

    @Test
    public void everyKnnVectorFieldAtAnyDepth() {
        Set<String> fields = new TreeSet<>();
        HiddenVectorFields.collect(
            Map.of("properties", Map.of("a", Map.of("type", "knn_vector"), "o", Map.of("properties", Map.of("b", Map.of("type", "knn_vector"))))),
            "",
            fields
        );
        assertEquals(Set.of("a", "o.b"), fields);
    }

    @Test
    public void onlyIndicesWithTheSettingOnHideTheirVectors() throws IOException {
        ClusterState state = ClusterState.builder(ClusterName.DEFAULT)
            .metadata(Metadata.builder().put(index("hiding", true), false).put(index("showing", false), false).build())
            .build();
        HiddenVectorFields hidden = new HiddenVectorFields();
        assertEquals(Set.of("clip", "faces.embedding", "extra.deep.v"), hidden.of(state, new String[] { "hiding" }));
        assertEquals(Set.of(), hidden.of(state, new String[] { "showing", "missing" }));
        assertEquals(Set.of("clip", "faces.embedding", "extra.deep.v"), hidden.of(state, new String[] { "showing", "hiding" }));
    }

    private static IndexMetadata index(String name, boolean hideVectors) throws IOException {
        Settings settings = Settings.builder()
            .put(IndexMetadata.SETTING_VERSION_CREATED, Version.CURRENT)
            .put(IndexMetadata.SETTING_NUMBER_OF_SHARDS, 1)
            .put(IndexMetadata.SETTING_NUMBER_OF_REPLICAS, 0)
            .put(PhotoIndexSettings.EXCLUDE_SOURCE_VECTORS.getKey(), hideVectors)
            .build();
        return IndexMetadata.builder(name).settings(settings).putMapping(MAPPING).build();
    }
}
