package io.facesearch.index.mapper;

import org.opensearch.index.mapper.DocumentMapper;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.index.mapper.ObjectMapper;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.knn.index.mapper.KNNVectorFieldMapper;

import java.util.ArrayList;
import java.util.List;

/** The nested objects of a shard's mapping that hold vector fields, such as the faces of a photo. */
public final class NestedObjects {
    private NestedObjects() {}

    /**
     * The path of the innermost nested objects holding {@code field}, as the mapping's object mappers define them;
     * null when the field belongs to the document itself.
     */
    public static String pathOf(QueryShardContext shard, String field) {
        DocumentMapper mapper = shard.getMapperService().documentMapper();
        return mapper == null ? null : mapper.mappers().getNestedScope(field);
    }

    /** The full names of the k-NN vector fields inside the objects at {@code path}, at any depth. */
    public static List<String> vectorFieldsOf(QueryShardContext shard, String path) {
        List<String> vectors = new ArrayList<>();
        ObjectMapper objects = shard.getObjectMapper(path);
        if (objects != null) {
            collectVectorFields(objects, vectors);
        }
        return vectors;
    }

    private static void collectVectorFields(ObjectMapper objects, List<String> vectors) {
        for (Mapper mapper : objects) {
            if (mapper instanceof KNNVectorFieldMapper) {
                vectors.add(mapper.name());
            } else if (mapper instanceof ObjectMapper inner) {
                collectVectorFields(inner, vectors);
            }
        }
    }
}
