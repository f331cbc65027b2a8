package io.facesearch.plugin;

import io.facesearch.breaker.DecodeMemoryBreaker;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.identify.FaceIdentityExt;
import io.facesearch.identify.FaceIdentityProcessorFactory;
import io.facesearch.identify.FaceIdentityResponseProcessor;
import io.facesearch.index.PhotoIndexSettings;
import io.facesearch.index.VectorSourceFilter;
import io.facesearch.ingest.FaceProcessor;
import io.facesearch.ingest.FaceProcessorFactory;
import io.facesearch.ingest.TargetMappingCheck;
import io.facesearch.query.ClipMatchQueryBuilder;
import io.facesearch.query.ClipMatchQueryParser;
import io.facesearch.query.FaceMatchQueryBuilder;
import io.facesearch.query.FaceMatchQueryParser;
import io.facesearch.query.KnnHitsCarrier;
import io.facesearch.query.SharedKnnConcurrentSearchDecider;
import io.facesearch.query.SharedKnnQueryBuilder;
import io.facesearch.rest.RestClusterPeopleAction;
import io.facesearch.rest.RestEraseAction;
import io.facesearch.rest.RestDetectAction;
import io.facesearch.rest.RestIdentifyAction;
import io.facesearch.rest.RestModelsAction;
import io.facesearch.rest.RestPeopleAction;
import io.facesearch.rest.RestPersonEditAction;
import io.facesearch.rest.RestPhotoIndexAction;
import io.facesearch.rest.RestStatsAction;
import io.facesearch.rest.RestVerifyAction;
import io.facesearch.threadpool.InferencePools;
import io.facesearch.threadpool.PeoplePool;
import io.facesearch.transport.ClusterPeopleAction;
import io.facesearch.transport.EraseAction;
import io.facesearch.transport.ClusterPeopleStatus;
import io.facesearch.transport.CreatePhotoIndexAction;
import io.facesearch.transport.DeletePhotoIndexAction;
import io.facesearch.transport.DetectAction;
import io.facesearch.transport.GetPeopleAction;
import io.facesearch.transport.GetPhotoIndexAction;
import io.facesearch.transport.IdentifyAction;
import io.facesearch.transport.MergePeopleAction;
import io.facesearch.transport.ModelsAction;
import io.facesearch.transport.NamePersonAction;
import io.facesearch.transport.RejectFacesAction;
import io.facesearch.transport.SplitPersonAction;
import io.facesearch.transport.StatsAction;
import io.facesearch.transport.TransportClusterPeopleAction;
import io.facesearch.transport.TransportEraseAction;
import io.facesearch.transport.TransportCreatePhotoIndexAction;
import io.facesearch.transport.TransportDeletePhotoIndexAction;
import io.facesearch.transport.TransportDetectAction;
import io.facesearch.transport.TransportGetPeopleAction;
import io.facesearch.transport.TransportGetPhotoIndexAction;
import io.facesearch.transport.TransportIdentifyAction;
import io.facesearch.transport.TransportMergePeopleAction;
import io.facesearch.transport.TransportModelsAction;
import io.facesearch.transport.TransportNamePersonAction;
import io.facesearch.transport.TransportRejectFacesAction;
import io.facesearch.transport.TransportSplitPersonAction;
import io.facesearch.transport.TransportStatsAction;
import io.facesearch.transport.TransportVerifyAction;
import io.facesearch.transport.VerifyAction;
import io.facesearch.vision.opencv.OpenCvNatives;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.node.DiscoveryNodes;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.IndexScopedSettings;
import org.opensearch.index.IndexModule;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.settings.SettingsFilter;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.indices.breaker.BreakerSettings;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.CircuitBreakerPlugin;
import org.opensearch.plugins.IngestPlugin;
import org.opensearch.plugins.SearchPipelinePlugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.ingest.Processor;
import org.opensearch.plugins.Plugin;
import org.opensearch.repositories.RepositoriesService;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;
import org.opensearch.script.ScriptService;
import org.opensearch.search.deciders.ConcurrentSearchRequestDecider;
import org.opensearch.search.pipeline.SearchResponseProcessor;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ExecutorBuilder;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Entry point of the face-search plugin: settings, the inference thread pools, the decoding circuit breaker, the
 * face models, the REST API, the ingest processor, the queries and the search response processor.
 */
public class FaceSearchPlugin extends Plugin
    implements
        ActionPlugin,
        IngestPlugin,
        SearchPlugin,
        SearchPipelinePlugin,
        CircuitBreakerPlugin {
    private final DecodeMemoryBreaker decodeBreaker = new DecodeMemoryBreaker();
    private final VectorSourceFilter vectorSourceFilter = new VectorSourceFilter();
    private FaceEngineService engine;

    @Override
    public Collection<Object> createComponents(
        Client client,
        ClusterService clusterService,
        ThreadPool threadPool,
        ResourceWatcherService resourceWatcherService,
        ScriptService scriptService,
        NamedXContentRegistry xContentRegistry,
        Environment environment,
        NodeEnvironment nodeEnvironment,
        NamedWriteableRegistry namedWriteableRegistry,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<RepositoriesService> repositoriesServiceSupplier
    ) {
        // OpenSearch gives every start a new private temporary folder: unpacking the OpenCV natives (about
        // 120 MB) there would repeat at every start and leave a copy behind each time. The data folder persists.
        OpenCvNatives.useCacheDirectory(environment.dataFiles()[0].resolve("face-search").resolve("natives"));
        vectorSourceFilter.start(clusterService, indexNameExpressionResolver);
        engine = new FaceEngineService(
            environment.settings(),
            environment.configDir(),
            clusterService.getClusterSettings(),
            new InferencePools(threadPool, environment.settings()),
            decodeBreaker
        );
        // the breaker is shared with the people operations, which reserve the vectors they hold in it
        return List.of(engine, decodeBreaker);
    }

    @Override
    public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
        // Processors are created before createComponents: the engine is looked up when a document arrives.
        TargetMappingCheck mappingCheck = new TargetMappingCheck(() -> parameters.ingestService.getClusterService());
        return Map.of(FaceProcessor.TYPE, new FaceProcessorFactory(() -> engine, mappingCheck));
    }

    @Override
    public List<QuerySpec<?>> getQueries() {
        return List.of(
            new QuerySpec<>(
                FaceMatchQueryBuilder.NAME,
                in -> new FaceMatchQueryBuilder(in, () -> engine),
                parser -> FaceMatchQueryParser.parse(parser, () -> engine)
            ),
            new QuerySpec<>(
                ClipMatchQueryBuilder.NAME,
                in -> new ClipMatchQueryBuilder(in, () -> engine),
                parser -> ClipMatchQueryParser.parse(parser, () -> engine)
            )
        );
    }

    @Override
    public void onIndexModule(IndexModule indexModule) {
        // indices are made after createComponents, so the engine and its stats are there
        indexModule.addSearchOperationListener(new KnnHitsCarrier(engine.stats()));
    }

    @Override
    public Optional<ConcurrentSearchRequestDecider.Factory> getConcurrentSearchRequestDeciderFactory() {
        return Optional.of(new SharedKnnConcurrentSearchDecider.Factory());
    }

    @Override
    public List<SearchExtSpec<?>> getSearchExts() {
        return List.of(new SearchExtSpec<>(FaceIdentityExt.NAME, FaceIdentityExt::new, FaceIdentityExt::parse));
    }

    @Override
    public Map<String, org.opensearch.search.pipeline.Processor.Factory<SearchResponseProcessor>> getResponseProcessors(
        SearchPipelinePlugin.Parameters parameters
    ) {
        // like the ingest processors, made before createComponents: the engine is looked up at each search
        return Map.of(FaceIdentityResponseProcessor.TYPE, new FaceIdentityProcessorFactory(() -> engine));
    }

    @Override
    public List<Setting<?>> getSettings() {
        return Stream.concat(FaceSearchSettings.all().stream(), PhotoIndexSettings.all().stream()).toList();
    }

    @Override
    public List<ActionFilter> getActionFilters() {
        return List.of(vectorSourceFilter);
    }

    @Override
    public List<ExecutorBuilder<?>> getExecutorBuilders(Settings settings) {
        List<ExecutorBuilder<?>> builders = new ArrayList<>(InferencePools.executorBuilders(settings));
        builders.add(PeoplePool.executorBuilder(settings));
        return builders;
    }

    @Override
    public BreakerSettings getCircuitBreaker(Settings settings) {
        return DecodeMemoryBreaker.settings();
    }

    @Override
    public void setCircuitBreaker(CircuitBreaker circuitBreaker) {
        decodeBreaker.use(circuitBreaker);
    }

    @Override
    public List<RestHandler> getRestHandlers(
        Settings settings,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster
    ) {
        return List.of(
            new RestModelsAction(),
            new RestStatsAction(),
            new RestDetectAction(),
            new RestVerifyAction(),
            new RestIdentifyAction(),
            new RestPhotoIndexAction(),
            new RestClusterPeopleAction(),
            new RestEraseAction(),
            new RestPeopleAction(),
            new RestPersonEditAction()
        );
    }

    @Override
    public List<ActionHandler<? extends ActionRequest, ? extends ActionResponse>> getActions() {
        return List.of(
            new ActionHandler<>(DetectAction.INSTANCE, TransportDetectAction.class),
            new ActionHandler<>(VerifyAction.INSTANCE, TransportVerifyAction.class),
            new ActionHandler<>(IdentifyAction.INSTANCE, TransportIdentifyAction.class),
            new ActionHandler<>(ModelsAction.INSTANCE, TransportModelsAction.class),
            new ActionHandler<>(StatsAction.INSTANCE, TransportStatsAction.class),
            new ActionHandler<>(CreatePhotoIndexAction.INSTANCE, TransportCreatePhotoIndexAction.class),
            new ActionHandler<>(GetPhotoIndexAction.INSTANCE, TransportGetPhotoIndexAction.class),
            new ActionHandler<>(DeletePhotoIndexAction.INSTANCE, TransportDeletePhotoIndexAction.class),
            new ActionHandler<>(ClusterPeopleAction.INSTANCE, TransportClusterPeopleAction.class),
            new ActionHandler<>(EraseAction.INSTANCE, TransportEraseAction.class),
            new ActionHandler<>(GetPeopleAction.INSTANCE, TransportGetPeopleAction.class),
            new ActionHandler<>(NamePersonAction.INSTANCE, TransportNamePersonAction.class),
            new ActionHandler<>(MergePeopleAction.INSTANCE, TransportMergePeopleAction.class),
            new ActionHandler<>(SplitPersonAction.INSTANCE, TransportSplitPersonAction.class),
            new ActionHandler<>(RejectFacesAction.INSTANCE, TransportRejectFacesAction.class)
        );
    }

    @Override
    public List<NamedWriteableRegistry.Entry> getNamedWriteables() {
        return List.of(
            // a clustering run's progress, sent with its task from the node running it to the node asked
            new NamedWriteableRegistry.Entry(Task.Status.class, ClusterPeopleStatus.NAME, ClusterPeopleStatus::new),
            // the knn query of a face_match or clip_match rewritten on a shard, sent back to it with the fetch request
            new NamedWriteableRegistry.Entry(QueryBuilder.class, SharedKnnQueryBuilder.NAME, SharedKnnQueryBuilder::new)
        );
    }

    @Override
    public void close() throws IOException {
        if (engine != null) {
            engine.close();
        }
    }
}
