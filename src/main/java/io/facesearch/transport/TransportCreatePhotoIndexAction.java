package io.facesearch.transport;

import io.facesearch.common.FieldValues;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.ingest.FaceProcessor;
import io.facesearch.ingest.FaceProcessorFactory;
import io.facesearch.ingest.PhotoIndexMapping;
import io.facesearch.ingest.TargetMappingCheck;

import org.opensearch.ResourceAlreadyExistsException;
import org.opensearch.action.ActionRunnable;
import org.opensearch.action.admin.indices.create.CreateIndexRequest;
import org.opensearch.action.admin.indices.delete.DeleteIndexRequest;
import org.opensearch.action.ingest.PutPipelineRequest;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.MetadataCreateIndexService;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.common.settings.IndexScopedSettings;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.indices.InvalidIndexNameException;
import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.IngestMetadata;
import org.opensearch.ingest.PipelineConfiguration;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Creates a photo index and its ingest pipeline as one: everything is checked first (the index name, that the index
 * does not exist, that the pipeline does not exist or is exactly the one to store, the processor options, the index
 * settings), then the index is created, already
 * naming the pipeline as its default (documents sent before the pipeline exists fail; none is indexed without faces),
 * then the pipeline; if that fails, the index is deleted again. The index creation is the lock: of two requests for
 * the same index, one creates it and the other changes nothing.
 */
public class TransportCreatePhotoIndexAction extends HandledTransportAction<CreatePhotoIndexRequest, CreatePhotoIndexResponse> {
    private final FaceEngineService engine;
    private final Client client;
    private final ClusterService clusterService;
    private final ThreadPool threadPool;
    private final IndexScopedSettings indexScopedSettings;

    @Inject
    public TransportCreatePhotoIndexAction(
        TransportService transportService,
        ActionFilters actionFilters,
        FaceEngineService engine,
        Client client,
        ClusterService clusterService,
        ThreadPool threadPool,
        IndexScopedSettings indexScopedSettings
    ) {
        super(CreatePhotoIndexAction.NAME, transportService, actionFilters, CreatePhotoIndexRequest::new);
        this.engine = engine;
        this.client = client;
        this.clusterService = clusterService;
        this.threadPool = threadPool;
        this.indexScopedSettings = indexScopedSettings;
    }

    @Override
    protected void doExecute(Task task, CreatePhotoIndexRequest request, ActionListener<CreatePhotoIndexResponse> listener) {
        // off the transport thread: a processor naming another embedder than the node's opens its ONNX session
        threadPool.generic().execute(ActionRunnable.wrap(listener, l -> create(request, l)));
    }

    private void create(CreatePhotoIndexRequest request, ActionListener<CreatePhotoIndexResponse> listener) throws IOException {
        String index = request.index();
        Map<String, Object> processor = request.processor();
        // CLIP vectors are written by default wherever the node can make them
        if (processor.containsKey("clip") == false && engine.clipEnabled() && engine.clip().canEmbedImages()) {
            processor.put("clip", true);
        }
        BytesReference pipelineBody = pipelineBody(index, processor);
        boolean pipelineExists = checkNew(index, request.pipeline(), pipelineBody, clusterService.state());
        checkProcessor(processor);
        // the options the mapping depends on, read with the processor's own rules
        String field = option(processor, "field", FaceProcessorFactory.DEFAULT_FIELD, FieldValues::string);
        String targetField = option(processor, "target_field", FaceProcessorFactory.DEFAULT_TARGET_FIELD, FieldValues::string);
        String photoField = option(processor, "photo_field", FaceProcessorFactory.DEFAULT_PHOTO_FIELD, FieldValues::string);
        String embedder = option(processor, "embedder", null, FieldValues::string);
        int dimension = engine.analyzer(null, embedder).embedder().dimension();
        boolean clip = option(processor, "clip", false, FieldValues::bool);
        boolean faceClip = option(processor, "face_clip", false, FieldValues::bool);
        String clipField = clip ? option(processor, "clip_field", FaceProcessorFactory.DEFAULT_CLIP_FIELD, FieldValues::string) : null;
        int clipDimension = clip ? engine.clip().dimension() : 0;

        Settings settings = Settings.builder()
            .put(PhotoIndexMapping.settings())
            .put(request.compression().indexSettings())
            .put("index.number_of_shards", 1)
            .put("index.auto_expand_replicas", "0-1")
            .put(request.settings())
            .put("index.default_pipeline", request.pipeline())
            .build();
        try {
            indexScopedSettings.validate(settings, true);
        } catch (IllegalArgumentException e) {
            throw FieldValues.invalid("settings", e.getMessage());
        }
        CreateIndexRequest create = new CreateIndexRequest(index).settings(settings)
            .mapping(PhotoIndexMapping.build(field, targetField, photoField, dimension, clipField, clipDimension, faceClip, request.compression(), request.graph()));
        PutPipelineRequest pipeline = new PutPipelineRequest(request.pipeline(), pipelineBody, XContentType.JSON);
        client.admin().indices().create(create, ActionListener.wrap(created -> {
            if (pipelineExists) {
                listener.onResponse(new CreatePhotoIndexResponse(created.isAcknowledged(), index, request.pipeline(), dimension, request.compression(), request.graph(), clipField, clipDimension));
                return;
            }
            client.admin().cluster().putPipeline(pipeline, ActionListener.wrap(
                stored -> listener.onResponse(
                    new CreatePhotoIndexResponse(
                        created.isAcknowledged() && stored.isAcknowledged(),
                        index,
                        request.pipeline(),
                        dimension,
                        request.compression(),
                        request.graph(),
                        clipField,
                        clipDimension
                    )
                ),
                failure -> undo(index, failure, listener)
            ));
        }, listener::onFailure));
    }

    /**
     * Refuses a name OpenSearch would refuse, an index or alias that exists, and a pipeline id in use by another
     * pipeline than the one this request would store; whether that very pipeline exists already (left by an index
     * deleted on its own), to be used as it is.
     */
    private static boolean checkNew(String index, String pipeline, BytesReference pipelineBody, ClusterState state) {
        MetadataCreateIndexService.validateIndexOrAliasName(index, InvalidIndexNameException::new);
        if (index.toLowerCase(Locale.ROOT).equals(index) == false) {
            throw new InvalidIndexNameException(index, "must be lowercase");
        }
        if (state.metadata().hasIndex(index) || state.metadata().hasAlias(index)) {
            throw new ResourceAlreadyExistsException(
                "index [{}] already exists; PUT _plugins/_face/index only creates new photo indices and changed nothing (see GET "
                    + "_plugins/_face/index/{})",
                index,
                index
            );
        }
        IngestMetadata ingest = state.metadata().custom(IngestMetadata.TYPE);
        PipelineConfiguration existing = ingest == null ? null : ingest.getPipelines().get(pipeline);
        if (existing == null) {
            return false;
        }
        if (existing.getConfigAsMap().equals(XContentHelper.convertToMap(pipelineBody, false, XContentType.JSON).v2())) {
            return true;
        }
        throw FieldValues.invalid(
            "pipeline",
            "names the ingest pipeline [" + pipeline + "], which already exists with other options; name another, or delete it first"
        );
    }

    /** Builds the processor as the pipeline will, so that a bad option is refused before anything is created. */
    private void checkProcessor(Map<String, Object> options) {
        Map<String, Object> config = new java.util.HashMap<>(options);
        FaceProcessor checked = new FaceProcessorFactory(() -> engine, new TargetMappingCheck(() -> clusterService)).create(
            Map.of(),
            null,
            null,
            config
        );
        if (config.isEmpty() == false) {
            throw ConfigurationUtils.newConfigurationException(
                checked.getType(),
                null,
                null,
                "processor [" + checked.getType() + "] doesn't support one or more provided configuration parameters " + config.keySet()
            );
        }
    }

    private static BytesReference pipelineBody(String index, Map<String, Object> processor) throws IOException {
        XContentBuilder body = XContentFactory.jsonBuilder()
            .startObject()
            .field("description", "faces of the photos in [" + index + "], written by PUT _plugins/_face/index")
            .startArray("processors")
            .startObject()
            .field(FaceProcessor.TYPE, processor)
            .endObject()
            .endArray()
            .endObject();
        return BytesReference.bytes(body);
    }

    /** The pipeline could not be stored: the index created for it goes too, and the request fails with the first failure. */
    private void undo(String index, Exception failure, ActionListener<CreatePhotoIndexResponse> listener) {
        client.admin().indices().delete(new DeleteIndexRequest(index), ActionListener.wrap(deleted -> listener.onFailure(failure), e -> {
            failure.addSuppressed(e);
            listener.onFailure(failure);
        }));
    }

    private static <T> T option(Map<String, Object> processor, String key, T defaultValue, BiFunction<Object, String, T> read) {
        return processor.containsKey(key) ? read.apply(processor.get(key), key) : defaultValue;
    }
}
