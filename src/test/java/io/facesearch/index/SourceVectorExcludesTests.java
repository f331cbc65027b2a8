package io.facesearch.index;

import org.apache.lucene.search.join.ScoreMode;
import org.opensearch.action.get.GetRequest;
import org.opensearch.index.query.InnerHitBuilder;
import org.opensearch.index.query.MatchAllQueryBuilder;
import org.opensearch.index.query.NestedQueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.script.Script;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.collapse.CollapseBuilder;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.junit.Test;

import java.util.List;
import java.util.Set;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

/** Which vectors a read's {@code _source} leaves out. */
public class SourceVectorExcludesTests {
    private static final String[] VECTORS = { "clip", "faces.embedding" };
    private final SourceVectorExcludes excludes = new SourceVectorExcludes(Set.of(VECTORS));

    @Test
    public void theDefaultSourceLeavesEveryVectorOut() {
        FetchSourceContext replaced = excludes.replace(null, false, List.of());
        assertTrue(replaced.fetchSource());
        assertArrayEquals(new String[0], replaced.includes());
        assertEquals(Set.of(VECTORS), Set.of(replaced.excludes()));
    }

    @Test
    public void sourceTrueOrFalseGivenExplicitlyIsKept() {
        assertNull(excludes.replace(new FetchSourceContext(true), false, List.of()));
        assertNull(excludes.replace(new FetchSourceContext(false), false, List.of()));
        assertNull("stored_fields or script_fields without _source return no source", excludes.replace(null, true, List.of()));
    }

    @Test
    public void includesCoveringAVectorKeepIt() {
        for (String include : List.of("faces.embedding", "faces.*", "faces.emb*")) {
            FetchSourceContext replaced = excludes.replace(source(new String[] { include }, null), false, List.of());
            assertArrayEquals(include, new String[] { include }, replaced.includes());
            assertEquals(include, List.of("clip"), List.of(replaced.excludes()));
        }
        // only the object above: the vector is named too, or the k-NN plugin would answer its placeholder for it
        FetchSourceContext object = excludes.replace(source(new String[] { "faces" }, null), false, List.of());
        assertArrayEquals(new String[] { "faces", "faces.embedding" }, object.includes());
        assertEquals(List.of("clip"), List.of(object.excludes()));
        FetchSourceContext narrow = excludes.replace(source(new String[] { "face", "faces.box" }, null), false, List.of());
        assertEquals(Set.of(VECTORS), Set.of(narrow.excludes()));
        FetchSourceContext both = excludes.replace(source(new String[] { "faces", "clip" }, null), false, List.of());
        assertArrayEquals(new String[] { "faces", "clip", "faces.embedding" }, both.includes());
        assertArrayEquals(new String[0], both.excludes());
        assertNull(excludes.replace(source(new String[] { "*" }, null), false, List.of()));
    }

    @Test
    public void excludesAddToTheVectors() {
        FetchSourceContext replaced = excludes.replace(source(null, new String[] { "caption", "faces.embed*" }), false, List.of());
        assertEquals(List.of("caption", "faces.embed*", "clip"), List.of(replaced.excludes()));
    }

    @Test
    public void fieldsAskedForKeepTheirVectors() {
        FetchSourceContext replaced = excludes.replace(null, false, List.of("faces.embedding"));
        assertEquals(List.of("clip"), List.of(replaced.excludes()));
    }

    @Test
    public void getWithStoredFieldsOnlyIsKept() {
        GetRequest get = new GetRequest("photos", "1").storedFields("caption");
        excludes.applyTo(get);
        assertNull(get.fetchSourceContext());
        GetRequest plain = new GetRequest("photos", "1");
        excludes.applyTo(plain);
        assertEquals(Set.of(VECTORS), Set.of(plain.fetchSourceContext().excludes()));
    }

    @Test
    public void searchesLeaveTheVectorsOutOfHitsAndInnerHits() {
        InnerHitBuilder nested = new InnerHitBuilder("faces");
        InnerHitBuilder collapsed = new InnerHitBuilder("same_caption");
        SearchSourceBuilder search = new SearchSourceBuilder().query(
            QueryBuilders.boolQuery().must(new NestedQueryBuilder("faces", new MatchAllQueryBuilder(), ScoreMode.Max).innerHit(nested))
        ).collapse(new CollapseBuilder("caption").setInnerHits(collapsed));
        excludes.applyTo(search);
        assertEquals(Set.of(VECTORS), Set.of(search.fetchSource().excludes()));
        assertEquals(Set.of(VECTORS), Set.of(nested.getFetchSourceContext().excludes()));
        assertEquals(Set.of(VECTORS), Set.of(collapsed.getFetchSourceContext().excludes()));

        SearchSourceBuilder scripted = new SearchSourceBuilder().scriptField("one", new Script("1"));
        excludes.applyTo(scripted);
        assertNull(scripted.fetchSource());
    }

    @Test
    public void aSearchWhoseNestedInnerHitsAskForVectorsIsKept() {
        FetchSourceContext asked = new FetchSourceContext(true);
        InnerHitBuilder nested = new InnerHitBuilder("faces").setFetchSourceContext(asked);
        SearchSourceBuilder search = new SearchSourceBuilder().query(
            new NestedQueryBuilder("faces", new MatchAllQueryBuilder(), ScoreMode.Max).innerHit(nested)
        );
        excludes.applyTo(search);
        assertNull(search.fetchSource());
        assertSame(asked, nested.getFetchSourceContext());
        assertTrue(excludes.asksForVectors(source(new String[] { "faces" }, null), List.of()));
        assertFalse(excludes.asksForVectors(source(new String[] { "faces.box" }, null), List.of()));
        assertFalse(excludes.asksForVectors(new FetchSourceContext(false), List.of()));
    }

    @Test
    public void coversTheFieldAndTheObjectsAboveIt() {
        assertTrue(SourceVectorExcludes.covers(List.of("faces"), "faces.embedding"));
        assertTrue(SourceVectorExcludes.covers(List.of("f*"), "faces.embedding"));
        assertTrue(SourceVectorExcludes.covers(List.of("faces.embedding"), "faces.embedding"));
        assertFalse(SourceVectorExcludes.covers(List.of("face"), "faces.embedding"));
        assertFalse(SourceVectorExcludes.covers(List.of("faces.embedding.x"), "faces.embedding"));
        assertFalse(SourceVectorExcludes.covers(List.of(), "faces.embedding"));
    }

    private static FetchSourceContext source(String[] includes, String[] excludes) {
        return new FetchSourceContext(true, includes, excludes);
    }
}
