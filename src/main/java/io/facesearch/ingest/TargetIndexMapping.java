package io.facesearch.ingest;

import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexAbstraction;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexTemplateMetadata;
import org.opensearch.cluster.metadata.MetadataIndexTemplateService;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.common.compress.CompressedXContent;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.index.mapper.MapperService;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The mapping a document written to an index name meets: the index's own, the write index's of an alias or a data
 * stream, or, for an index that does not exist yet and would be created by the write, the mapping its index
 * templates give it.
 *
 * @param key     changes whenever the mapping may have changed, so that what is read from it can be cached
 * @param exists  whether the index exists, or would be created by the write
 * @param mapping the mapping's root object ({@code properties}, ...), parsed when asked for; empty when nothing is mapped
 */
record TargetIndexMapping(String key, boolean exists, Supplier<Map<String, Object>> mapping) {

    /**
     * The mapping of {@code name} in {@code state}, or null when it cannot be known here: no document can be written to
     * a name starting with {@code _}, such as the {@code _index} of {@code _simulate} documents, or to an alias without
     * a write index; a date math expression ({@code <photos-{now/d}>}) names its index only once the write resolves it.
     */
    static TargetIndexMapping of(ClusterState state, String name) {
        if (name.startsWith("_") || name.startsWith("<")) {
            return null;
        }
        Metadata metadata = state.metadata();
        IndexAbstraction abstraction = metadata.getIndicesLookup().get(name);
        if (abstraction == null) {
            return fromTemplates(state, name);
        }
        IndexMetadata index = abstraction.getWriteIndex();
        if (index == null) {
            return null;
        }
        return new TargetIndexMapping(
            index.getIndexUUID() + '/' + index.getMappingVersion(),
            true,
            () -> index.mapping() == null ? Map.of() : index.mapping().sourceAsMap()
        );
    }

    /** What the composable template, or else the legacy templates, matching {@code name} would map. */
    private static TargetIndexMapping fromTemplates(ClusterState state, String name) {
        Metadata metadata = state.metadata();
        String key = "templates/" + metadata.version() + '/' + name;
        String composable = MetadataIndexTemplateService.findV2Template(metadata, name, false);
        if (composable != null) {
            return new TargetIndexMapping(key, false, () -> {
                List<CompressedXContent> mappings;
                try {
                    mappings = MetadataIndexTemplateService.collectMappings(state, composable, name);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot read the mappings of index template [" + composable + "]", e);
                }
                // component templates first, the index template last: a later mapping wins
                List<CompressedXContent> strongestFirst = new ArrayList<>(mappings);
                Collections.reverse(strongestFirst);
                return merged(strongestFirst);
            });
        }
        return new TargetIndexMapping(key, false, () -> {
            // sorted by order, highest first, and the highest order wins
            List<CompressedXContent> mappings = new ArrayList<>();
            for (IndexTemplateMetadata template : MetadataIndexTemplateService.findV1Templates(metadata, name, null)) {
                if (template.mappings() != null) {
                    mappings.add(template.mappings());
                }
            }
            return merged(mappings);
        });
    }

    /** The mappings merged as index creation merges them, the first winning where they differ. */
    private static Map<String, Object> merged(List<CompressedXContent> strongestFirst) {
        Map<String, Object> result = new HashMap<>();
        for (CompressedXContent mapping : strongestFirst) {
            XContentHelper.mergeDefaults(result, withoutTypeName(XContentHelper.convertToMap(mapping.uncompressed(), true).v2()));
        }
        return result;
    }

    /** Template mappings are stored under the type name {@code _doc}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutTypeName(Map<String, Object> mapping) {
        if (mapping.size() == 1 && mapping.get(MapperService.SINGLE_MAPPING_NAME) instanceof Map<?, ?> inner) {
            return (Map<String, Object>) inner;
        }
        return mapping;
    }
}
