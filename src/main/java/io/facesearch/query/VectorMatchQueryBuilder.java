package io.facesearch.query;

import io.facesearch.common.EncodedPhoto;
import io.facesearch.common.FieldValues;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.index.mapper.NestedObjects;
import io.facesearch.index.mapper.VectorFieldMapping;
import io.facesearch.ingest.VectorCompression;
import io.facesearch.people.FacePersonFields;
import io.facesearch.people.PeopleIndex;

import org.apache.lucene.search.Query;
import org.opensearch.common.regex.Regex;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.InnerHitBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.index.query.QueryCoordinatorContext;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.knn.index.query.KNNQueryBuilder;
import org.opensearch.knn.index.query.rescore.RescoreContext;
import org.opensearch.transport.client.Client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A kNN search of one k-NN vector field for a vector the query gives or has computed: what {@code face_match} and
 * {@code clip_match} share.
 *
 * <p>The query is rewritten in two places. On the coordinating node, once per search, what needs the node's models
 * or another document becomes a vector (a photo or a text is embedded, an indexed face looked up), so the query
 * reaches the shards with its vector. On each shard it becomes the k-NN plugin's {@code knn} query, built from that
 * shard's mapping: a vector of another dimension than the field's is refused, and a field inside nested objects
 * (the faces of a photo) is searched through a {@code nested} query that scores each document by its best object.
 * The filter is rewritten wherever the query is, so a filter that needs the coordinating node is resolved there.
 *
 * <p>A person ({@code face_match} only) is looked up on the coordinating node too, for its id and centroid; on each
 * shard it becomes an exact scoring of the person's faces against the centroid rather than a kNN search, so that every
 * photo of the person matches.
 *
 * @param <Q> the concrete query
 */
public abstract class VectorMatchQueryBuilder<Q extends VectorMatchQueryBuilder<Q>> extends AbstractQueryBuilder<Q> {
    public static final int DEFAULT_K = 10;
    public static final int MAX_K = KNNQueryBuilder.K_MAX;
    /** The lucene engine searches max(k, ef_search) neighbours: the same bound as k. */
    public static final int MAX_EF_SEARCH = MAX_K;

    protected final Supplier<FaceEngineService> engine;
    /** Null only while the vector of an input is being computed. */
    private final QueryInput input;
    private final String field;
    private final int k;
    private final Integer efSearch;
    /** Null for the default of the field's compression. */
    private final KnnRescore rescore;
    private final Float minSimilarity;
    private final QueryBuilder filter;
    /**
     * Set while the vector of a photo, a text or a face reference, or a person's centroid, is being computed by an
     * async rewrite action.
     */
    private final Supplier<QueryInput> pendingInput;

    protected VectorMatchQueryBuilder(Builder<Q, ?> builder, QueryInput input) {
        this.engine = builder.engine;
        this.input = input;
        this.field = builder.field;
        this.k = builder.k;
        this.efSearch = builder.efSearch;
        this.rescore = builder.rescore;
        this.minSimilarity = builder.minSimilarity;
        this.filter = builder.filter;
        this.pendingInput = null;
    }

    /** {@code original} with another input (null while {@code pendingInput} computes it) and filter. */
    protected VectorMatchQueryBuilder(Q original, QueryInput input, QueryBuilder filter, Supplier<QueryInput> pendingInput) {
        VectorMatchQueryBuilder<Q> from = original;
        this.engine = from.engine;
        this.input = input;
        this.field = from.field;
        this.k = from.k;
        this.efSearch = from.efSearch;
        this.rescore = from.rescore;
        this.minSimilarity = from.minSimilarity;
        this.filter = filter;
        this.pendingInput = pendingInput;
    }

    protected VectorMatchQueryBuilder(StreamInput in, Supplier<FaceEngineService> engine) throws IOException {
        super(in);
        this.engine = engine;
        this.input = QueryInput.read(in);
        this.field = in.readString();
        this.k = in.readVInt();
        this.efSearch = in.readOptionalVInt();
        this.rescore = KnnRescore.readOptional(in);
        this.minSimilarity = in.readOptionalFloat();
        this.filter = in.readOptionalNamedWriteable(QueryBuilder.class);
        this.pendingInput = null;
    }

    @Override
    protected final void doWriteTo(StreamOutput out) throws IOException {
        if (pendingInput != null) {
            throw new IllegalStateException("[" + getWriteableName() + "] cannot be sent before its vector is computed");
        }
        QueryInput.write(input, out);
        out.writeString(field);
        out.writeVInt(k);
        out.writeOptionalVInt(efSearch);
        KnnRescore.writeOptional(rescore, out);
        out.writeOptionalFloat(minSimilarity);
        out.writeOptionalNamedWriteable(filter);
        writeOwnOptions(out);
    }

    /** Writes the options of the concrete query, read back by its stream constructor after this class's. */
    protected abstract void writeOwnOptions(StreamOutput out) throws IOException;

    /** Writes the options of the concrete query into its JSON form. */
    protected abstract void ownOptionsToXContent(XContentBuilder builder) throws IOException;

    protected abstract boolean ownOptionsEqual(Q other);

    protected abstract int ownOptionsHashCode();

    /** Computes the vector of an input other than a vector, on the coordinating node. */
    protected abstract void resolve(QueryInput input, Client client, ActionListener<float[]> listener);

    /**
     * Finds a person of a people index by id or name, and its centroid, on the coordinating node. Only
     * {@code face_match} takes a person.
     */
    protected void resolvePerson(QueryInput.Person person, String peopleIndex, Client client, ActionListener<QueryInput> listener) {
        listener.onFailure(new IllegalArgumentException("[" + getWriteableName() + "] does not take a [person]"));
    }

    /** This query with another input (null while {@code pendingInput} computes it) and filter. */
    protected abstract Q copy(QueryInput input, QueryBuilder filter, Supplier<QueryInput> pendingInput);

    /** The matching nested objects to return with each document (their vectors are left out of them); null for none. */
    protected abstract InnerHitBuilder innerHits();

    /** Whether every nested object of the nearest documents is scored and matches, not only each one's best. */
    protected boolean expandNestedDocs() {
        return false;
    }

    /** What the query looks for, as its request gave it; null while its vector is computed. */
    QueryInput input() {
        return input;
    }

    /** The query vector; null while it is given by another input. */
    public float[] vector() {
        return input instanceof QueryInput.Vector vector ? vector.values() : null;
    }

    /** The photo looked for, in base64 as given; null when the query gives another input. */
    public EncodedPhoto image() {
        return input instanceof QueryInput.Image image ? image.photo() : null;
    }

    public String field() {
        return field;
    }

    public int k() {
        return k;
    }

    public Integer efSearch() {
        return efSearch;
    }

    /** The rescoring asked for on a compressed field; null for the default of its compression. */
    public KnnRescore rescore() {
        return rescore;
    }

    public Float minSimilarity() {
        return minSimilarity;
    }

    public QueryBuilder filter() {
        return filter;
    }

    @Override
    protected final void doXContent(XContentBuilder builder, ToXContent.Params params) throws IOException {
        builder.startObject(getWriteableName());
        if (input != null) {
            input.toXContent(builder);
        }
        builder.field("field", field);
        builder.field("k", k);
        if (efSearch != null) {
            builder.field("ef_search", efSearch);
        }
        if (rescore != null) {
            rescore.toXContent(builder);
        }
        if (minSimilarity != null) {
            builder.field("min_similarity", minSimilarity);
        }
        if (filter != null) {
            builder.field("filter", filter);
        }
        ownOptionsToXContent(builder);
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    @Override
    protected final QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        if (pendingInput != null) {
            QueryInput computed = pendingInput.get();
            return computed == null ? this : withBoostAndName(copy(computed, filter, null));
        }
        if (input instanceof QueryInput.Person person) {
            String peopleIndex = person.peopleIndex() != null ? person.peopleIndex() : defaultPeopleIndex(context);
            Supplier<QueryInput> computed = PendingInput.register(context, (client, listener) -> resolvePerson(person, peopleIndex, client, listener));
            return withBoostAndName(copy(null, filter, computed));
        }
        if (input.resolved() == false) {
            QueryInput given = input;
            Supplier<QueryInput> computed = PendingInput.register(
                context,
                (client, listener) -> resolve(given, client, ActionListener.map(listener, QueryInput.Vector::new))
            );
            return withBoostAndName(copy(null, filter, computed));
        }
        if (filter != null) {
            QueryBuilder rewrittenFilter = filter.rewrite(context);
            if (rewrittenFilter != filter) {
                return withBoostAndName(copy(input, rewrittenFilter, null));
            }
        }
        QueryShardContext shard = context.convertToShardContext();
        if (shard == null) {
            return this;
        }
        return input instanceof QueryInput.PersonCentroid person ? toPersonQuery(shard, person) : toKnnQuery(shard, ((QueryInput.Vector) input).values());
    }

    /**
     * The people index of a search that names none: {@code {index}-people} of the one index the search names, as
     * {@code _cluster} names it.
     */
    private String defaultPeopleIndex(QueryRewriteContext context) {
        QueryCoordinatorContext coordinator = context.convertToCoordinatorContext();
        String[] searched = coordinator == null || coordinator.getSearchRequest() == null ? null : coordinator.getSearchRequest().indices();
        if (searched == null || searched.length != 1 || Regex.isSimpleMatchPattern(searched[0]) || searched[0].contains(",") || searched[0].startsWith("_")) {
            throw invalid("[" + QueryInput.Person.PEOPLE_INDEX + "] is required with [person] unless the search names one index");
        }
        return PeopleIndex.defaultFor(searched[0]);
    }

    private Q withBoostAndName(Q query) {
        return query.boost(boost).queryName(queryName);
    }

    /**
     * The k-NN plugin's {@code knn} query for this shard's mapping of the field. Its boost and name are set on it by
     * {@link #rewrite}, on the outermost query, so they apply to the whole.
     */
    private QueryBuilder toKnnQuery(QueryShardContext shard, float[] vector) {
        String index = checkMapping(shard, vector);
        String nestedPath = NestedObjects.pathOf(shard, field);
        if (nestedPath == null && expandNestedDocs()) {
            throw invalid(
                "[expand_nested_docs] needs a field inside nested objects, but [" + field + "] of index [" + index + "] is in none"
            );
        }
        VectorCompression compression = VectorFieldMapping.compressionInShard(shard, field);
        RescoreContext rescoring = KnnRescore.resolve(rescore, compression);
        boolean scoreExpandedExactly = false;
        if (rescoring != null && expandNestedDocs()) {
            // the k-NN plugin does not rescore the faces of expanded photos (it would cut them to k): they are scored
            // exactly here instead, so that their scores and min_similarity mean what they mean on float vectors
            scoreExpandedExactly = rescoring.isRescoreEnabled();
            rescoring = RescoreContext.EXPLICITLY_DISABLED_RESCORE_CONTEXT;
        }
        float[] fieldVector = compression.fieldValues(vector);
        // the photos ranked and their inner hits share one graph search
        QueryBuilder knn = SharedKnnQueryBuilder.wrap(KnnQueries.knn(field, fieldVector, k, efSearch, rescoring, filter, expandNestedDocs()));
        if (scoreExpandedExactly) {
            knn = KnnQueries.similarityTo(field, fieldVector, knn, compression);
        }
        knn = KnnQueries.withMinSimilarity(knn, minSimilarity);
        if (nestedPath == null) {
            return knn;
        }
        return KnnQueries.bestNestedMatch(nestedPath, knn, innerHits(), NestedObjects.vectorFieldsOf(shard, nestedPath));
    }

    /** Checks the shard's mapping of the field against a vector: a knn_vector of its dimension. Returns the index's name. */
    private String checkMapping(QueryShardContext shard, float[] vector) {
        String index = shard.index().getName();
        VectorFieldMapping mapping = VectorFieldMapping.inShard(shard, field)
            .orElseThrow(() -> invalid("[field] [" + field + "] is not mapped in index [" + index + "]"));
        if (mapping.isKnnVector() == false) {
            throw invalid("[field] [" + field + "] is mapped as [" + mapping.type() + "] in index [" + index + "], not as a knn_vector");
        }
        if (mapping.fits(vector.length) == false) {
            throw invalid(
                "the query vector has " + vector.length + " dimensions but [" + field + "] of index [" + index + "] has "
                    + mapping.dimension().getAsInt()
            );
        }
        return index;
    }

    /**
     * The photos with faces of the person ({@code person} of the nested faces), each face scored by its similarity to
     * the person's centroid, exactly ({@code (1 + cosine) / 2}, as the kNN search scores), and each photo by its best
     * such face: every photo of the person matches, however many, and {@code k} plays no part.
     */
    private QueryBuilder toPersonQuery(QueryShardContext shard, QueryInput.PersonCentroid person) {
        String index = checkMapping(shard, person.centroid());
        String nestedPath = NestedObjects.pathOf(shard, field);
        if (nestedPath == null) {
            throw invalid("[person] needs a field inside nested objects (the faces), but [" + field + "] of index [" + index + "] is in none");
        }
        VectorCompression compression = VectorFieldMapping.compressionInShard(shard, field);
        QueryBuilder faces = KnnQueries.withMinSimilarity(
            KnnQueries.similarityTo(
                field,
                compression.fieldValues(person.centroid()),
                QueryBuilders.termQuery(nestedPath + "." + FacePersonFields.PERSON, person.id()),
                compression
            ),
            minSimilarity
        );
        QueryBuilder photos = KnnQueries.bestNestedMatch(nestedPath, faces, innerHits(), NestedObjects.vectorFieldsOf(shard, nestedPath));
        return filter == null ? photos : QueryBuilders.boolQuery().must(photos).filter(filter);
    }

    private IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException("[" + getWriteableName() + "] " + message);
    }

    @Override
    protected final Query doToQuery(QueryShardContext context) {
        throw new IllegalStateException("[" + getWriteableName() + "] must be rewritten before it runs");
    }

    @Override
    protected final boolean doEquals(Q other) {
        VectorMatchQueryBuilder<Q> that = other;
        return Objects.equals(input, that.input)
            && field.equals(that.field)
            && k == that.k
            && Objects.equals(efSearch, that.efSearch)
            && Objects.equals(rescore, that.rescore)
            && Objects.equals(minSimilarity, that.minSimilarity)
            && Objects.equals(filter, that.filter)
            && Objects.equals(pendingInput, that.pendingInput)
            && ownOptionsEqual(other);
    }

    @Override
    protected final int doHashCode() {
        return Objects.hash(input, field, k, efSearch, rescore, minSimilarity, filter, ownOptionsHashCode());
    }

    /**
     * Builds a vector query, checking what every caller gives (the parser, other parts of the plugin); an error names
     * the query and the option.
     *
     * @param <Q> the query built
     * @param <B> the concrete builder
     */
    public abstract static class Builder<Q extends VectorMatchQueryBuilder<Q>, B extends Builder<Q, B>> {
        private final Supplier<FaceEngineService> engine;
        private final String name;
        private final List<QueryInput> inputs = new ArrayList<>();
        private String field;
        private int k = DEFAULT_K;
        private Integer efSearch;
        private KnnRescore rescore;
        private Float minSimilarity;
        private QueryBuilder filter;
        private float boost = DEFAULT_BOOST;
        private String queryName;

        protected Builder(Supplier<FaceEngineService> engine, String name, String defaultField) {
            this.engine = engine;
            this.name = name;
            this.field = defaultField;
        }

        protected abstract B self();

        /** The inputs the query takes, as its error about them names them: {@code [a], [b] and [c]}. */
        protected abstract String inputOptions();

        /** Builds the query for {@code input}, once every option is checked. */
        protected abstract Q build(QueryInput input);

        protected final B input(QueryInput input) {
            inputs.add(input);
            return self();
        }

        public final B vector(float[] vector) {
            return input(new QueryInput.Vector(vector));
        }

        /** A photo in base64 (plain, MIME or a {@code data:image/...;base64,} URI), as a request gives it. */
        public final B image(EncodedPhoto image) {
            return input(new QueryInput.Image(image));
        }

        /** A photo's bytes (JPEG, PNG, ...). */
        public final B image(byte[] image) {
            return image(new EncodedPhoto(QueryInput.Image.OPTION, Base64.getEncoder().encodeToString(image)));
        }

        public final B field(String field) {
            this.field = field;
            return self();
        }

        public final B k(int k) {
            this.k = k;
            return self();
        }

        /** The k-NN method parameter {@code ef_search}; null for the index's own. */
        public final B efSearch(Integer efSearch) {
            this.efSearch = efSearch;
            return self();
        }

        /** The rescoring of a search of a compressed field; null for the default of its compression. */
        public final B rescore(KnnRescore rescore) {
            this.rescore = rescore;
            return self();
        }

        public final B minSimilarity(Float minSimilarity) {
            this.minSimilarity = minSimilarity;
            return self();
        }

        public final B filter(QueryBuilder filter) {
            this.filter = filter;
            return self();
        }

        public final B boost(float boost) {
            this.boost = boost;
            return self();
        }

        public final B queryName(String queryName) {
            this.queryName = queryName;
            return self();
        }

        protected final String queryName() {
            return queryName;
        }

        /** Refuses an option of the query, naming both: {@code [query] [option] reason}. */
        protected final IllegalArgumentException invalid(String option, String reason) {
            return new IllegalArgumentException("[" + name + "] " + FieldValues.invalid(option, reason).getMessage());
        }

        public final Q build() {
            if (inputs.size() != 1) {
                throw new IllegalArgumentException("[" + name + "] needs exactly one of " + inputOptions() + ", got " + inputs.size());
            }
            QueryInput input = inputs.get(0);
            if (input instanceof QueryInput.Vector vector && (vector.values() == null || vector.values().length == 0)) {
                throw invalid("vector", "must not be empty");
            }
            if (input instanceof QueryInput.Text text && (text.text() == null || text.text().isBlank())) {
                throw invalid("text", "must not be empty");
            }
            if (field == null || field.isEmpty()) {
                throw invalid("field", "must name a knn_vector field");
            }
            try {
                FieldValues.between(k, 1, MAX_K, "k");
                if (efSearch != null) {
                    FieldValues.between(efSearch, 1, MAX_EF_SEARCH, "ef_search");
                }
                FieldValues.between(boost, 0, Float.POSITIVE_INFINITY, "boost");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[" + name + "] " + e.getMessage(), e);
            }
            // written so that NaN, which fails every comparison, is refused too
            if (minSimilarity != null && (minSimilarity >= -1 && minSimilarity <= 1) == false) {
                throw invalid("min_similarity", "must be between -1 and 1, got " + minSimilarity);
            }
            return build(input).boost(boost).queryName(queryName);
        }
    }
}
