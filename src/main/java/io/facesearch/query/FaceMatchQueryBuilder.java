package io.facesearch.query;

import io.facesearch.plugin.FaceEngineService;

import org.apache.lucene.search.Query;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code face_match}: photos with a face like the given one, ranked by their best-matching face.
 *
 * <p>The face is given as a photo, a vector, or a reference to an indexed face. On the coordinating node the
 * query is rewritten, once, into the k-NN plugin's {@code knn} query over the nested face vectors (HNSW inside
 * the data nodes), wrapped in a {@code nested} query that scores each photo by its best face and returns the
 * matching faces as inner hits. A query photo is therefore embedded once per search, not once per shard.
 */
public final class FaceMatchQueryBuilder extends AbstractQueryBuilder<FaceMatchQueryBuilder> {
    public static final String NAME = "face_match";
    public static final String DEFAULT_FIELD = "faces.embedding";
    public static final int DEFAULT_K = 10;
    public static final int MAX_K = 10_000;
    public static final int DEFAULT_INNER_HITS_SIZE = 3;

    private final Supplier<FaceEngineService> engine;
    private final String field;
    private final float[] vector;
    private final byte[] image;
    private final FaceReference reference;
    private final int k;
    private final Float minSimilarity;
    private final QueryBuilder filter;
    private final String innerHitsName;
    private final int innerHitsSize;
    /** Set while the vector of an image or a reference is being computed by an async rewrite action. */
    private final Supplier<float[]> pendingVector;

    FaceMatchQueryBuilder(
        Supplier<FaceEngineService> engine,
        String field,
        float[] vector,
        byte[] image,
        FaceReference reference,
        int k,
        Float minSimilarity,
        QueryBuilder filter,
        String innerHitsName,
        int innerHitsSize,
        Supplier<float[]> pendingVector
    ) {
        int inputs = (vector != null ? 1 : 0) + (image != null ? 1 : 0) + (reference != null ? 1 : 0);
        if (inputs != 1 && pendingVector == null) {
            throw new IllegalArgumentException("[" + NAME + "] needs exactly one of [vector], [image] and [face]");
        }
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("[" + NAME + "] [k] must be between 1 and " + MAX_K + ", got " + k);
        }
        // written so that NaN, which fails every comparison, is refused too
        if (minSimilarity != null && (minSimilarity >= -1 && minSimilarity <= 1) == false) {
            throw new IllegalArgumentException("[" + NAME + "] [min_similarity] must be between -1 and 1, got " + minSimilarity);
        }
        if (vector != null && vector.length == 0) {
            throw new IllegalArgumentException("[" + NAME + "] [vector] must not be empty");
        }
        if (innerHitsName != null && (innerHitsName.isEmpty() || innerHitsSize < 0)) {
            throw new IllegalArgumentException(
                "[" + NAME + "] [inner_hits] needs a non-empty [name] and a [size] >= 0, got [" + innerHitsName + "] and " + innerHitsSize
            );
        }
        if (field == null || field.lastIndexOf('.') <= 0) {
            throw new IllegalArgumentException(
                "[" + NAME + "] [field] must name a vector inside the nested faces, like [faces.embedding], got [" + field + "]"
            );
        }
        this.engine = engine;
        this.field = field;
        this.vector = vector;
        this.image = image;
        this.reference = reference;
        this.k = k;
        this.minSimilarity = minSimilarity;
        this.filter = filter;
        this.innerHitsName = innerHitsName;
        this.innerHitsSize = innerHitsSize;
        this.pendingVector = pendingVector;
    }

    /** A query for the faces nearest to {@code vector}, the matching face of each photo as inner hit {@code innerHitsName}. */
    public static FaceMatchQueryBuilder forVector(float[] vector, String field, int k, QueryBuilder filter, String innerHitsName, int innerHitsSize) {
        return new FaceMatchQueryBuilder(null, field, vector, null, null, k, null, filter, innerHitsName, innerHitsSize, null);
    }

    public FaceMatchQueryBuilder(StreamInput in, Supplier<FaceEngineService> engine) throws IOException {
        super(in);
        this.engine = engine;
        this.field = in.readString();
        this.vector = in.readBoolean() ? in.readFloatArray() : null;
        this.image = in.readBoolean() ? in.readByteArray() : null;
        this.reference = in.readOptionalWriteable(FaceReference::new);
        this.k = in.readVInt();
        this.minSimilarity = in.readOptionalFloat();
        this.filter = in.readOptionalNamedWriteable(QueryBuilder.class);
        this.innerHitsName = in.readOptionalString();
        this.innerHitsSize = in.readVInt();
        this.pendingVector = null;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (pendingVector != null) {
            throw new IllegalStateException("[" + NAME + "] cannot be sent before its face vector is computed");
        }
        out.writeString(field);
        out.writeBoolean(vector != null);
        if (vector != null) {
            out.writeFloatArray(vector);
        }
        out.writeBoolean(image != null);
        if (image != null) {
            out.writeByteArray(image);
        }
        out.writeOptionalWriteable(reference);
        out.writeVInt(k);
        out.writeOptionalFloat(minSimilarity);
        out.writeOptionalNamedWriteable(filter);
        out.writeOptionalString(innerHitsName);
        out.writeVInt(innerHitsSize);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    public String field() {
        return field;
    }

    public float[] vector() {
        return vector;
    }

    public int k() {
        return k;
    }

    public Float minSimilarity() {
        return minSimilarity;
    }

    /** The nested path of the faces: the field without its last part. */
    String path() {
        return field.substring(0, field.lastIndexOf('.'));
    }

    @Override
    protected void doXContent(XContentBuilder builder, ToXContent.Params params) throws IOException {
        builder.startObject(NAME);
        builder.field("field", field);
        if (vector != null) {
            builder.array("vector", vector);
        }
        if (image != null) {
            builder.field("image", Base64.getEncoder().encodeToString(image));
        }
        if (reference != null) {
            builder.startObject("face");
            builder.field("index", reference.index());
            builder.field("id", reference.id());
            builder.field("face", reference.face());
            builder.endObject();
        }
        builder.field("k", k);
        if (minSimilarity != null) {
            builder.field("min_similarity", minSimilarity);
        }
        if (filter != null) {
            builder.field("filter", filter);
        }
        if (innerHitsName == null) {
            builder.field("inner_hits", false);
        } else {
            builder.startObject("inner_hits").field("name", innerHitsName).field("size", innerHitsSize).endObject();
        }
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        if (pendingVector != null) {
            float[] computed = pendingVector.get();
            return computed == null ? this : withVector(computed);
        }
        if (vector == null) {
            FaceVectorSource source = new FaceVectorSource(engine, path());
            Supplier<float[]> computed = PendingVector.register(context, (client, listener) -> source.resolve(client, image, reference, listener));
            return new FaceMatchQueryBuilder(engine, field, null, null, null, k, minSimilarity, filter, innerHitsName, innerHitsSize, computed)
                .boost(boost)
                .queryName(queryName);
        }
        return toKnnQuery(context);
    }

    private FaceMatchQueryBuilder withVector(float[] computed) {
        return new FaceMatchQueryBuilder(engine, field, computed, null, null, k, minSimilarity, filter, innerHitsName, innerHitsSize, null)
            .boost(boost)
            .queryName(queryName);
    }

    /** The k-NN plugin's {@code knn} query inside a {@code nested} query scoring each photo by its best face. */
    private QueryBuilder toKnnQuery(QueryRewriteContext context) throws IOException {
        QueryBuilder knn = KnnQueries.knn(NAME, context.getXContentRegistry(), field, vector, k, filter);
        QueryBuilder nested = KnnQueries.bestNestedMatch(path(), knn, innerHitsName, innerHitsSize, "embedding", field);
        return KnnQueries.withBoostAndName(KnnQueries.withMinSimilarity(nested, minSimilarity), boost, queryName);
    }

    @Override
    protected Query doToQuery(QueryShardContext context) {
        throw new IllegalStateException("[" + NAME + "] must be rewritten before it runs");
    }

    @Override
    protected boolean doEquals(FaceMatchQueryBuilder other) {
        return field.equals(other.field)
            && Arrays.equals(vector, other.vector)
            && Arrays.equals(image, other.image)
            && Objects.equals(reference, other.reference)
            && k == other.k
            && Objects.equals(minSimilarity, other.minSimilarity)
            && Objects.equals(filter, other.filter)
            && Objects.equals(innerHitsName, other.innerHitsName)
            && innerHitsSize == other.innerHitsSize
            && Objects.equals(pendingVector, other.pendingVector);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(field, Arrays.hashCode(vector), Arrays.hashCode(image), reference, k, minSimilarity, filter, innerHitsName, innerHitsSize);
    }
}
