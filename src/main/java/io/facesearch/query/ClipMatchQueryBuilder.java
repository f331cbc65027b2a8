package io.facesearch.query;

import io.facesearch.common.EncodedPhoto;
import io.facesearch.engine.FaceEngineService;

import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.query.InnerHitBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.transport.client.Client;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@code clip_match}: photos whose CLIP vector is near that of a text, a photo or a given vector.
 *
 * <p>A text or a photo is embedded once per search, on the coordinating node. Each shard searches its mapping of
 * the field with the k-NN plugin's {@code knn} query; a field inside nested objects (per-face CLIP vectors) scores
 * each photo by its best object and returns the matching objects as inner hits.
 */
public final class ClipMatchQueryBuilder extends VectorMatchQueryBuilder<ClipMatchQueryBuilder> {
    public static final String NAME = "clip_match";
    public static final String DEFAULT_FIELD = "clip";
    /** Matching nested objects returned per photo when the field is inside nested objects. */
    public static final int INNER_HITS_SIZE = 3;

    private ClipMatchQueryBuilder(Builder builder, QueryInput input) {
        super(builder, input);
    }

    private ClipMatchQueryBuilder(ClipMatchQueryBuilder original, QueryInput input, QueryBuilder filter, Supplier<QueryInput> pendingInput) {
        super(original, input, filter, pendingInput);
    }

    public ClipMatchQueryBuilder(StreamInput in, Supplier<FaceEngineService> engine) throws IOException {
        super(in, engine);
    }

    public static Builder builder(Supplier<FaceEngineService> engine) {
        return new Builder(engine);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    /** The text looked for; null when the query gives another input. */
    public String text() {
        return input() instanceof QueryInput.Text text ? text.text() : null;
    }

    @Override
    protected void writeOwnOptions(StreamOutput out) {}

    @Override
    protected void ownOptionsToXContent(XContentBuilder builder) {}

    @Override
    protected boolean ownOptionsEqual(ClipMatchQueryBuilder other) {
        return true;
    }

    @Override
    protected int ownOptionsHashCode() {
        return 0;
    }

    @Override
    protected void resolve(QueryInput input, Client client, ActionListener<float[]> listener) {
        new ClipVectorSource(engine).embed(
            input instanceof QueryInput.Text text ? text.text() : null,
            input instanceof QueryInput.Image image ? image.photo() : null,
            listener
        );
    }

    @Override
    protected ClipMatchQueryBuilder copy(QueryInput input, QueryBuilder filter, Supplier<QueryInput> pendingInput) {
        return new ClipMatchQueryBuilder(this, input, filter, pendingInput);
    }

    @Override
    protected InnerHitBuilder innerHits() {
        // two clip_match queries over nested vectors in one search need inner hits of different names
        return new InnerHitBuilder(queryName() != null ? queryName() : NAME).setSize(INNER_HITS_SIZE);
    }

    public static final class Builder extends VectorMatchQueryBuilder.Builder<ClipMatchQueryBuilder, Builder> {
        private Builder(Supplier<FaceEngineService> engine) {
            super(engine, NAME, DEFAULT_FIELD);
        }

        /** A text, embedded by the CLIP text model. */
        public Builder text(String text) {
            return input(new QueryInput.Text(text));
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected String inputOptions() {
            return "[text], [image] and [vector]";
        }

        @Override
        protected ClipMatchQueryBuilder build(QueryInput input) {
            return new ClipMatchQueryBuilder(this, input);
        }
    }
}
