package io.facesearch.identify;

import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.search.SearchResponseSections;
import org.opensearch.search.SearchExtBuilder;
import org.opensearch.search.aggregations.Aggregations;
import org.opensearch.search.aggregations.InternalAggregations;
import org.opensearch.search.internal.InternalSearchResponse;
import org.opensearch.search.pipeline.ProcessorExecutionDetail;
import org.opensearch.search.profile.SearchProfileShardResults;

import java.util.ArrayList;
import java.util.List;

/** Adds a section to the {@code ext} of a search response, leaving everything else as it was. */
final class SearchResponseExts {
    private SearchResponseExts() {}

    /** {@code response} with {@code ext} in its {@code ext}, in place of any earlier section of the same name. */
    static SearchResponse with(SearchResponse response, SearchExtBuilder ext) {
        SearchResponseSections sections = response.getInternalResponse();
        List<SearchExtBuilder> exts = new ArrayList<>();
        if (sections.getSearchExtBuilders() != null) {
            for (SearchExtBuilder existing : sections.getSearchExtBuilders()) {
                if (existing.getWriteableName().equals(ext.getWriteableName()) == false) {
                    exts.add(existing);
                }
            }
        }
        exts.add(ext);
        List<ProcessorExecutionDetail> processorResult = sections.getProcessorResult() == null ? List.of() : sections.getProcessorResult();
        // an empty profile would be written as an empty "profile" section: the response had none
        SearchProfileShardResults profile = response.getProfileResults() == null || response.getProfileResults().isEmpty()
            ? null
            : new SearchProfileShardResults(response.getProfileResults());
        Aggregations aggregations = response.getAggregations();
        SearchResponseSections replaced;
        if (aggregations == null || aggregations instanceof InternalAggregations) {
            // what a node computed itself can still be sent to another node
            replaced = new InternalSearchResponse(
                response.getHits(),
                (InternalAggregations) aggregations,
                response.getSuggest(),
                profile,
                response.isTimedOut(),
                response.isTerminatedEarly(),
                response.getNumReducePhases(),
                exts,
                processorResult
            );
        } else {
            replaced = new SearchResponseSections(
                response.getHits(),
                aggregations,
                response.getSuggest(),
                response.isTimedOut(),
                response.isTerminatedEarly(),
                profile,
                response.getNumReducePhases(),
                exts,
                processorResult
            );
        }
        return new SearchResponse(
            replaced,
            response.getScrollId(),
            response.getTotalShards(),
            response.getSuccessfulShards(),
            response.getSkippedShards(),
            response.getTook().millis(),
            response.getPhaseTook(),
            response.getShardFailures(),
            response.getClusters(),
            response.pointInTimeId()
        );
    }
}
