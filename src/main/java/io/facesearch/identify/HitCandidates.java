package io.facesearch.identify;

import io.facesearch.vision.identify.IdentityVote;

import org.opensearch.common.xcontent.support.XContentMapValues;
import org.opensearch.search.SearchHit;
import org.opensearch.search.SearchHits;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The candidates of an identity vote, read from the photos a {@code face_match} search ranked: what the identify API
 * and the {@code face_identity} search response processor both vote over, so that they answer alike.
 */
public final class HitCandidates {
    public static final String DEFAULT_IDENTITY_FIELD = "identity";

    private HitCandidates() {}

    /**
     * One candidate per photo, in the order of the hits: its best face, which is the first of its inner hits named
     * {@code innerHitsName} (none when null), labelled by {@code identityField} read on that face first, then on the
     * photo.
     *
     * @param boost the boost of the {@code face_match} query, by which its scores were multiplied
     */
    public static List<IdentityVote.Candidate> read(SearchHit[] hits, String innerHitsName, String identityField, float boost) {
        List<IdentityVote.Candidate> candidates = new ArrayList<>(hits.length);
        for (SearchHit hit : hits) {
            int face = 0;
            Object identity = null;
            SearchHits inner = innerHitsName == null || hit.getInnerHits() == null ? null : hit.getInnerHits().get(innerHitsName);
            if (inner != null && inner.getHits().length > 0) {
                SearchHit best = inner.getHits()[0];
                face = best.getNestedIdentity() == null ? 0 : best.getNestedIdentity().getOffset();
                identity = label(best.getSourceAsMap(), identityField);
            }
            if (identity == null) {
                identity = label(hit.getSourceAsMap(), identityField);
            }
            // the k-NN score of a cosine space is (1 + cosine) / 2, times the query's boost
            float similarity = 2 * (hit.getScore() / boost) - 1;
            candidates.add(new IdentityVote.Candidate(identity == null ? null : identity.toString(), similarity, photoId(hit), face));
        }
        return candidates;
    }

    private static Object label(Map<String, Object> source, String identityField) {
        return source == null ? null : XContentMapValues.extractValue(identityField, source);
    }

    /** A photo's id as a candidate carries it: {@code index/id} (an index name cannot hold a slash). */
    static String photoId(SearchHit hit) {
        return hit.getIndex() + "/" + hit.getId();
    }
}
