package io.facesearch.rest;

import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Body of {@code POST _plugins/_face/identify}. */
record IdentifyRequest(
    String index,
    byte[] image,
    float[] vector,
    int k1,
    int k2,
    Float threshold,
    String identityField,
    String field,
    QueryBuilder filter
) {
    static final int DEFAULT_K1 = 3;
    static final int DEFAULT_K2 = 10;
    static final String DEFAULT_IDENTITY_FIELD = "identity";
    static final String KNOWN_FIELDS = "[index, image, vector, k1, k2, threshold, identity_field, field, filter]";

    static IdentifyRequest parse(XContentParser parser) throws IOException {
        String index = null;
        byte[] image = null;
        float[] vector = null;
        int k1 = DEFAULT_K1;
        int k2 = DEFAULT_K2;
        Float threshold = null;
        String identityField = DEFAULT_IDENTITY_FIELD;
        String field = "faces.embedding";
        QueryBuilder filter = null;
        RequestFields.startObject(parser);
        while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "index" -> index = parser.text();
                case "image" -> image = RequestFields.photo(parser, name);
                case "vector" -> vector = readVector(parser);
                case "k1" -> k1 = RequestFields.intValue(parser, name);
                case "k2" -> k2 = RequestFields.intValue(parser, name);
                case "threshold" -> threshold = RequestFields.floatValue(parser, name);
                case "identity_field" -> identityField = parser.text();
                case "field" -> field = parser.text();
                case "filter" -> filter = AbstractQueryBuilder.parseInnerQueryBuilder(parser);
                default -> throw RequestFields.unknownField(name, KNOWN_FIELDS);
            }
        }
        RequestFields.required(index, "index");
        if ((image == null) == (vector == null)) {
            throw new IllegalArgumentException("exactly one of [image] and [vector] is required");
        }
        if (k1 < 1 || k2 < k1 || k2 > 10_000) {
            throw new IllegalArgumentException("[k1] and [k2] must satisfy 1 <= k1 <= k2 <= 10000, got k1=" + k1 + ", k2=" + k2);
        }
        return new IdentifyRequest(index, image, vector, k1, k2, threshold, identityField, field, filter);
    }

    private static float[] readVector(XContentParser parser) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            throw new IllegalArgumentException("[vector] must be an array of numbers");
        }
        List<Float> values = new ArrayList<>();
        while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
            values.add(RequestFields.floatValue(parser, "vector"));
        }
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = values.get(i);
        }
        return vector;
    }
}
