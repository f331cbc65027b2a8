package io.facesearch.ingest;

import io.facesearch.common.FieldValues;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the HNSW graph of the face vectors is built: {@code m}, the neighbours each face keeps (twice as many on the
 * bottom layer), and {@code ef_construction}, how many candidates are weighed when they are chosen. More of either
 * finds the same recall with a smaller {@code ef_search}, for a slower build; a larger {@code m} also costs
 * graph memory (about 4 bytes per face for each step of {@code m}).
 */
public record HnswGraph(int m, int efConstruction) implements Writeable, ToXContentFragment {
    public static final String FIELD = "hnsw";
    public static final String M = "m";
    public static final String EF_CONSTRUCTION = "ef_construction";

    /** The k-NN plugin's defaults, good recall for galleries up to a few hundred thousand faces. */
    public static final HnswGraph DEFAULT = new HnswGraph(16, 128);

    /** The lucene engine's own bounds (Lucene refuses a larger graph degree or beam). */
    static final int MIN_M = 2;
    static final int MAX_M = 512;
    static final int MIN_EF_CONSTRUCTION = 1;
    static final int MAX_EF_CONSTRUCTION = 3200;

    public HnswGraph {
        FieldValues.between(m, MIN_M, MAX_M, FIELD + "." + M);
        FieldValues.between(efConstruction, MIN_EF_CONSTRUCTION, MAX_EF_CONSTRUCTION, FIELD + "." + EF_CONSTRUCTION);
    }

    public HnswGraph(StreamInput in) throws IOException {
        this(in.readVInt(), in.readVInt());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVInt(m);
        out.writeVInt(efConstruction);
    }

    /** Reads the request's {@code hnsw} object; either value may be left out (its default), nothing else is taken. */
    public static HnswGraph parse(Object value) {
        int m = DEFAULT.m;
        int efConstruction = DEFAULT.efConstruction;
        for (Map.Entry<String, Object> entry : FieldValues.object(value, FIELD).entrySet()) {
            String field = FIELD + "." + entry.getKey();
            switch (entry.getKey()) {
                case M -> m = FieldValues.integer(entry.getValue(), field, MIN_M, MAX_M);
                case EF_CONSTRUCTION -> efConstruction = FieldValues.integer(entry.getValue(), field, MIN_EF_CONSTRUCTION, MAX_EF_CONSTRUCTION);
                default -> throw FieldValues.unknownField(field, "[" + M + ", " + EF_CONSTRUCTION + "]");
            }
        }
        return new HnswGraph(m, efConstruction);
    }

    /**
     * The graph of a field as the index maps it: the {@code m} and {@code ef_construction} of its method's
     * parameters, each the k-NN plugin's default where the mapping leaves it out; null for a field without an
     * {@code hnsw} method.
     */
    public static HnswGraph ofDefinition(Map<?, ?> definition) {
        if (definition.get("method") instanceof Map<?, ?> method && "hnsw".equals(method.get("name"))) {
            Map<?, ?> parameters = method.get("parameters") instanceof Map<?, ?> p ? p : Map.of();
            return new HnswGraph(intOr(parameters.get(M), DEFAULT.m), intOr(parameters.get(EF_CONSTRUCTION), DEFAULT.efConstruction));
        }
        return null;
    }

    private static int intOr(Object value, int otherwise) {
        return value instanceof Number number ? number.intValue() : otherwise;
    }

    /** {@code m} and {@code ef_construction}, as a {@code knn_vector} mapping's method parameters name them. */
    public Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put(M, m);
        parameters.put(EF_CONSTRUCTION, efConstruction);
        return parameters;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject(FIELD).field(M, m).field(EF_CONSTRUCTION, efConstruction).endObject();
    }
}
