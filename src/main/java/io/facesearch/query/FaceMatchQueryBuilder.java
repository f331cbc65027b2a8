package io.facesearch.query;

import io.facesearch.engine.FaceEngineService;

import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.query.InnerHitBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.transport.client.Client;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code face_match}: photos with a face like the given one, ranked by their best-matching face.
 *
 * <p>The face is given as a photo (its main face is embedded on the coordinating node), a vector, or a reference to
 * an indexed face (looked up on the coordinating node). Each shard searches the nested face vectors with the k-NN
 * plugin's {@code knn} query and returns the matching faces of each photo as inner hits: its best face, or with
 * {@code expand_nested_docs} every face of the nearest photos, each scored.
 */
public final class FaceMatchQueryBuilder extends VectorMatchQueryBuilder<FaceMatchQueryBuilder> {
    public static final String NAME = "face_match";
    public static final String DEFAULT_FIELD = "faces.embedding";
    public static final int DEFAULT_INNER_HITS_SIZE = 3;
    /**
     * Inner hits per photo by default with {@code expand_nested_docs}, so that they list every matching face: the
     * most a search may return by default ({@code index.max_inner_result_window}).
     */
    public static final int EXPANDED_INNER_HITS_SIZE = 100;

    /** Null for no inner hits. */
    private final String innerHitsName;
    private final int innerHitsSize;
    private final boolean expandNestedDocs;

    private FaceMatchQueryBuilder(Builder builder, QueryInput input) {
        super(builder, input);
        this.innerHitsName = builder.innerHitsName();
        this.innerHitsSize = builder.innerHitsSize();
        this.expandNestedDocs = builder.expandNestedDocs;
    }

    private FaceMatchQueryBuilder(FaceMatchQueryBuilder original, QueryInput input, QueryBuilder filter, Supplier<QueryInput> pendingInput) {
        super(original, input, filter, pendingInput);
        this.innerHitsName = original.innerHitsName;
        this.innerHitsSize = original.innerHitsSize;
        this.expandNestedDocs = original.expandNestedDocs;
    }

    public FaceMatchQueryBuilder(StreamInput in, Supplier<FaceEngineService> engine) throws IOException {
        super(in, engine);
        this.innerHitsName = in.readOptionalString();
        this.innerHitsSize = in.readVInt();
        this.expandNestedDocs = in.readBoolean();
    }

    public static Builder builder(Supplier<FaceEngineService> engine) {
        return new Builder(engine);
    }

    /**
     * A query for the faces nearest to {@code vector}, the matching face of each photo as inner hit
     * {@code innerHitsName} (none when null).
     */
    public static FaceMatchQueryBuilder forVector(
        float[] vector,
        String field,
        int k,
        QueryBuilder filter,
        String innerHitsName,
        int innerHitsSize
    ) {
        Builder builder = builder(null).vector(vector).field(field).k(k).filter(filter);
        return (innerHitsName == null ? builder.noInnerHits() : builder.innerHits(innerHitsName, innerHitsSize)).build();
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    public String innerHitsName() {
        return innerHitsName;
    }

    public int innerHitsSize() {
        return innerHitsSize;
    }

    @Override
    public boolean expandNestedDocs() {
        return expandNestedDocs;
    }

    @Override
    protected void writeOwnOptions(StreamOutput out) throws IOException {
        out.writeOptionalString(innerHitsName);
        out.writeVInt(innerHitsSize);
        out.writeBoolean(expandNestedDocs);
    }

    @Override
    protected void ownOptionsToXContent(XContentBuilder builder) throws IOException {
        if (innerHitsName == null) {
            builder.field("inner_hits", false);
        } else {
            builder.startObject("inner_hits").field("name", innerHitsName).field("size", innerHitsSize).endObject();
        }
        if (expandNestedDocs) {
            builder.field("expand_nested_docs", true);
        }
    }

    @Override
    protected boolean ownOptionsEqual(FaceMatchQueryBuilder other) {
        return Objects.equals(innerHitsName, other.innerHitsName)
            && innerHitsSize == other.innerHitsSize
            && expandNestedDocs == other.expandNestedDocs;
    }

    @Override
    protected int ownOptionsHashCode() {
        return Objects.hash(innerHitsName, innerHitsSize, expandNestedDocs);
    }

    @Override
    protected void resolve(QueryInput input, Client client, ActionListener<float[]> listener) {
        new FaceVectorSource(engine, field()).resolve(client, input, listener);
    }

    @Override
    protected void resolvePerson(QueryInput.Person person, String peopleIndex, Client client, ActionListener<QueryInput> listener) {
        FaceVectorSource.findPerson(client, person.person(), peopleIndex, listener);
    }

    /** The person looked for, by id or name as given; null when the query gives another input. */
    public String person() {
        return switch (input()) {
            case QueryInput.Person person -> person.person();
            case QueryInput.PersonCentroid person -> person.id();
            case null, default -> null;
        };
    }

    @Override
    protected FaceMatchQueryBuilder copy(QueryInput input, QueryBuilder filter, Supplier<QueryInput> pendingInput) {
        return new FaceMatchQueryBuilder(this, input, filter, pendingInput);
    }

    @Override
    protected InnerHitBuilder innerHits() {
        return innerHitsName == null ? null : new InnerHitBuilder(innerHitsName).setSize(innerHitsSize);
    }

    public static final class Builder extends VectorMatchQueryBuilder.Builder<FaceMatchQueryBuilder, Builder> {
        private boolean innerHits = true;
        /** Null for the default: the query's name. */
        private String innerHitsName;
        /** Null for the default of the mode: the best face, or every face with expand_nested_docs. */
        private Integer innerHitsSize;
        private boolean expandNestedDocs;
        private String peopleIndex;

        private Builder(Supplier<FaceEngineService> engine) {
            super(engine, NAME, DEFAULT_FIELD);
        }

        /** A face already indexed. */
        public Builder face(FaceReference reference) {
            return input(reference);
        }

        /** A person of a people index, by id or name: the photos of its faces. */
        public Builder person(String person) {
            return input(new QueryInput.Person(person, null));
        }

        /** The people index of {@link #person}; null: {@code {index}-people} of the index searched. */
        public Builder peopleIndex(String peopleIndex) {
            this.peopleIndex = peopleIndex;
            return this;
        }

        /**
         * The matching faces returned with each photo, under {@code name} (null: the query's {@code _name}, else
         * {@value #NAME}), at most {@code size} (null: 3, or 100 with {@code expand_nested_docs}).
         */
        public Builder innerHits(String name, Integer size) {
            this.innerHits = true;
            this.innerHitsName = name;
            this.innerHitsSize = size;
            return this;
        }

        /** No matching faces returned with the photos. */
        public Builder noInnerHits() {
            this.innerHits = false;
            this.innerHitsName = null;
            this.innerHitsSize = null;
            return this;
        }

        public Builder expandNestedDocs(boolean expandNestedDocs) {
            this.expandNestedDocs = expandNestedDocs;
            return this;
        }

        private String innerHitsName() {
            if (innerHits == false) {
                return null;
            }
            if (innerHitsName != null) {
                return innerHitsName;
            }
            // two face_match queries in one search need inner hits of different names
            return queryName() != null ? queryName() : NAME;
        }

        private int innerHitsSize() {
            if (innerHitsSize != null) {
                return innerHitsSize;
            }
            return expandNestedDocs ? EXPANDED_INNER_HITS_SIZE : DEFAULT_INNER_HITS_SIZE;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected String inputOptions() {
            return "[vector], [image], [face] and [person]";
        }

        @Override
        protected FaceMatchQueryBuilder build(QueryInput input) {
            if (input instanceof QueryInput.Person person) {
                if (person.person() == null || person.person().isEmpty()) {
                    throw invalid("person", "must not be empty");
                }
                input = new QueryInput.Person(person.person(), peopleIndex);
            } else if (peopleIndex != null) {
                throw invalid("people_index", "is only used with [person]");
            }
            if (innerHits && ((innerHitsName != null && innerHitsName.isEmpty()) || (innerHitsSize != null && innerHitsSize < 0))) {
                throw new IllegalArgumentException(
                    "[" + NAME + "] [inner_hits] needs a non-empty [name] and a [size] >= 0, got [" + innerHitsName + "] and "
                        + innerHitsSize
                );
            }
            return new FaceMatchQueryBuilder(this, input);
        }
    }
}
