package io.facesearch.query;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;
import io.facesearch.engine.FaceEngineService;
import io.facesearch.stats.FaceStats;

import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.function.Supplier;

/** Reads a {@code face_match} query from its JSON form; every error names the option at fault. */
public final class FaceMatchQueryParser {
    private static final QueryOptionsParser<FaceMatchQueryBuilder.Builder> OPTIONS = new QueryOptionsParser<>(
        FaceMatchQueryBuilder.NAME,
        null
    );
    private static final QueryOptionsParser<Reference> REFERENCE = new QueryOptionsParser<>(FaceMatchQueryBuilder.NAME, "face");
    private static final QueryOptionsParser<InnerHits> INNER_HITS = new QueryOptionsParser<>(FaceMatchQueryBuilder.NAME, "inner_hits");
    static {
        OPTIONS.declare("face", FaceMatchQueryBuilder.Builder::face, FaceMatchQueryParser::readReference)
            .declare("person", FaceMatchQueryBuilder.Builder::person, FieldReader::string)
            .declare("people_index", FaceMatchQueryBuilder.Builder::peopleIndex, FieldReader::string);
        VectorMatchQueryParser.declareCommonOptions(OPTIONS);
        OPTIONS.declare("inner_hits", FaceMatchQueryParser::setInnerHits, FaceMatchQueryParser::readInnerHits)
            .declare("expand_nested_docs", FaceMatchQueryBuilder.Builder::expandNestedDocs, FieldReader::bool);
        REFERENCE.declare("index", (Reference reference, String index) -> reference.index = index, FieldReader::string)
            .declare("id", (Reference reference, String id) -> reference.id = id, FieldReader::string)
            .declare("face", (Reference reference, Integer face) -> reference.face = face, FaceMatchQueryParser::position);
        INNER_HITS.declare("name", (InnerHits innerHits, String name) -> innerHits.name = name, FieldReader::string)
            .declare("size", (InnerHits innerHits, Integer size) -> innerHits.size = size, FaceMatchQueryParser::position);
    }
    static final String KNOWN_FIELDS = OPTIONS.knownOptions();

    private FaceMatchQueryParser() {}

    public static FaceMatchQueryBuilder parse(XContentParser parser, Supplier<FaceEngineService> engine) throws IOException {
        return VectorMatchQueryParser.parse(OPTIONS, parser, FaceMatchQueryBuilder.builder(engine), engine, FaceStats.Source.FACE_MATCH);
    }

    /** An integer >= 0. */
    private static int position(XContentParser parser, String option) throws IOException {
        return FieldReader.integer(parser, option, 0, Integer.MAX_VALUE);
    }

    /** {@code {"index": ..., "id": ..., "face": 0}}: a face already indexed. */
    private static final class Reference {
        String index;
        String id;
        int face;
    }

    private static FaceReference readReference(XContentParser parser, String option) throws IOException {
        FieldReader.startObject(parser, option);
        Reference reference = REFERENCE.parseObject(parser, new Reference());
        return new FaceReference(reference.index, reference.id, reference.face);
    }

    /** The matching faces returned with each photo, if any, under {@code name}, {@code size} of them (null: the defaults). */
    private static final class InnerHits {
        boolean returned = true;
        String name;
        Integer size;
    }

    /** {@code false} (none), {@code true} (the default) or {@code {"name": ..., "size": ...}}. */
    private static InnerHits readInnerHits(XContentParser parser, String option) throws IOException {
        if (parser.currentToken() == XContentParser.Token.VALUE_BOOLEAN) {
            InnerHits innerHits = new InnerHits();
            innerHits.returned = parser.booleanValue();
            return innerHits;
        }
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw FieldValues.invalid(option, "must be an object or a boolean, got " + FieldReader.describe(parser, option));
        }
        return INNER_HITS.parseObject(parser, new InnerHits());
    }

    private static void setInnerHits(FaceMatchQueryBuilder.Builder builder, InnerHits innerHits) {
        if (innerHits.returned) {
            builder.innerHits(innerHits.name, innerHits.size);
        } else {
            builder.noInnerHits();
        }
    }
}
