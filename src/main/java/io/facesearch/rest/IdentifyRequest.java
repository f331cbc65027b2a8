package io.facesearch.rest;

import io.facesearch.common.FieldReader;
import io.facesearch.common.FieldValues;
import io.facesearch.query.FaceMatchQueryBuilder;

import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.QueryBuilder;

import java.io.IOException;

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
    static final int MAX_K = FaceMatchQueryBuilder.MAX_K;
    static final String DEFAULT_IDENTITY_FIELD = "identity";
    static final String KNOWN_FIELDS = "[index, image, vector, k1, k2, threshold, identity_field, field, filter]";

    static IdentifyRequest parse(XContentParser parser) throws IOException {
        return FieldReader.body(parser, IdentifyRequest::read);
    }

    private static IdentifyRequest read(XContentParser parser) throws IOException {
        String index = null;
        byte[] image = null;
        float[] vector = null;
        int k1 = DEFAULT_K1;
        int k2 = DEFAULT_K2;
        Float threshold = null;
        String identityField = DEFAULT_IDENTITY_FIELD;
        String field = FaceMatchQueryBuilder.DEFAULT_FIELD;
        QueryBuilder filter = null;
        while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            switch (name) {
                case "index" -> index = FieldReader.string(parser, name);
                case "image" -> image = FieldReader.photo(parser, name);
                case "vector" -> vector = FieldReader.vector(parser, name);
                case "k1" -> k1 = FieldReader.integer(parser, name, 1, MAX_K);
                case "k2" -> k2 = FieldReader.integer(parser, name, 1, MAX_K);
                case "threshold" -> threshold = FieldReader.number(parser, name, -1, 1);
                case "identity_field" -> identityField = FieldReader.string(parser, name);
                case "field" -> field = FieldReader.string(parser, name);
                case "filter" -> filter = FieldReader.query(parser, name);
                default -> throw FieldValues.unknownField(name, KNOWN_FIELDS);
            }
        }
        FieldValues.required(index, "index");
        if ((image == null) == (vector == null)) {
            throw new IllegalArgumentException("exactly one of [image] and [vector] is required");
        }
        if (k1 > k2) {
            throw new IllegalArgumentException("[k1] and [k2] must satisfy 1 <= k1 <= k2 <= " + MAX_K + ", got k1=" + k1 + ", k2=" + k2);
        }
        return new IdentifyRequest(index, image, vector, k1, k2, threshold, identityField, field, filter);
    }
}
