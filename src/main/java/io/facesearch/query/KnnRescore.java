package io.facesearch.query;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;
import io.facesearch.ingest.VectorCompression;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.knn.index.query.rescore.RescoreContext;

import java.io.IOException;

/**
 * The {@code rescore} option of a vector query, named as the k-NN plugin's {@code knn} query names it: on a field whose
 * graph holds quantized vectors ({@link VectorCompression} x4 or x32), the quantized search finds {@code
 * oversample_factor} times k candidates (at least 100), which are then scored again with the full-precision vectors
 * and cut to k. {@code false} turns rescoring off (approximate scores, faster); {@code true} or no option at all uses
 * the default of the field's compression. A field of float vectors is searched exactly as it is, and never rescored.
 *
 * @param enabled          whether candidates are rescored
 * @param oversampleFactor how many times k candidates; null for the compression's default
 */
public record KnnRescore(boolean enabled, Float oversampleFactor) {
    public static final String OPTION = "rescore";
    public static final String OVERSAMPLE_FACTOR = "oversample_factor";
    /** The k-NN plugin's own bounds of the factor. */
    public static final float MIN_OVERSAMPLE_FACTOR = RescoreContext.MIN_OVERSAMPLE_FACTOR;
    public static final float MAX_OVERSAMPLE_FACTOR = RescoreContext.MAX_OVERSAMPLE_FACTOR;

    public static final KnnRescore OFF = new KnnRescore(false, null);
    public static final KnnRescore DEFAULT = new KnnRescore(true, null);

    public KnnRescore {
        if (enabled == false && oversampleFactor != null) {
            throw new IllegalArgumentException("an oversample factor needs rescoring");
        }
        // written so that NaN, which fails every comparison, is refused too
        if (oversampleFactor != null && (oversampleFactor >= MIN_OVERSAMPLE_FACTOR && oversampleFactor <= MAX_OVERSAMPLE_FACTOR) == false) {
            throw FieldValues.invalid(
                OPTION + "." + OVERSAMPLE_FACTOR,
                "must be between " + MIN_OVERSAMPLE_FACTOR + " and " + MAX_OVERSAMPLE_FACTOR + ", got " + oversampleFactor
            );
        }
    }

    public static KnnRescore oversample(float factor) {
        return new KnnRescore(true, factor);
    }

    /**
     * The k-NN plugin's rescoring of a search of a field so compressed: null for a float field, none asked for by
     * {@code rescore} (null: the default), or the factor given or the compression's default.
     */
    static RescoreContext resolve(KnnRescore rescore, VectorCompression compression) {
        if (compression.rescorable() == false) {
            return null;
        }
        if (rescore != null && rescore.enabled == false) {
            return RescoreContext.EXPLICITLY_DISABLED_RESCORE_CONTEXT;
        }
        float factor = rescore != null && rescore.oversampleFactor != null ? rescore.oversampleFactor : compression.defaultOversampleFactor();
        return RescoreContext.builder().oversampleFactor(factor).build();
    }

    /** {@code true}, {@code false} or {@code {"oversample_factor": 3.0}}. */
    static KnnRescore read(XContentParser parser, String option) throws IOException {
        if (parser.currentToken() == XContentParser.Token.VALUE_BOOLEAN) {
            return parser.booleanValue() ? DEFAULT : OFF;
        }
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw FieldValues.invalid(option, "must be an object or a boolean, got " + FieldReader.describe(parser, option));
        }
        Float factor = null;
        String known = "[" + OVERSAMPLE_FACTOR + "]";
        while (parser.nextToken() != XContentParser.Token.END_OBJECT) {
            String name = parser.currentName();
            parser.nextToken();
            if (OVERSAMPLE_FACTOR.equals(name) == false) {
                throw FieldValues.unknownField(option + "." + name, known);
            }
            factor = FieldReader.number(parser, option + "." + OVERSAMPLE_FACTOR, MIN_OVERSAMPLE_FACTOR, MAX_OVERSAMPLE_FACTOR);
        }
        return factor == null ? DEFAULT : oversample(factor);
    }

    void toXContent(XContentBuilder builder) throws IOException {
        if (enabled == false || oversampleFactor == null) {
            builder.field(OPTION, enabled);
        } else {
            builder.startObject(OPTION).field(OVERSAMPLE_FACTOR, oversampleFactor).endObject();
        }
    }

    static void writeOptional(KnnRescore rescore, StreamOutput out) throws IOException {
        out.writeBoolean(rescore != null);
        if (rescore != null) {
            out.writeBoolean(rescore.enabled);
            out.writeOptionalFloat(rescore.oversampleFactor);
        }
    }

    static KnnRescore readOptional(StreamInput in) throws IOException {
        if (in.readBoolean() == false) {
            return null;
        }
        return new KnnRescore(in.readBoolean(), in.readOptionalFloat());
    }
}
