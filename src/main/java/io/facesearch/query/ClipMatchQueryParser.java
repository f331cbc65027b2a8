package io.facesearch.query;

import io.facesearch.common.FieldReader;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.stats.FaceStats;

import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.function.Supplier;

/** Reads a {@code clip_match} query from its JSON form; every error names the option at fault. */
public final class ClipMatchQueryParser {
    private static final QueryOptionsParser<ClipMatchQueryBuilder.Builder> OPTIONS = new QueryOptionsParser<>(
        ClipMatchQueryBuilder.NAME,
        null
    );
    static {
        OPTIONS.declare("text", ClipMatchQueryBuilder.Builder::text, FieldReader::string);
        VectorMatchQueryParser.declareCommonOptions(OPTIONS);
    }
    static final String KNOWN_FIELDS = OPTIONS.knownOptions();

    private ClipMatchQueryParser() {}

    public static ClipMatchQueryBuilder parse(XContentParser parser, Supplier<FaceEngineService> engine) throws IOException {
        return VectorMatchQueryParser.parse(OPTIONS, parser, ClipMatchQueryBuilder.builder(engine), engine, FaceStats.Source.CLIP_MATCH);
    }
}
