package io.facesearch.identify;

import io.facesearch.plugin.FaceSearchPlugin;
import io.facesearch.query.FaceMatchQueryBuilder;
import io.facesearch.vision.identify.IdentityVote;

import org.apache.lucene.search.TotalHits;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.search.ShardSearchFailure;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.io.stream.NamedWriteableAwareStreamInput;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.index.shard.ShardId;
import org.opensearch.index.query.BoolQueryBuilder;
import org.opensearch.search.SearchExtBuilder;
import org.opensearch.search.SearchHit;
import org.opensearch.search.SearchHits;
import org.opensearch.search.SearchModule;
import org.opensearch.search.SearchShardTarget;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.internal.InternalSearchResponse;
import org.opensearch.search.sort.SortOrder;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The face_identity processor on ranked hits made by hand: the vote's answer in the response's ext, the searches it
 * refuses because their hits are not the k2 nearest photos, and the answer's way between nodes.
 */
public class FaceIdentityResponseProcessorTests extends OpenSearchTestCase {
    private static final float[] VECTOR = { 1, 0 };

    private static FaceIdentityResponseProcessor processor(int k1, int k2, Float threshold) {
        return new FaceIdentityResponseProcessor("who", null, false, k1, k2, threshold, "identity", () -> 0.43f);
    }

    /** A photo hit scored as k-NN scores a cosine (times the boost), labelled on the photo and/or on its best face. */
    private static SearchHit photo(String id, float cosine, float boost, String photoLabel, Integer face, String faceLabel) {
        SearchHit hit = new SearchHit(0, id, Map.of(), Map.of());
        hit.score(boost * (1 + cosine) / 2);
        hit.shard(new SearchShardTarget("node", new ShardId("photos", "_na_", 0), null, null));
        hit.sourceRef(new BytesArray(photoLabel == null ? "{}" : "{\"identity\":\"" + photoLabel + "\"}"));
        if (face != null) {
            SearchHit best = new SearchHit(0, id, new SearchHit.NestedIdentity("faces", face, null), Map.of(), Map.of());
            best.sourceRef(new BytesArray(faceLabel == null ? "{\"index\":" + face + "}" : "{\"identity\":\"" + faceLabel + "\"}"));
            best.score(hit.getScore());
            hit.setInnerHits(Map.of("face_match", new SearchHits(new SearchHit[] { best }, new TotalHits(1, TotalHits.Relation.EQUAL_TO), 1)));
        }
        return hit;
    }

    private static SearchResponse response(SearchHit... hits) {
        SearchHits searchHits = new SearchHits(hits, new TotalHits(hits.length, TotalHits.Relation.EQUAL_TO), hits.length == 0 ? Float.NaN : hits[0].getScore());
        InternalSearchResponse sections = new InternalSearchResponse(searchHits, null, null, null, false, null, 1);
        return new SearchResponse(sections, null, 1, 1, 0, 7, ShardSearchFailure.EMPTY_ARRAY, SearchResponse.Clusters.EMPTY);
    }

    private static SearchRequest faceMatch(FaceMatchQueryBuilder query, int size) {
        return new SearchRequest("photos").source(new SearchSourceBuilder().query(query).size(size));
    }

    private static FaceMatchQueryBuilder query(int k, float boost) {
        return FaceMatchQueryBuilder.builder(null).vector(VECTOR).k(k).boost(boost).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> answer(SearchResponse response) throws IOException {
        Map<String, Object> json = XContentHelper.convertToMap(XContentHelper.toXContent(response, XContentType.JSON, false), false, XContentType.JSON).v2();
        return (Map<String, Object>) ((Map<String, Object>) json.get("ext")).get("face_identity");
    }

    public void testVotesOverTheRankedPhotosWithTheirFaceOrPhotoLabels() throws Exception {
        for (float boost : new float[] { 1, 2.5f }) {
            SearchResponse response = response(
                photo("1", 0.8f, boost, "someone", 1, "ann"),
                photo("2", 0.7f, boost, "ann", 0, null),
                photo("3", 0.6f, boost, "bob", null, null),
                photo("4", 0.5f, boost, null, 0, null)
            );
            SearchResponse processed = processor(3, 10, null).processResponse(faceMatch(query(10, boost), 10), response);
            assertSame("the hits stay as they were", response.getHits(), processed.getHits());
            Map<String, Object> answer = answer(processed);
            assertEquals("ann", answer.get("identity"));
            assertEquals(true, answer.get("known"));
            assertEquals(2, answer.get("votes"));
            assertEquals(3, answer.get("window"));
            assertEquals(0.8, (Double) answer.get("best_similarity"), 1e-5);
            assertEquals(0.75, (Double) answer.get("mean_similarity"), 1e-5);
            assertEquals(0.43, (Double) answer.get("threshold"), 1e-6);
            List<?> candidates = (List<?>) answer.get("candidates");
            assertEquals(4, candidates.size());
            assertEquals(Map.of("_index", "photos", "_id", "1", "face", 1, "identity", "ann", "similarity", 0.8), rounded((Map<?, ?>) candidates.get(0)));
            assertNull("a candidate without a label takes no part in the vote", ((Map<?, ?>) candidates.get(3)).get("identity"));
        }
    }

    public void testTheSameCandidatesGiveTheAnswerOfIdentify() throws Exception {
        SearchHit[] hits = {
            photo("1", 0.5f, 1, "eve", null, null),
            photo("2", 0.45f, 1, "ann", null, null),
            photo("3", 0.44f, 1, "eve", null, null),
            photo("4", 0.42f, 1, "ann", null, null),
            photo("5", 0.41f, 1, "ann", null, null) };
        IdentityVote vote = new IdentityVote(3, 5, 0.5f);
        IdentityVote.Decision identify = vote.decide(HitCandidates.read(hits, "face_match", "identity", 1));
        SearchResponse processed = processor(3, 5, 0.5f).processResponse(faceMatch(query(5, 1), 5), response(hits));
        FaceIdentityExt ext = (FaceIdentityExt) processed.getInternalResponse().getSearchExtBuilders().get(0);
        assertEquals(identify, ext.decision());
        assertEquals("Unknown", ext.decision().identity());
        assertEquals("ann", ext.decision().runnerUp());
    }

    public void testNoPhotosIsUnknown() throws Exception {
        Map<String, Object> answer = answer(processor(3, 10, 0.4f).processResponse(faceMatch(query(10, 1), 10), response()));
        assertEquals("Unknown", answer.get("identity"));
        assertEquals(0, answer.get("votes"));
        assertEquals(List.of(), answer.get("candidates"));
    }

    public void testRefusesSearchesWhoseHitsAreNotTheNearestPhotosBySimilarity() {
        FaceIdentityResponseProcessor processor = processor(3, 10, null);
        SearchResponse response = response(photo("1", 0.8f, 1, "ann", null, null));
        assertRefused(processor, new SearchRequest("photos"), response, "[face_identity] [who] votes over the photos a [face_match] query ranks, but the search's query is missing");
        assertRefused(
            processor,
            new SearchRequest("photos").source(new SearchSourceBuilder().query(new BoolQueryBuilder().must(query(10, 1)))),
            response,
            "[face_identity] [who] votes over the photos a [face_match] query ranks, but the search's query is [bool]"
        );
        assertRefused(
            processor,
            new SearchRequest("photos").source(new SearchSourceBuilder().query(query(10, 1)).from(10)),
            response,
            "[face_identity] [who] votes over the nearest photos, but the search starts at [from] 10; it must start at 0"
        );
        assertRefused(
            processor,
            faceMatch(query(10, 1), 5),
            response,
            "[face_identity] [who] votes over the [k2] 10 nearest photos, but the search returns [size] 5; ask for at least 10"
        );
        assertRefused(
            processor,
            faceMatch(query(4, 1), 10),
            response,
            "[face_identity] [who] votes over the [k2] 10 nearest photos, but the [face_match] query finds [k] 4 per shard; give it a [k] of at least 10"
        );
        assertRefused(
            processor,
            new SearchRequest("photos").source(new SearchSourceBuilder().query(query(10, 1)).sort("taken", SortOrder.DESC)),
            response,
            "[face_identity] [who] votes over the photos by similarity, but the search is sorted by [sort]; leave the hits sorted by score"
        );
        assertRefused(
            processor,
            faceMatch(query(10, 0), 10),
            response,
            "[face_identity] [who] reads similarities from the scores, but the [face_match] query's [boost] is 0"
        );
    }

    public void testTheDefaultSizeAndASortByScoreAreTheNearestPhotos() throws Exception {
        SearchResponse response = response(photo("1", 0.8f, 1, "ann", null, null));
        SearchRequest defaults = new SearchRequest("photos").source(new SearchSourceBuilder().query(query(10, 1)));
        assertEquals("ann", answer(processor(1, 10, null).processResponse(defaults, response)).get("identity"));
        SearchRequest byScore = new SearchRequest("photos").source(new SearchSourceBuilder().query(query(10, 1)).sort("_score", SortOrder.DESC));
        assertEquals("ann", answer(processor(1, 10, null).processResponse(byScore, response)).get("identity"));
    }

    public void testAnEarlierAnswerIsReplacedAndOtherExtsKept() throws Exception {
        SearchResponse response = response(photo("1", 0.8f, 1, "ann", null, null));
        SearchResponse first = processor(1, 10, 0.9f).processResponse(faceMatch(query(10, 1), 10), response);
        assertEquals("Unknown", answer(first).get("identity"));
        SearchResponse second = processor(1, 10, 0.5f).processResponse(faceMatch(query(10, 1), 10), first);
        List<SearchExtBuilder> exts = second.getInternalResponse().getSearchExtBuilders();
        assertEquals(1, exts.size());
        assertEquals("ann", ((FaceIdentityExt) exts.get(0)).decision().identity());
        assertEquals(response.getTook(), second.getTook());
        assertEquals(response.getTotalShards(), second.getTotalShards());
        assertNull("no profile section appears", answerJson(second).get("profile"));
    }

    public void testTheAnswerCrossesTheWireAmongTheSearchResponse() throws IOException {
        NamedWriteableRegistry registry = new NamedWriteableRegistry(
            new SearchModule(Settings.EMPTY, List.of(new FaceSearchPlugin())).getNamedWriteables()
        );
        SearchResponse processed = processor(3, 10, null).processResponse(
            faceMatch(query(10, 1), 10),
            response(photo("1", 0.8f, 1, "ann", 2, null), photo("2", 0.3f, 1, "bob", null, null))
        );
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            processed.writeTo(out);
            try (StreamInput in = new NamedWriteableAwareStreamInput(out.bytes().streamInput(), registry)) {
                SearchResponse copy = new SearchResponse(in);
                assertEquals(processed.getInternalResponse().getSearchExtBuilders(), copy.getInternalResponse().getSearchExtBuilders());
                assertEquals(answer(processed), answer(copy));
            }
        }
    }

    private static Map<String, Object> answerJson(SearchResponse response) throws IOException {
        return XContentHelper.convertToMap(XContentHelper.toXContent(response, XContentType.JSON, false), false, XContentType.JSON).v2();
    }

    private static Map<Object, Object> rounded(Map<?, ?> candidate) {
        Map<Object, Object> copy = new java.util.HashMap<>(candidate);
        copy.put("similarity", Math.round(((Number) candidate.get("similarity")).doubleValue() * 1e5) / 1e5);
        return copy;
    }

    private static void assertRefused(FaceIdentityResponseProcessor processor, SearchRequest request, SearchResponse response, String message) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> processor.processResponse(request, response));
        assertEquals(message, e.getMessage());
    }
}
