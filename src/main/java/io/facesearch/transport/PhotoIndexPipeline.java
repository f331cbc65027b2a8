package io.facesearch.transport;

import io.facesearch.ingest.FaceProcessor;

import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.index.IndexNotFoundException;
import org.opensearch.index.IndexSettings;
import org.opensearch.ingest.IngestMetadata;
import org.opensearch.ingest.IngestService;
import org.opensearch.ingest.PipelineConfiguration;

import java.util.List;
import java.util.Map;

/**
 * An index and the {@code face} processor of its default pipeline, as the cluster state holds them: what makes an index
 * a photo index.
 *
 * @param pipeline  the index's default pipeline, or null
 * @param processor the options of the pipeline's {@code face} processor, or null when it has none
 */
record PhotoIndexPipeline(IndexMetadata index, String pipeline, Map<String, Object> processor) {

    static PhotoIndexPipeline of(ClusterState state, String name) {
        IndexMetadata index = state.metadata().index(name);
        if (index == null) {
            throw new IndexNotFoundException(name);
        }
        String pipeline = IndexSettings.DEFAULT_PIPELINE.get(index.getSettings());
        if (IngestService.NOOP_PIPELINE_NAME.equals(pipeline)) {
            pipeline = null;
        }
        return new PhotoIndexPipeline(index, pipeline, faceProcessor(state, pipeline));
    }

    boolean isPhotoIndex() {
        return processor != null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> faceProcessor(ClusterState state, String pipeline) {
        IngestMetadata ingest = state.metadata().custom(IngestMetadata.TYPE);
        PipelineConfiguration configuration = pipeline == null || ingest == null ? null : ingest.getPipelines().get(pipeline);
        Object processors = configuration == null ? null : configuration.getConfigAsMap().get("processors");
        if ((processors instanceof List<?>) == false) {
            return null;
        }
        for (Object processor : (List<?>) processors) {
            if (processor instanceof Map<?, ?> map && map.get(FaceProcessor.TYPE) instanceof Map<?, ?> options) {
                return (Map<String, Object>) options;
            }
        }
        return null;
    }
}
