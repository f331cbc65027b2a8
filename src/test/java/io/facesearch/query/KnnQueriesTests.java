package io.facesearch.query;

import io.facesearch.ingest.VectorCompression;

import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.index.query.TermQueryBuilder;
import org.opensearch.index.query.TermsQueryBuilder;
import org.junit.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

public class KnnQueriesTests {
    private static final float[] VECTOR = { 0.6f, -0.8f, 0f };

    @Test
    public void indicesThatTakeTheVectorAlikeGetOneQueryWithoutAFilter() {
        List<float[]> given = new ArrayList<>();
        QueryBuilder single = QueryBuilders.matchAllQuery();
        QueryBuilder query = KnnQueries.perCompression(
            Map.of("a", VectorCompression.NONE, "b", VectorCompression.X4, "c", VectorCompression.X32),
            VECTOR,
            (form, vector) -> {
                assertEquals(VectorCompression.NONE, form);
                given.add(vector);
                return single;
            }
        );
        assertSame(single, query);
        assertEquals(1, given.size());
        assertSame("floats and the compressions that keep them take the vector itself", VECTOR, given.get(0));

        given.clear();
        assertSame(single, KnnQueries.perCompression(Map.of("d", VectorCompression.INT8), VECTOR, (form, vector) -> {
            assertEquals(VectorCompression.INT8, form);
            given.add(vector);
            return single;
        }));
        assertArrayEquals(VectorCompression.INT8.fieldValues(VECTOR), given.get(0), 0);
    }

    @Test
    public void floatAndInt8IndicesGetEachTheirVectorKeptToTheirIndices() {
        QueryBuilder query = KnnQueries.perCompression(
            Map.of("floats", VectorCompression.NONE, "bytes", VectorCompression.INT8, "more_bytes", VectorCompression.INT8),
            VECTOR,
            (form, vector) -> QueryBuilders.termQuery(form.value(), vector[0])
        );
        assertTrue(query.toString(), query instanceof BoolQueryBuilder);
        List<QueryBuilder> groups = ((BoolQueryBuilder) query).should();
        assertEquals(2, groups.size());
        assertEquals("1", ((BoolQueryBuilder) query).minimumShouldMatch());
        for (QueryBuilder group : groups) {
            BoolQueryBuilder bool = (BoolQueryBuilder) group;
            TermsQueryBuilder indices = (TermsQueryBuilder) bool.filter().get(0);
            assertEquals("_index", indices.fieldName());
            TermQueryBuilder term = (TermQueryBuilder) bool.must().get(0);
            Object first = term.value();
            if (indices.values().contains("floats")) {
                assertEquals(List.of("floats"), indices.values());
                assertEquals("none", term.fieldName());
                assertEquals(0.6f, first);
            } else {
                assertEquals("int8", term.fieldName());
                assertEquals(List.of("bytes", "more_bytes"), indices.values().stream().sorted().toList());
                assertEquals(VectorCompression.INT8.fieldValues(VECTOR)[0], first);
            }
        }
    }
}
