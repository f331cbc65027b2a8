package io.facesearch.query;

import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.Strings;
import org.opensearch.core.common.io.stream.NamedWriteableAwareStreamInput;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.TermQueryBuilder;
import org.opensearch.index.query.WrapperQueryBuilder;
import org.opensearch.test.EqualsHashCodeTestUtils;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What every vector query must keep through the wire and its JSON form, with random options: a copy read back is
 * equal to the query and has its hash code, and a query that differs in any one option is not equal to it.
 */
public abstract class VectorMatchQueryTestCase<Q extends VectorMatchQueryBuilder<Q>> extends OpenSearchTestCase {
    private static final int QUERIES = 30;

    /** A query of random options and input. */
    protected abstract Q randomQuery();

    /**
     * For each option of the JSON form, a change of its value (null: the option left out), given its value (null:
     * absent). A change of an input replaces the query's input.
     */
    protected abstract Map<String, UnaryOperator<Object>> changes();

    /** The options that give the query's input, of which a query has exactly one. */
    protected abstract List<String> inputs();

    protected abstract String queryName();

    protected static float[] randomVector() {
        float[] vector = new float[randomIntBetween(1, 8)];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = randomFloat() * 2 - 1;
        }
        return vector;
    }

    /** Sets each option every vector query has but its field, or leaves it to its default, at random. */
    protected static <B extends VectorMatchQueryBuilder.Builder<?, B>> B randomCommonOptions(B builder) {
        if (randomBoolean()) {
            builder.k(randomIntBetween(1, VectorMatchQueryBuilder.MAX_K));
        }
        if (randomBoolean()) {
            builder.efSearch(randomIntBetween(1, VectorMatchQueryBuilder.MAX_EF_SEARCH));
        }
        switch (randomIntBetween(0, 3)) {
            case 0 -> builder.rescore(KnnRescore.OFF);
            case 1 -> builder.rescore(KnnRescore.DEFAULT);
            case 2 -> builder.rescore(KnnRescore.oversample(1 + randomFloat() * 99));
            default -> {}
        }
        if (randomBoolean()) {
            builder.minSimilarity(randomFloat() * 2 - 1);
        }
        if (randomBoolean()) {
            builder.filter(new TermQueryBuilder(randomAlphaOfLength(5), randomAlphaOfLength(5)));
        }
        if (randomBoolean()) {
            builder.boost(randomFloat() * 10);
        }
        if (randomBoolean()) {
            builder.queryName(randomAlphaOfLength(6));
        }
        return builder;
    }

    /** The changes of the options every vector query has, its inputs but the vector aside. */
    protected static Map<String, UnaryOperator<Object>> commonChanges() {
        Map<String, UnaryOperator<Object>> changes = new LinkedHashMap<>();
        changes.put("vector", vector -> List.of(0.25, vector == null ? 0.5 : -0.5));
        changes.put("image", image -> "iVBORw0K");
        changes.put("field", field -> field + "_2");
        changes.put("k", k -> (int) k % VectorMatchQueryBuilder.MAX_K + 1);
        changes.put("ef_search", efSearch -> efSearch == null ? 512 : null);
        changes.put("rescore", rescore -> rescore instanceof Map<?, ?> ? false : Map.of("oversample_factor", 4.5));
        changes.put("min_similarity", minSimilarity -> minSimilarity == null ? 0.5 : null);
        changes.put("filter", filter -> filter == null ? Map.of("term", Map.of("caption", "beach")) : null);
        changes.put("boost", boost -> ((Number) boost).floatValue() + 1);
        changes.put("_name", name -> name == null ? "named" : null);
        return changes;
    }

    public void testWireRoundTrip() throws IOException {
        for (int i = 0; i < QUERIES; i++) {
            Q query = randomQuery();
            QueryBuilder copy = viaWire(query);
            assertNotSame(query, copy);
            assertEquals(json(query), query, copy);
            assertEquals(json(query), query.hashCode(), copy.hashCode());
            assertEquals(json(query), json(copy));
        }
    }

    public void testXContentRoundTrip() throws IOException {
        for (int i = 0; i < QUERIES; i++) {
            Q query = randomQuery();
            QueryBuilder copy = QueryDsl.parse(json(query));
            assertEquals(json(query), query, copy);
            assertEquals(json(query), query.hashCode(), copy.hashCode());
            assertEquals(json(query), json(copy));
        }
    }

    public void testEqualsAndHashCode() {
        for (int i = 0; i < QUERIES; i++) {
            EqualsHashCodeTestUtils.<QueryBuilder>checkEqualsAndHashCode(randomQuery(), VectorMatchQueryTestCase::viaWire, this::changeOneOption);
        }
    }

    /** Each option's change, on its own, makes a query unequal to the original. */
    public void testEveryOptionTakesPartInEquality() throws IOException {
        Q query = randomQuery();
        for (String option : changes().keySet()) {
            QueryBuilder changed = change(query, option);
            assertNotEquals(option + ": " + json(changed), query, changed);
        }
    }

    /** On a coordinating node a query with its vector stays as it is, but its filter is rewritten. */
    public void testTheFilterIsRewrittenOnTheCoordinatingNode() throws IOException {
        Q query = randomQueryWithVector(null);
        assertSame(query, query.rewrite(QueryDsl.coordinatorContext()));

        TermQueryBuilder term = new TermQueryBuilder("colour", "red");
        Q wrapped = randomQueryWithVector(new WrapperQueryBuilder(Strings.toString(MediaTypeRegistry.JSON, term)));
        QueryBuilder rewritten = wrapped.rewrite(QueryDsl.coordinatorContext());
        assertNotSame(wrapped, rewritten);
        assertEquals(term, ((VectorMatchQueryBuilder<?>) rewritten).filter());
        assertEquals(wrapped.boost(), rewritten.boost(), 0);
        assertEquals(wrapped.queryName(), rewritten.queryName());
        assertArrayEquals(wrapped.vector(), ((VectorMatchQueryBuilder<?>) rewritten).vector(), 0);
    }

    /** A random query searching a vector, with {@code filter}. */
    private Q randomQueryWithVector(QueryBuilder filter) throws IOException {
        Map<String, Object> options = options(randomQuery());
        options.keySet().removeAll(inputs());
        options.remove("filter");
        options.put("vector", List.of(0.6, 0.8));
        if (filter != null) {
            options.put("filter", XContentHelper.convertToMap(JsonXContent.jsonXContent, json(filter), false));
        }
        return parse(options);
    }

    @SuppressWarnings("unchecked")
    private QueryBuilder changeOneOption(QueryBuilder query) {
        try {
            return change((Q) query, randomFrom(List.copyOf(changes().keySet())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Q change(Q query, String option) throws IOException {
        Map<String, Object> options = options(query);
        Object current = options.get(option);
        if (inputs().contains(option)) {
            options.keySet().removeAll(inputs());
        }
        Object changed = changes().get(option).apply(current);
        if (changed == null) {
            options.remove(option);
        } else {
            options.put(option, changed);
        }
        return parse(options);
    }

    /** The query's options, as its JSON form gives them. */
    private Map<String, Object> options(Q query) throws IOException {
        Map<String, Object> json = XContentHelper.convertToMap(JsonXContent.jsonXContent, json(query), true);
        @SuppressWarnings("unchecked")
        Map<String, Object> options = (Map<String, Object>) json.get(queryName());
        return new LinkedHashMap<>(options);
    }

    @SuppressWarnings("unchecked")
    private Q parse(Map<String, Object> options) throws IOException {
        XContentBuilder json = JsonXContent.contentBuilder().startObject().field(queryName(), options).endObject();
        return (Q) QueryDsl.parse(json.toString());
    }

    protected static String json(QueryBuilder query) {
        return Strings.toString(MediaTypeRegistry.JSON, query);
    }

    protected static QueryBuilder viaWire(QueryBuilder query) throws IOException {
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            out.writeNamedWriteable(query);
            try (StreamInput in = new NamedWriteableAwareStreamInput(out.bytes().streamInput(), QueryDsl.WRITEABLES)) {
                return in.readNamedWriteable(QueryBuilder.class);
            }
        }
    }
}
