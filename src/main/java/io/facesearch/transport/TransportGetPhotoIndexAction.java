package io.facesearch.transport;

import io.facesearch.common.FieldValues;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.ingest.FaceProcessorFactory;
import io.facesearch.ingest.HnswGraph;
import io.facesearch.ingest.TargetMappingCheck;
import io.facesearch.ingest.VectorCompression;
import io.facesearch.vision.FaceAnalyzer;

import org.opensearch.action.ActionRunnable;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reports a photo index: its default pipeline and that pipeline's {@code face} options, the models those name on
 * this node, and whether the index's mapping can take their vectors (nested faces, knn_vector fields of the models'
 * dimensions); {@code ready} is true when nothing is wrong.
 */
public class TransportGetPhotoIndexAction extends HandledTransportAction<PhotoIndexRequest, ReportResponse> {
    private final FaceEngineService engine;
    private final ClusterService clusterService;
    private final ThreadPool threadPool;

    @Inject
    public TransportGetPhotoIndexAction(
        TransportService transportService,
        ActionFilters actionFilters,
        FaceEngineService engine,
        ClusterService clusterService,
        ThreadPool threadPool
    ) {
        super(GetPhotoIndexAction.NAME, transportService, actionFilters, PhotoIndexRequest::new);
        this.engine = engine;
        this.clusterService = clusterService;
        this.threadPool = threadPool;
    }

    @Override
    protected void doExecute(Task task, PhotoIndexRequest request, ActionListener<ReportResponse> listener) {
        // off the transport thread: a pipeline naming another embedder than the node's opens its ONNX session
        threadPool.generic().execute(ActionRunnable.supply(listener, () -> new ReportResponse(report(request.index()))));
    }

    private Map<String, Object> report(String name) {
        PhotoIndexPipeline index = PhotoIndexPipeline.of(clusterService.state(), name);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("index", name);
        List<String> problems = new ArrayList<>();
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("id", index.pipeline());
        if (index.isPhotoIndex()) {
            pipeline.put("processor", index.processor());
        } else {
            problems.add(
                index.pipeline() == null
                    ? "the index has no default pipeline: documents get no faces"
                    : "its default pipeline [" + index.pipeline() + "] has no face processor (or does not exist)"
            );
        }
        report.put("pipeline", pipeline);
        if (index.isPhotoIndex()) {
            Map<String, Object> options = index.processor();
            String detector = option(options, "detector", null);
            String embedder = option(options, "embedder", null);
            String targetField = option(options, "target_field", FaceProcessorFactory.DEFAULT_TARGET_FIELD);
            Map<String, Object> models = new LinkedHashMap<>();
            try {
                FaceAnalyzer analyzer = engine.analyzer(detector, embedder);
                models.put("detector", analyzer.detector().spec().name());
                models.put("embedder", analyzer.embedder().spec().name());
                models.put("dimension", analyzer.embedder().dimension());
                checkVectors(name, targetField + ".embedding", analyzer.embedder().dimension(), analyzer.embedder().spec().name(), problems);
            } catch (RuntimeException e) {
                problems.add("its models cannot be used on this node: " + e.getMessage());
            }
            if (Boolean.TRUE.equals(options.get("clip"))) {
                try {
                    int clipDimension = engine.clip().dimension();
                    String clipModel = engine.clip().imageModel().name();
                    models.put("clip", clipModel);
                    models.put("clip_dimension", clipDimension);
                    String clipField = option(options, "clip_field", FaceProcessorFactory.DEFAULT_CLIP_FIELD);
                    checkVectors(name, clipField, clipDimension, clipModel, problems);
                    if (Boolean.TRUE.equals(options.get("face_clip"))) {
                        checkVectors(name, targetField + ".clip", clipDimension, clipModel, problems);
                    }
                } catch (RuntimeException e) {
                    problems.add("its CLIP model cannot be used on this node: " + e.getMessage());
                }
            }
            report.put("models", models);
            Map<?, ?> faceVectors = definition(name, targetField + ".embedding");
            report.put(VectorCompression.FIELD, compression(faceVectors));
            HnswGraph graph = faceVectors == null ? null : HnswGraph.ofDefinition(faceVectors);
            report.put(HnswGraph.FIELD, graph == null ? null : graph.parameters());
        }
        report.put("ready", problems.isEmpty());
        report.put("problems", problems);
        return report;
    }

    /**
     * The compression of the face vectors as the index maps them: a value of {@code PUT _plugins/_face/index}'s
     * {@code compression}, {@code "other"} for a quantization no photo index is made with, null when the field is not
     * mapped (a problem reported by the mapping check).
     */
    private static String compression(Map<?, ?> definition) {
        if (definition == null) {
            return null;
        }
        VectorCompression compression = VectorCompression.ofDefinition(definition);
        return compression == null ? "other" : compression.value();
    }

    /** The mapping of a field of the index, null when it is not mapped. */
    private Map<?, ?> definition(String index, String vectorField) {
        IndexMetadata metadata = clusterService.state().metadata().index(index);
        if (metadata == null || metadata.mapping() == null) {
            return null;
        }
        Object node = metadata.mapping().sourceAsMap();
        for (String part : vectorField.split("\\.")) {
            node = node instanceof Map<?, ?> map && map.get("properties") instanceof Map<?, ?> properties ? properties.get(part) : null;
        }
        return node instanceof Map<?, ?> definition ? definition : null;
    }

    /** The ingest processor's own check of the index mapping, its refusal kept as a problem. */
    private void checkVectors(String index, String field, int dimension, String model, List<String> problems) {
        try {
            new TargetMappingCheck(() -> clusterService).check(index, field, dimension, model);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    private static String option(Map<String, Object> options, String key, String defaultValue) {
        return options.containsKey(key) ? FieldValues.string(options.get(key), key) : defaultValue;
    }
}
