package io.facesearch.query;

import io.facesearch.plugin.FaceEngineService;
import io.facesearch.vision.image.Base64Photo;

import org.opensearch.core.common.ParsingException;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Reads a {@code face_match} query from its JSON form. */
public final class FaceMatchQueryParser {
    private FaceMatchQueryParser() {}

    public static FaceMatchQueryBuilder parse(XContentParser parser, Supplier<FaceEngineService> engine) throws IOException {
        String field = FaceMatchQueryBuilder.DEFAULT_FIELD;
        float[] vector = null;
        byte[] image = null;
        FaceReference reference = null;
        int k = FaceMatchQueryBuilder.DEFAULT_K;
        Float minSimilarity = null;
        QueryBuilder filter = null;
        String innerHitsName = FaceMatchQueryBuilder.NAME;
        int innerHitsSize = FaceMatchQueryBuilder.DEFAULT_INNER_HITS_SIZE;
        float boost = AbstractQueryBuilder.DEFAULT_BOOST;
        String queryName = null;

        String current = null;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                current = parser.currentName();
                continue;
            }
            switch (current == null ? "" : current) {
                case "field" -> field = parser.text();
                case "vector" -> vector = readVector(parser);
                case "image" -> image = Base64Photo.decode(parser.text(), FaceMatchQueryBuilder.NAME + "] [image");
                case "face" -> reference = readReference(parser);
                case "k" -> k = parser.intValue();
                case "min_similarity" -> minSimilarity = parser.floatValue();
                case "filter" -> filter = AbstractQueryBuilder.parseInnerQueryBuilder(parser);
                case "inner_hits" -> {
                    if (token == XContentParser.Token.VALUE_BOOLEAN) {
                        innerHitsName = parser.booleanValue() ? innerHitsName : null;
                    } else if (token == XContentParser.Token.START_OBJECT) {
                        while (parser.nextToken() != XContentParser.Token.END_OBJECT) {
                            String key = parser.currentName();
                            parser.nextToken();
                            switch (key) {
                                case "name" -> innerHitsName = parser.text();
                                case "size" -> innerHitsSize = parser.intValue();
                                default -> throw new ParsingException(parser.getTokenLocation(), "[" + FaceMatchQueryBuilder.NAME + "] unknown [inner_hits] option [" + key + "]");
                            }
                        }
                    } else {
                        throw new ParsingException(parser.getTokenLocation(), "[" + FaceMatchQueryBuilder.NAME + "] [inner_hits] must be an object or false");
                    }
                }
                case "boost" -> boost = parser.floatValue();
                case "_name" -> queryName = parser.text();
                default -> throw new ParsingException(
                    parser.getTokenLocation(),
                    "[" + FaceMatchQueryBuilder.NAME + "] unknown field [" + current + "]; known fields: [field, vector, image, face, k, "
                        + "min_similarity, filter, inner_hits, boost, _name]"
                );
            }
        }
        try {
            return new FaceMatchQueryBuilder(engine, field, vector, image, reference, k, minSimilarity, filter, innerHitsName, innerHitsSize, null)
                .boost(boost)
                .queryName(queryName);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }

    private static float[] readVector(XContentParser parser) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            throw new ParsingException(parser.getTokenLocation(), "[" + FaceMatchQueryBuilder.NAME + "] [vector] must be an array of numbers");
        }
        List<Float> values = new ArrayList<>();
        while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
            values.add(parser.floatValue());
        }
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = values.get(i);
        }
        return vector;
    }

    private static FaceReference readReference(XContentParser parser) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw new ParsingException(parser.getTokenLocation(), "[" + FaceMatchQueryBuilder.NAME + "] [face] must be an object {index, id, face}");
        }
        String index = null;
        String id = null;
        int face = 0;
        while (parser.nextToken() != XContentParser.Token.END_OBJECT) {
            String key = parser.currentName();
            parser.nextToken();
            switch (key) {
                case "index" -> index = parser.text();
                case "id" -> id = parser.text();
                case "face" -> face = parser.intValue();
                default -> throw new ParsingException(parser.getTokenLocation(), "[" + FaceMatchQueryBuilder.NAME + "] unknown [face] option [" + key + "]");
            }
        }
        try {
            return new FaceReference(index, id, face);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), "[" + FaceMatchQueryBuilder.NAME + "] " + e.getMessage());
        }
    }
}
