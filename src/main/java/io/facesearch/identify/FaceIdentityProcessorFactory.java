package io.facesearch.identify;

import io.facesearch.common.FieldValues;
import io.facesearch.common.ProcessorOptions;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.query.FaceMatchQueryBuilder;
import io.facesearch.vision.identify.IdentityVote;

import org.opensearch.search.pipeline.Processor;
import org.opensearch.search.pipeline.SearchResponseProcessor;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds {@code face_identity} processors from search pipeline definitions; {@code tag}, {@code description} and
 * {@code ignore_failure} are read by OpenSearch around every processor, and an option it does not know is refused
 * there too.
 */
public final class FaceIdentityProcessorFactory implements Processor.Factory<SearchResponseProcessor> {
    public static final int MAX_K = FaceMatchQueryBuilder.MAX_K;

    private final Supplier<FaceEngineService> engine;

    /** {@code engine} gives the node's identify threshold, the default, at the time of each search. */
    public FaceIdentityProcessorFactory(Supplier<FaceEngineService> engine) {
        this.engine = engine;
    }

    @Override
    public FaceIdentityResponseProcessor create(
        Map<String, Processor.Factory<SearchResponseProcessor>> processorFactories,
        String tag,
        String description,
        boolean ignoreFailure,
        Map<String, Object> config,
        Processor.PipelineContext pipelineContext
    ) {
        ProcessorOptions options = new ProcessorOptions(FaceIdentityResponseProcessor.TYPE, tag, config);
        int k1 = options.take("k1", IdentityVote.DEFAULT_K1, ProcessorOptions.integerWithin(1, MAX_K));
        int k2 = options.take("k2", IdentityVote.DEFAULT_K2, ProcessorOptions.integerWithin(1, MAX_K));
        Float threshold = options.take("threshold", null, ProcessorOptions.numberWithin(-1, 1));
        String identityField = options.take("identity_field", HitCandidates.DEFAULT_IDENTITY_FIELD, FieldValues::string);
        if (k1 > k2) {
            throw options.invalid("k1", "must not exceed [k2]: 1 <= k1 <= k2 <= " + MAX_K + ", got k1=" + k1 + ", k2=" + k2);
        }
        return new FaceIdentityResponseProcessor(
            tag,
            description,
            ignoreFailure,
            k1,
            k2,
            threshold,
            identityField,
            () -> engine.get().identifyThreshold()
        );
    }
}
