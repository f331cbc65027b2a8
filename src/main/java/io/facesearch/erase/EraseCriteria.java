package io.facesearch.erase;

import io.facesearch.common.StoredVectors;
import io.facesearch.ingest.VectorCompression;
import io.facesearch.people.FacePersonFields;
import io.facesearch.query.KnnQueries;

import org.apache.lucene.search.join.ScoreMode;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whose faces an erasure removes: those labelled with an identity, those of a person of the people index, or those
 * that look like an example face. Each gives the query that finds the photos holding such faces, and decides face by
 * face on a photo's source, so the same criteria find, erase and then verify.
 */
public sealed interface EraseCriteria {

    /** Finds the photos with at least one matching face (or, for a label, labelled as a whole). */
    QueryBuilder photos();

    /** Whether a photo as a whole names the subject, so that it goes whole. */
    boolean matchesPhoto(Map<String, Object> source);

    /**
     * Whether a face object of a photo of {@code index} matches: null when it does not, else its similarity to the
     * example face (NaN for criteria without one).
     */
    Double matchesFace(String index, Map<?, ?> face);

    /** The criteria as an audit record and an answer show them: never the photo or the vector. */
    Map<String, Object> describe();

    /**
     * Faces whose {@code identity_field} is the label, and photos whose own {@code identity_field} is: a photo labelled
     * as the subject goes whole, as its label says who it shows.
     */
    record ByIdentity(String identity, String identityField) implements EraseCriteria {
        @Override
        public QueryBuilder photos() {
            return QueryBuilders.boolQuery()
                .should(QueryBuilders.nestedQuery(FacePersonFields.FACES, QueryBuilders.termQuery(FacePersonFields.FACES + "." + identityField, identity), ScoreMode.None))
                .should(QueryBuilders.termQuery(identityField, identity))
                .minimumShouldMatch(1);
        }

        @Override
        public boolean matchesPhoto(Map<String, Object> source) {
            return labelled(source.get(identityField), identity);
        }

        @Override
        public Double matchesFace(String index, Map<?, ?> face) {
            return labelled(face.get(identityField), identity) ? Double.NaN : null;
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("identity", identity);
            described.put("identity_field", identityField);
            return described;
        }
    }

    /** The faces of a person of the people index, by id. */
    record ByPerson(String person, String name) implements EraseCriteria {
        @Override
        public QueryBuilder photos() {
            return QueryBuilders.nestedQuery(FacePersonFields.FACES, QueryBuilders.termQuery(FacePersonFields.person(), person), ScoreMode.None);
        }

        @Override
        public boolean matchesPhoto(Map<String, Object> source) {
            return false;
        }

        @Override
        public Double matchesFace(String index, Map<?, ?> face) {
            return person.equals(face.get(FacePersonFields.PERSON)) ? Double.NaN : null;
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("person", person);
            if (name != null) {
                described.put("person_name", name);
            }
            return described;
        }
    }

    /**
     * Every face whose vector in {@code field} (a field of the face objects: {@code embedding} or {@code clip}) is at
     * least {@code minSimilarity} (cosine) from the example's: an exact comparison with every face, not a kNN search,
     * so none is missed.
     *
     * @param source      where the example came from ({@code image} or {@code vector}), for the record
     * @param compressions how each photo index stores the vectors of {@code field}: the example is compared as each
     *                     index's searches are given it, in the query and face by face alike
     */
    record ByExample(float[] vector, String field, float minSimilarity, String source, Map<String, VectorCompression> compressions)
        implements
            EraseCriteria {
        /** How much lower than the threshold the face-by-face comparison in Java accepts, for the rounding of scores. */
        static final double ROUNDING = 1e-5;

        public ByExample {
            Objects.requireNonNull(vector);
            compressions = Map.copyOf(compressions);
        }

        @Override
        public QueryBuilder photos() {
            String path = FacePersonFields.FACES + "." + field;
            QueryBuilder scored = KnnQueries.perCompression(
                compressions,
                vector,
                (form, example) -> KnnQueries.withMinSimilarity(
                    KnnQueries.similarityTo(path, example, QueryBuilders.existsQuery(path), form),
                    (float) (minSimilarity - ROUNDING)
                )
            );
            return QueryBuilders.nestedQuery(FacePersonFields.FACES, scored, ScoreMode.Max);
        }

        @Override
        public boolean matchesPhoto(Map<String, Object> source) {
            return false;
        }

        @Override
        public Double matchesFace(String index, Map<?, ?> face) {
            float[] example = compressions.getOrDefault(index, VectorCompression.NONE).fieldValues(vector);
            double similarity = StoredVectors.cosine(example, face.get(field));
            return similarity >= minSimilarity - ROUNDING ? similarity : null;
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("example", source);
            described.put("field", FacePersonFields.FACES + "." + field);
            described.put("min_similarity", minSimilarity);
            return described;
        }
    }

    /** Whether a label field holds {@code identity}: the value itself, or one of a list of them. */
    private static boolean labelled(Object value, String identity) {
        if (value instanceof List<?> values) {
            return values.contains(identity);
        }
        return identity.equals(value);
    }
}
