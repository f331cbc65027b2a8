package io.facesearch.query;

import io.facesearch.plugin.FaceEngineService;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceVerifier;
import io.facesearch.vision.NoFaceFoundException;
import io.facesearch.vision.image.InvalidImageException;

import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.get.GetRequest;
import org.opensearch.common.util.concurrent.AbstractRunnable;
import org.opensearch.common.xcontent.support.XContentMapValues;
import org.opensearch.core.action.ActionListener;
import org.opensearch.transport.client.Client;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Turns the face of a query (a photo, or a face already indexed) into its identity vector. */
final class FaceVectorSource {
    private final Supplier<FaceEngineService> engine;
    private final String path;

    FaceVectorSource(Supplier<FaceEngineService> engine, String path) {
        this.engine = engine;
        this.path = path;
    }

    void resolve(Client client, byte[] image, FaceReference reference, ActionListener<float[]> listener) {
        if (image != null) {
            embed(image, listener);
        } else {
            lookUp(client, reference, listener);
        }
    }

    /** The photo's main face, embedded on the face thread pool of this (the coordinating) node. */
    private void embed(byte[] image, ActionListener<float[]> listener) {
        FaceEngineService service = engine.get();
        service.executeSearch(new AbstractRunnable() {
            @Override
            protected void doRun() {
                FaceAnalysis analysis;
                try {
                    analysis = service.analyzer().analyze(image, service.detectionOptions(null, null, null), true);
                } catch (InvalidImageException e) {
                    throw e.in("[" + FaceMatchQueryBuilder.NAME + "] [image]");
                }
                if (analysis.faces().isEmpty()) {
                    throw new NoFaceFoundException("no face found in the [" + FaceMatchQueryBuilder.NAME + "] [image]");
                }
                listener.onResponse(analysis.faces().get(FaceVerifier.mainFace(analysis)).embedding());
            }

            @Override
            public void onFailure(Exception e) {
                listener.onFailure(e);
            }
        });
    }

    private void lookUp(Client client, FaceReference reference, ActionListener<float[]> listener) {
        GetRequest get = new GetRequest(reference.index(), reference.id()).fetchSourceContext(
            new org.opensearch.search.fetch.subphase.FetchSourceContext(true, new String[] { path }, null)
        );
        client.get(get, ActionListener.wrap(response -> {
            if (response.isExists() == false) {
                throw new ResourceNotFoundException("[{}] document [{}] not found in index [{}]", FaceMatchQueryBuilder.NAME, reference.id(), reference.index());
            }
            Object faces = XContentMapValues.extractValue(path, response.getSourceAsMap());
            if ((faces instanceof List<?>) == false || ((List<?>) faces).size() <= reference.face()) {
                int count = faces instanceof List<?> list ? list.size() : 0;
                throw new IllegalArgumentException(
                    "[" + FaceMatchQueryBuilder.NAME + "] document [" + reference.id() + "] of index [" + reference.index() + "] has " + count
                        + " face(s) under [" + path + "]; face " + reference.face() + " does not exist"
                );
            }
            Object face = ((List<?>) faces).get(reference.face());
            Object embedding = face instanceof Map<?, ?> map ? map.get("embedding") : null;
            if ((embedding instanceof List<?>) == false) {
                throw new IllegalArgumentException(
                    "[" + FaceMatchQueryBuilder.NAME + "] face " + reference.face() + " of document [" + reference.id() + "] has no [embedding]"
                );
            }
            List<?> values = (List<?>) embedding;
            float[] vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = ((Number) values.get(i)).floatValue();
            }
            listener.onResponse(vector);
        }, listener::onFailure));
    }
}
