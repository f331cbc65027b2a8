package io.facesearch.identify;

import io.facesearch.query.FaceMatchQueryBuilder;
import io.facesearch.vision.identify.IdentityVote;

import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.search.SearchService;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.pipeline.AbstractProcessor;
import org.opensearch.search.pipeline.SearchResponseProcessor;
import org.opensearch.search.sort.ScoreSortBuilder;
import org.opensearch.search.sort.SortBuilder;
import org.opensearch.search.sort.SortOrder;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code face_identity}: "who is this?" for a search whose query is a {@code face_match}. The photos it ranked are
 * the candidates of the identify API's k1/k2 vote, read and decided by the same code on the merged hits of all
 * shards, and the answer goes into the response's {@code ext} as {@code face_identity}. The search must hand the
 * vote what identify searches for itself: the k2 nearest photos, ranked by similarity from the first.
 */
public final class FaceIdentityResponseProcessor extends AbstractProcessor implements SearchResponseProcessor {
    public static final String TYPE = "face_identity";

    private final int k1;
    private final int k2;
    /** Null: the node's {@code face_search.identify.threshold} at the time of each search. */
    private final Float threshold;
    private final String identityField;
    private final Supplier<Float> nodeThreshold;

    FaceIdentityResponseProcessor(
        String tag,
        String description,
        boolean ignoreFailure,
        int k1,
        int k2,
        Float threshold,
        String identityField,
        Supplier<Float> nodeThreshold
    ) {
        super(tag, description, ignoreFailure);
        this.k1 = k1;
        this.k2 = k2;
        this.threshold = threshold;
        this.identityField = identityField;
        this.nodeThreshold = nodeThreshold;
    }

    @Override
    public String getType() {
        return TYPE;
    }

    public int k1() {
        return k1;
    }

    public int k2() {
        return k2;
    }

    public Float threshold() {
        return threshold;
    }

    public String identityField() {
        return identityField;
    }

    @Override
    public SearchResponse processResponse(SearchRequest request, SearchResponse response) {
        FaceMatchQueryBuilder query = rankingQuery(request.source());
        IdentityVote vote = new IdentityVote(k1, k2, threshold != null ? threshold : nodeThreshold.get());
        IdentityVote.Decision decision = vote.decide(
            HitCandidates.read(response.getHits().getHits(), query.innerHitsName(), identityField, query.boost())
        );
        return SearchResponseExts.with(response, new FaceIdentityExt(vote, decision));
    }

    /** The search's {@code face_match} query, once the search is checked to return the k2 nearest photos by similarity. */
    private FaceMatchQueryBuilder rankingQuery(SearchSourceBuilder source) {
        QueryBuilder query = source == null ? null : source.query();
        if ((query instanceof FaceMatchQueryBuilder) == false) {
            throw refused(
                "votes over the photos a [" + FaceMatchQueryBuilder.NAME + "] query ranks, but the search's query is "
                    + (query == null ? "missing" : "[" + query.getName() + "]")
            );
        }
        FaceMatchQueryBuilder faceMatch = (FaceMatchQueryBuilder) query;
        if (source.from() > 0) {
            throw refused("votes over the nearest photos, but the search starts at [from] " + source.from() + "; it must start at 0");
        }
        int size = source.size() < 0 ? SearchService.DEFAULT_SIZE : source.size();
        if (size < k2) {
            throw refused("votes over the [k2] " + k2 + " nearest photos, but the search returns [size] " + size + "; ask for at least " + k2);
        }
        if (faceMatch.k() < k2) {
            throw refused(
                "votes over the [k2] " + k2 + " nearest photos, but the [" + FaceMatchQueryBuilder.NAME + "] query finds [k] "
                    + faceMatch.k() + " per shard; give it a [k] of at least " + k2
            );
        }
        List<SortBuilder<?>> sorts = source.sorts();
        if (sorts != null && sorts.isEmpty() == false && (sorts.size() > 1 || isBestFirst(sorts.get(0)) == false)) {
            throw refused("votes over the photos by similarity, but the search is sorted by [sort]; leave the hits sorted by score");
        }
        if (faceMatch.boost() <= 0) {
            throw refused("reads similarities from the scores, but the [" + FaceMatchQueryBuilder.NAME + "] query's [boost] is 0");
        }
        return faceMatch;
    }

    private static boolean isBestFirst(SortBuilder<?> sort) {
        return sort instanceof ScoreSortBuilder && sort.order() == SortOrder.DESC;
    }

    private IllegalArgumentException refused(String reason) {
        return new IllegalArgumentException("[" + TYPE + "]" + (getTag() == null ? "" : " [" + getTag() + "]") + " " + reason);
    }
}
