package io.facesearch.query;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** face_match through the wire and its JSON form: equal copies, and no option left out of equality. */
public class FaceMatchQueryBuilderTests extends VectorMatchQueryTestCase<FaceMatchQueryBuilder> {

    @Override
    protected String queryName() {
        return FaceMatchQueryBuilder.NAME;
    }

    @Override
    protected List<String> inputs() {
        return List.of("vector", "image", "face");
    }

    @Override
    protected FaceMatchQueryBuilder randomQuery() {
        FaceMatchQueryBuilder.Builder builder = FaceMatchQueryBuilder.builder(null);
        switch (randomIntBetween(0, 2)) {
            case 0 -> builder.vector(randomVector());
            case 1 -> builder.image(randomByteArrayOfLength(randomIntBetween(1, 64)));
            default -> builder.face(new FaceReference(randomAlphaOfLength(6), randomAlphaOfLength(4), randomIntBetween(0, 5)));
        }
        if (randomBoolean()) {
            builder.field(randomAlphaOfLength(4) + "." + randomAlphaOfLength(6));
        }
        switch (randomIntBetween(0, 2)) {
            case 0 -> builder.noInnerHits();
            case 1 -> builder.innerHits(randomBoolean() ? null : randomAlphaOfLength(5), randomBoolean() ? null : randomIntBetween(0, 100));
            default -> {}
        }
        builder.expandNestedDocs(randomBoolean());
        return randomCommonOptions(builder).build();
    }

    @Override
    protected Map<String, UnaryOperator<Object>> changes() {
        Map<String, UnaryOperator<Object>> changes = commonChanges();
        changes.put("face", face -> Map.of("index", "others", "id", "7", "face", 3));
        changes.put("inner_hits", innerHits -> innerHits instanceof Map<?, ?> ? false : Map.of("name", "faces", "size", 7));
        changes.put("expand_nested_docs", expand -> expand == null ? true : null);
        return changes;
    }
}
