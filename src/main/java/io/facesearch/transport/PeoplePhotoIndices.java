package io.facesearch.transport;

import io.facesearch.index.mapper.VectorFieldMapping;
import io.facesearch.ingest.FaceProcessorFactory;
import io.facesearch.ingest.VectorCompression;
import io.facesearch.people.ClusterRun;
import io.facesearch.people.FacePersonFields;
import io.facesearch.people.PeopleIndex;

import org.opensearch.action.support.IndicesOptions;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.index.IndexNotFoundException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The photo indices a people operation names, checked against the cluster state: each a photo index (a default
 * pipeline with a {@code face} processor writing to {@code faces}) whose faces are nested with a {@code knn_vector} of
 * one dimension shared by all; and the people index that goes with them.
 */
final class PeoplePhotoIndices {
    private PeoplePhotoIndices() {}

    static ClusterRun.PhotoIndices resolve(ClusterState state, IndexNameExpressionResolver resolver, String[] expressions) {
        String[] concrete = resolver.concreteIndexNames(state, IndicesOptions.strictExpandOpenAndForbidClosed(), expressions);
        if (concrete.length == 0) {
            throw new IllegalArgumentException("no photo index matches [" + String.join(",", expressions) + "]");
        }
        Arrays.sort(concrete);
        Integer dimension = null;
        String dimensionOf = null;
        List<String> withoutPersonFields = new ArrayList<>();
        Map<String, VectorCompression> faceVectors = new LinkedHashMap<>();
        for (String index : concrete) {
            PhotoIndexPipeline pipeline = PhotoIndexPipeline.of(state, index);
            if (pipeline.isPhotoIndex() == false) {
                throw new IllegalArgumentException(
                    "index [" + index + "] is not a photo index: it has no default pipeline with a face processor (create it with PUT _plugins/_face/index/"
                        + index + ")"
                );
            }
            Object target = pipeline.processor().getOrDefault("target_field", FaceProcessorFactory.DEFAULT_TARGET_FIELD);
            if (FacePersonFields.FACES.equals(target) == false) {
                throw new IllegalArgumentException(
                    "index [" + index + "] keeps its faces in [" + target + "]; people clustering reads them from [" + FacePersonFields.FACES + "]"
                );
            }
            Map<String, Object> faces = faceProperties(pipeline.index());
            Map<?, ?> embedding = faces.get(FacePersonFields.EMBEDDING) instanceof Map<?, ?> definition ? definition : null;
            OptionalInt found = embedding != null ? VectorFieldMapping.ofDefinition(embedding).dimension() : OptionalInt.empty();
            if (found.isEmpty()) {
                throw new IllegalArgumentException(
                    "index [" + index + "] does not map [" + FacePersonFields.embedding() + "] as a knn_vector inside nested [faces]"
                );
            }
            if (dimension != null && dimension != found.getAsInt()) {
                throw new IllegalArgumentException(
                    "indices [" + dimensionOf + "] and [" + index + "] hold face vectors of different dimensions (" + dimension + " and "
                        + found.getAsInt() + "): their faces cannot be compared"
                );
            }
            dimension = found.getAsInt();
            dimensionOf = index;
            faceVectors.put(index, Objects.requireNonNullElse(VectorCompression.ofDefinition(embedding), VectorCompression.NONE));
            boolean mapped = checkKeyword(index, faces, FacePersonFields.PERSON) & checkKeyword(index, faces, FacePersonFields.NOT_PERSONS);
            if (mapped == false) {
                withoutPersonFields.add(index);
            }
        }
        return new ClusterRun.PhotoIndices(List.of(concrete), dimension, withoutPersonFields, faceVectors);
    }

    /**
     * The people index: the one named, else {@code {index}-people} of the one photo index. It must not be a photo
     * index, and if it exists, must map a centroid of the faces' dimension.
     *
     * @return whether it exists
     */
    static boolean checkPeopleIndex(ClusterState state, String peopleIndex, ClusterRun.PhotoIndices photos) {
        if (photos.indices().contains(peopleIndex)) {
            throw new IllegalArgumentException("[people_index] [" + peopleIndex + "] is one of the photo indices clustered");
        }
        IndexMetadata people = state.metadata().index(peopleIndex);
        if (people == null) {
            if (state.metadata().hasAlias(peopleIndex)) {
                throw new IllegalArgumentException("[people_index] [" + peopleIndex + "] is an alias; name an index");
            }
            return false;
        }
        Map<String, Object> properties = properties(people);
        OptionalInt dimension = properties.get(PeopleIndex.CENTROID) instanceof Map<?, ?> centroid
            ? VectorFieldMapping.ofDefinition(centroid).dimension()
            : OptionalInt.empty();
        if (dimension.isEmpty()) {
            throw new IllegalArgumentException(
                "[people_index] [" + peopleIndex + "] exists and is not a people index: it maps no [" + PeopleIndex.CENTROID + "] vector"
            );
        }
        if (dimension.getAsInt() != photos.dimension()) {
            throw new IllegalArgumentException(
                "[people_index] [" + peopleIndex + "] keeps centroids of " + dimension.getAsInt() + " dimensions, but the faces have "
                    + photos.dimension()
            );
        }
        return true;
    }

    /**
     * The people index a run takes earlier persons from ({@code persons_from}), when one is named: a people index other
     * than the run's, of any dimension (it is read for names and edits, not centroids).
     */
    static void checkPersonsFrom(ClusterState state, String personsFrom, String peopleIndex, ClusterRun.PhotoIndices photos) {
        if (personsFrom == null) {
            return;
        }
        if (personsFrom.equals(peopleIndex)) {
            throw new IllegalArgumentException("[persons_from] [" + personsFrom + "] is the people index the run writes; name another");
        }
        if (photos.indices().contains(personsFrom)) {
            throw new IllegalArgumentException("[persons_from] [" + personsFrom + "] is one of the photo indices clustered");
        }
        IndexMetadata people = state.metadata().index(personsFrom);
        if (people == null) {
            throw new IndexNotFoundException(personsFrom);
        }
        if ((properties(people).get(PeopleIndex.CENTROID) instanceof Map<?, ?>) == false) {
            throw new IllegalArgumentException(
                "[persons_from] [" + personsFrom + "] is not a people index: it maps no [" + PeopleIndex.CENTROID + "] vector"
            );
        }
    }

    /** The people index of a request: the one named, or that of its one photo index. */
    static String peopleIndexName(String named, ClusterRun.PhotoIndices photos) {
        if (named != null) {
            return named;
        }
        if (photos.indices().size() > 1) {
            throw new IllegalArgumentException(
                "[people_index] is required when the path names several photo indices (" + String.join(", ", photos.indices()) + ")"
            );
        }
        return PeopleIndex.defaultFor(photos.indices().get(0));
    }

    private static boolean checkKeyword(String index, Map<String, Object> faces, String field) {
        if ((faces.get(field) instanceof Map<?, ?>) == false) {
            return false;
        }
        Map<?, ?> definition = (Map<?, ?>) faces.get(field);
        if ("keyword".equals(definition.get("type")) == false) {
            throw new IllegalArgumentException(
                "index [" + index + "] maps [" + FacePersonFields.FACES + "." + field + "] as [" + definition.get("type")
                    + "]; people clustering needs a keyword there"
            );
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> faceProperties(IndexMetadata index) {
        Object faces = properties(index).get(FacePersonFields.FACES);
        if (faces instanceof Map<?, ?> object && "nested".equals(object.get("type")) && object.get("properties") instanceof Map<?, ?> inner) {
            return (Map<String, Object>) inner;
        }
        throw new IllegalArgumentException("index [" + index.getIndex().getName() + "] does not map [" + FacePersonFields.FACES + "] as nested objects");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(IndexMetadata index) {
        Map<String, Object> mapping = index.mapping() == null ? Map.of() : index.mapping().sourceAsMap();
        return mapping.get("properties") instanceof Map<?, ?> properties ? (Map<String, Object>) properties : Map.of();
    }
}
