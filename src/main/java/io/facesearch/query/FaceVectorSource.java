package io.facesearch.query;

import io.facesearch.common.EncodedPhoto;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.people.PeopleIndex;
import io.facesearch.vision.FaceAnalysis;
import io.facesearch.vision.FaceVerifier;
import io.facesearch.vision.NoFaceFoundException;
import io.facesearch.vision.image.InvalidImageException;

import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.get.GetRequest;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.sort.SortOrder;
import org.opensearch.common.util.concurrent.AbstractRunnable;
import org.opensearch.core.action.ActionListener;
import org.opensearch.search.fetch.subphase.FetchSourceContext;
import org.opensearch.transport.client.Client;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Turns the face of a query (a photo, or a face already indexed) into its identity vector. */
final class FaceVectorSource {
    private final Supplier<FaceEngineService> engine;
    /** The vector field searched, which holds the referenced face's vector too. */
    private final String field;

    FaceVectorSource(Supplier<FaceEngineService> engine, String field) {
        this.engine = engine;
        this.field = field;
    }

    void resolve(Client client, QueryInput input, ActionListener<float[]> listener) {
        switch (input) {
            case QueryInput.Image image -> embed(image.photo(), listener);
            case FaceReference reference -> lookUp(client, reference, listener);
            default -> listener.onFailure(
                new IllegalStateException("[" + FaceMatchQueryBuilder.NAME + "] computes no vector from [" + input.option() + "]")
            );
        }
    }

    /** The photo's main face, embedded on the face thread pool of this (the coordinating) node. */
    private void embed(EncodedPhoto image, ActionListener<float[]> listener) {
        FaceEngineService service = engine.get();
        service.executeSearch(new AbstractRunnable() {
            @Override
            protected void doRun() {
                FaceAnalysis analysis;
                try {
                    analysis = service.analyzer()
                        .analyze(QueryPhotos.bytes(FaceMatchQueryBuilder.NAME, image), service.detectionOptions(null, null, null), true);
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
        // the whole top-level object: filtered to the field itself, objects without it would drop out of the list and
        // the faces after them would change position
        String topLevel = field.split("\\.")[0];
        GetRequest get = new GetRequest(reference.index(), reference.id()).fetchSourceContext(
            new FetchSourceContext(true, new String[] { topLevel }, null)
        );
        client.get(get, ActionListener.wrap(response -> {
            if (response.isExists() == false) {
                throw new ResourceNotFoundException(
                    "[{}] document [{}] not found in index [{}]",
                    FaceMatchQueryBuilder.NAME,
                    reference.id(),
                    reference.index()
                );
            }
            listener.onResponse(faceVector(response.getSourceAsMap(), reference));
        }, listener::onFailure));
    }

    /**
     * A person of {@code peopleIndex} by id, or else by name, and its centroid; 404 when neither finds one. The
     * centroid is named in the source asked for, so that a people index that hides its vectors still returns it.
     */
    static void findPerson(Client client, String person, String peopleIndex, ActionListener<QueryInput> listener) {
        String[] centroid = new String[] { PeopleIndex.CENTROID };
        GetRequest byId = new GetRequest(peopleIndex, person).fetchSourceContext(new FetchSourceContext(true, centroid, null));
        client.get(byId, ActionListener.wrap(found -> {
            if (found.isExists()) {
                listener.onResponse(centroidOf(found.getId(), peopleIndex, found.getSourceAsMap()));
                return;
            }
            SearchSourceBuilder byName = new SearchSourceBuilder().query(QueryBuilders.termQuery(PeopleIndex.NAME, person))
                .size(1)
                .sort(PeopleIndex.CREATED_AT, SortOrder.ASC)
                .fetchSource(centroid, null);
            client.search(new SearchRequest(peopleIndex).source(byName), ActionListener.wrap(named -> {
                SearchHit[] hits = named.getHits().getHits();
                if (hits.length == 0) {
                    throw new ResourceNotFoundException(
                        "[{}] person [{}] not found in [{}], by id or by name",
                        FaceMatchQueryBuilder.NAME,
                        person,
                        peopleIndex
                    );
                }
                listener.onResponse(centroidOf(hits[0].getId(), peopleIndex, hits[0].getSourceAsMap()));
            }, listener::onFailure));
        }, listener::onFailure));
    }

    private static QueryInput.PersonCentroid centroidOf(String id, String peopleIndex, Map<String, Object> source) {
        List<?> values = source != null && source.get(PeopleIndex.CENTROID) instanceof List<?> list ? list : List.of();
        float[] centroid = new float[values.size()];
        for (int i = 0; i < centroid.length; i++) {
            centroid[i] = values.get(i) instanceof Number number ? number.floatValue() : Float.NaN;
        }
        if (centroid.length == 0 || Float.isNaN(centroid[0])) {
            throw new IllegalArgumentException("[" + FaceMatchQueryBuilder.NAME + "] person [" + id + "] of [" + peopleIndex + "] has no centroid");
        }
        return new QueryInput.PersonCentroid(id, peopleIndex, centroid);
    }

    /**
     * The vector of the referenced face in its document's source: the field's path is followed, and the first list
     * of objects on the way is the list of faces, of which the referenced one is taken.
     */
    private float[] faceVector(Map<String, Object> source, FaceReference reference) {
        String[] parts = field.split("\\.");
        Object node = source;
        String faces = null;
        for (int i = 0; i < parts.length; i++) {
            node = node instanceof Map<?, ?> object ? object.get(parts[i]) : null;
            if (faces == null && i < parts.length - 1 && node instanceof List<?> objects) {
                faces = String.join(".", Arrays.copyOf(parts, i + 1));
                if (reference.face() >= objects.size()) {
                    throw noSuchFace(reference, objects.size(), faces);
                }
                node = objects.get(reference.face());
            }
        }
        if (faces == null && (reference.face() > 0 || node == null)) {
            // no list of faces: the vector, if any, belongs to the document itself, its one face
            throw noSuchFace(reference, node == null ? 0 : 1, field);
        }
        List<?> values = node instanceof List<?> list ? list : List.of();
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            if ((values.get(i) instanceof Number) == false) {
                throw noVector(reference);
            }
            vector[i] = ((Number) values.get(i)).floatValue();
        }
        if (vector.length == 0) {
            throw noVector(reference);
        }
        return vector;
    }

    private IllegalArgumentException noVector(FaceReference reference) {
        return new IllegalArgumentException(
            "[" + FaceMatchQueryBuilder.NAME + "] face " + reference.face() + " of document [" + reference.id() + "] has no vector in ["
                + field + "]"
        );
    }

    private static IllegalArgumentException noSuchFace(FaceReference reference, int count, String path) {
        return new IllegalArgumentException(
            "[" + FaceMatchQueryBuilder.NAME + "] document [" + reference.id() + "] of index [" + reference.index() + "] has " + count
                + " face(s) under [" + path + "]; face " + reference.face() + " does not exist"
        );
    }
}
