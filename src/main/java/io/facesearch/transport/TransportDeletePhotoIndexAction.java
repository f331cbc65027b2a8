package io.facesearch.transport;

import org.opensearch.action.admin.indices.delete.DeleteIndexRequest;
import org.opensearch.action.ingest.DeletePipelineRequest;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.IndexSettings;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;
import org.opensearch.transport.client.Client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deletes a photo index, then its default pipeline unless another index still uses it. An index whose default
 * pipeline has no {@code face} processor is not a photo index, and is left alone: it is deleted with {@code DELETE /index}.
 */
public class TransportDeletePhotoIndexAction extends HandledTransportAction<PhotoIndexRequest, ReportResponse> {
    private final Client client;
    private final ClusterService clusterService;

    @Inject
    public TransportDeletePhotoIndexAction(
        TransportService transportService,
        ActionFilters actionFilters,
        Client client,
        ClusterService clusterService
    ) {
        super(DeletePhotoIndexAction.NAME, transportService, actionFilters, PhotoIndexRequest::new);
        this.client = client;
        this.clusterService = clusterService;
    }

    @Override
    protected void doExecute(Task task, PhotoIndexRequest request, ActionListener<ReportResponse> listener) {
        PhotoIndexPipeline index = PhotoIndexPipeline.of(clusterService.state(), request.index());
        if (index.isPhotoIndex() == false) {
            throw new IllegalArgumentException(
                "index [" + request.index() + "] is not a photo index (its default pipeline has no face processor); delete it with DELETE /"
                    + request.index()
            );
        }
        client.admin().indices().delete(new DeleteIndexRequest(request.index()), ActionListener.wrap(deleted -> {
            if (usedElsewhere(clusterService.state(), index.pipeline())) {
                listener.onResponse(report(request.index(), deleted.isAcknowledged(), null));
                return;
            }
            client.admin()
                .cluster()
                .deletePipeline(
                    new DeletePipelineRequest(index.pipeline()),
                    ActionListener.wrap(
                        removed -> listener.onResponse(report(request.index(), deleted.isAcknowledged() && removed.isAcknowledged(), index.pipeline())),
                        listener::onFailure
                    )
                );
        }, listener::onFailure));
    }

    /** Whether an index still names {@code pipeline} as its default or final pipeline. */
    private static boolean usedElsewhere(ClusterState state, String pipeline) {
        for (IndexMetadata index : state.metadata().indices().values()) {
            if (pipeline.equals(IndexSettings.DEFAULT_PIPELINE.get(index.getSettings()))
                || pipeline.equals(IndexSettings.FINAL_PIPELINE.get(index.getSettings()))) {
                return true;
            }
        }
        return false;
    }

    private static ReportResponse report(String index, boolean acknowledged, String pipeline) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("acknowledged", acknowledged);
        report.put("index", index);
        report.put("pipeline", pipeline);
        return new ReportResponse(report);
    }
}
