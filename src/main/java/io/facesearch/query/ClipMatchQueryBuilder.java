package io.facesearch.query;

import io.facesearch.plugin.FaceEngineService;

import org.apache.lucene.search.Query;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.index.mapper.ObjectMapper;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code clip_match}: photos whose CLIP vector is near that of a text, a photo or a given vector.
 *
 * <p>A text or a photo is embedded once per search, on the coordinating node. Each shard then rewrites the query
 * into the k-NN plugin's {@code knn} query, because only there the index mapping is known: a field inside nested
 * objects (per-face vectors) is searched through a {@code nested} query scoring each photo by its best object, and
 * a vector of another dimension than the mapped one is refused with the field and both dimensions named.
 */
public final class ClipMatchQueryBuilder extends AbstractQueryBuilder<ClipMatchQueryBuilder> {
    public static final String NAME = "clip_match";
    public static final String DEFAULT_FIELD = "clip";
    public static final int DEFAULT_K = 10;
    public static final int MAX_K = 10_000;
    /** Matching nested objects returned per photo when the field is inside nested objects. */
    public static final int INNER_HITS_SIZE = 3;

    private final Supplier<FaceEngineService> engine;
    private final String field;
    private final String text;
    private final byte[] image;
    private final float[] vector;
    private final int k;
    private final Float minSimilarity;
    private final QueryBuilder filter;
    /** Set while the vector of a text or an image is being computed by an async rewrite action. */
    private final Supplier<float[]> pendingVector;

    ClipMatchQueryBuilder(
        Supplier<FaceEngineService> engine,
        String field,
        String text,
        byte[] image,
        float[] vector,
        int k,
        Float minSimilarity,
        QueryBuilder filter,
        Supplier<float[]> pendingVector
    ) {
        int inputs = (text != null ? 1 : 0) + (image != null ? 1 : 0) + (vector != null ? 1 : 0);
        if (inputs != 1 && pendingVector == null) {
            throw new IllegalArgumentException("[" + NAME + "] needs exactly one of [text], [image] and [vector], got " + inputs);
        }
        if (text != null && text.isBlank()) {
            throw new IllegalArgumentException("[" + NAME + "] [text] must not be empty");
        }
        if (vector != null && vector.length == 0) {
            throw new IllegalArgumentException("[" + NAME + "] [vector] must not be empty");
        }
        if (field == null || field.isEmpty()) {
            throw new IllegalArgumentException("[" + NAME + "] [field] must name a knn_vector field");
        }
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("[" + NAME + "] [k] must be between 1 and " + MAX_K + ", got " + k);
        }
        // written so that NaN, which fails every comparison, is refused too
        if (minSimilarity != null && (minSimilarity >= -1 && minSimilarity <= 1) == false) {
            throw new IllegalArgumentException("[" + NAME + "] [min_similarity] must be between -1 and 1, got " + minSimilarity);
        }
        this.engine = engine;
        this.field = field;
        this.text = text;
        this.image = image;
        this.vector = vector;
        this.k = k;
        this.minSimilarity = minSimilarity;
        this.filter = filter;
        this.pendingVector = pendingVector;
    }

    public ClipMatchQueryBuilder(StreamInput in, Supplier<FaceEngineService> engine) throws IOException {
        super(in);
        this.engine = engine;
        this.field = in.readString();
        this.text = in.readOptionalString();
        this.image = in.readBoolean() ? in.readByteArray() : null;
        this.vector = in.readBoolean() ? in.readFloatArray() : null;
        this.k = in.readVInt();
        this.minSimilarity = in.readOptionalFloat();
        this.filter = in.readOptionalNamedWriteable(QueryBuilder.class);
        this.pendingVector = null;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (pendingVector != null) {
            throw new IllegalStateException("[" + NAME + "] cannot be sent before its vector is computed");
        }
        out.writeString(field);
        out.writeOptionalString(text);
        out.writeBoolean(image != null);
        if (image != null) {
            out.writeByteArray(image);
        }
        out.writeBoolean(vector != null);
        if (vector != null) {
            out.writeFloatArray(vector);
        }
        out.writeVInt(k);
        out.writeOptionalFloat(minSimilarity);
        out.writeOptionalNamedWriteable(filter);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    public String field() {
        return field;
    }

    public String text() {
        return text;
    }

    public byte[] image() {
        return image;
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

    public QueryBuilder filter() {
        return filter;
    }

    @Override
    protected void doXContent(XContentBuilder builder, ToXContent.Params params) throws IOException {
        builder.startObject(NAME);
        builder.field("field", field);
        if (text != null) {
            builder.field("text", text);
        }
        if (image != null) {
            builder.field("image", Base64.getEncoder().encodeToString(image));
        }
        if (vector != null) {
            builder.array("vector", vector);
        }
        builder.field("k", k);
        if (minSimilarity != null) {
            builder.field("min_similarity", minSimilarity);
        }
        if (filter != null) {
            builder.field("filter", filter);
        }
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        if (pendingVector != null) {
            float[] computed = pendingVector.get();
            return computed == null ? this : copy(computed, filter, null);
        }
        if (vector == null) {
            ClipVectorSource source = new ClipVectorSource(engine);
            return copy(null, filter, PendingVector.register(context, (client, listener) -> source.embed(text, image, listener)));
        }
        if (filter != null) {
            // some filters can only be rewritten on the coordinating node (a terms lookup, a face_match photo)
            QueryBuilder rewrittenFilter = filter.rewrite(context);
            if (rewrittenFilter != filter) {
                return copy(vector, rewrittenFilter, null);
            }
        }
        QueryShardContext shard = context.convertToShardContext();
        return shard == null ? this : toKnnQuery(shard);
    }

    private ClipMatchQueryBuilder copy(float[] newVector, QueryBuilder newFilter, Supplier<float[]> newPendingVector) {
        return new ClipMatchQueryBuilder(engine, field, null, null, newVector, k, minSimilarity, newFilter, newPendingVector).boost(boost)
            .queryName(queryName);
    }

    /** The {@code knn} query for this shard's mapping of the field. */
    private QueryBuilder toKnnQuery(QueryShardContext shard) throws IOException {
        checkMapping(shard);
        QueryBuilder result = KnnQueries.knn(NAME, shard.getXContentRegistry(), field, vector, k, filter);
        String nestedPath = nestedPath(shard);
        if (nestedPath != null) {
            // two clip_match queries over nested vectors in one search need inner hits of different names
            String innerHitsName = queryName != null ? queryName : NAME;
            result = KnnQueries.bestNestedMatch(nestedPath, result, innerHitsName, INNER_HITS_SIZE, field);
        }
        return KnnQueries.withBoostAndName(KnnQueries.withMinSimilarity(result, minSimilarity), boost, queryName);
    }

    /** Refuses a field the {@code knn} query cannot search, or one of another dimension, naming the index and the field. */
    private void checkMapping(QueryShardContext shard) throws IOException {
        String index = shard.index().getName();
        MappedFieldType type = shard.fieldMapper(field);
        if (type == null) {
            throw new IllegalArgumentException("[" + NAME + "] [field] [" + field + "] is not mapped in index [" + index + "]");
        }
        if ("knn_vector".equals(type.typeName()) == false) {
            throw new IllegalArgumentException(
                "[" + NAME + "] [field] [" + field + "] is mapped as [" + type.typeName() + "] in index [" + index + "], not as a knn_vector"
            );
        }
        Integer dimension = mappedDimension(shard);
        if (dimension != null && dimension != vector.length) {
            throw new IllegalArgumentException(
                "[" + NAME + "] the query vector has " + vector.length + " dimensions but [" + field + "] of index [" + index + "] has "
                    + dimension
            );
        }
    }

    /**
     * The dimension the field is mapped with, read from the field's own mapping since the k-NN plugin's field type
     * cannot be compiled against; null for a field that takes it from a trained model, which the k-NN plugin checks.
     */
    private Integer mappedDimension(QueryShardContext shard) throws IOException {
        Mapper mapper = shard.getMapperService().documentMapper().mappers().getMapper(field);
        if (mapper == null) {
            return null;
        }
        XContentBuilder json = JsonXContent.contentBuilder().startObject();
        mapper.toXContent(json, ToXContent.EMPTY_PARAMS);
        json.endObject();
        Map<String, Object> mapping = XContentHelper.convertToMap(BytesReference.bytes(json), false, MediaTypeRegistry.JSON).v2();
        return mapping.get(mapper.simpleName()) instanceof Map<?, ?> parameters && parameters.get("dimension") instanceof Number number
            ? number.intValue()
            : null;
    }

    /** The innermost nested objects holding the field, or null when the field belongs to the photo itself. */
    private String nestedPath(QueryShardContext shard) {
        for (int dot = field.lastIndexOf('.'); dot > 0; dot = field.lastIndexOf('.', dot - 1)) {
            String parent = field.substring(0, dot);
            ObjectMapper mapper = shard.getObjectMapper(parent);
            if (mapper != null && mapper.nested().isNested()) {
                return parent;
            }
        }
        return null;
    }

    @Override
    protected Query doToQuery(QueryShardContext context) {
        throw new IllegalStateException("[" + NAME + "] must be rewritten before it runs");
    }

    @Override
    protected boolean doEquals(ClipMatchQueryBuilder other) {
        return field.equals(other.field)
            && Objects.equals(text, other.text)
            && Arrays.equals(image, other.image)
            && Arrays.equals(vector, other.vector)
            && k == other.k
            && Objects.equals(minSimilarity, other.minSimilarity)
            && Objects.equals(filter, other.filter)
            && Objects.equals(pendingVector, other.pendingVector);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(field, text, Arrays.hashCode(image), Arrays.hashCode(vector), k, minSimilarity, filter);
    }
}
