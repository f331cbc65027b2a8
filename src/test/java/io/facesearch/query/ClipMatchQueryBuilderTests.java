package io.facesearch.query;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** clip_match through the wire and its JSON form: equal copies, and no option left out of equality. */
public class ClipMatchQueryBuilderTests extends VectorMatchQueryTestCase<ClipMatchQueryBuilder> {

    @Override
    protected String queryName() {
        return ClipMatchQueryBuilder.NAME;
    }

    @Override
    protected List<String> inputs() {
        return List.of("text", "image", "vector");
    }

    @Override
    protected ClipMatchQueryBuilder randomQuery() {
        ClipMatchQueryBuilder.Builder builder = ClipMatchQueryBuilder.builder(null);
        switch (randomIntBetween(0, 2)) {
            case 0 -> builder.vector(randomVector());
            case 1 -> builder.image(randomByteArrayOfLength(randomIntBetween(1, 64)));
            default -> builder.text(randomAlphaOfLength(3) + " " + randomUnicodeOfLengthBetween(0, 20));
        }
        if (randomBoolean()) {
            builder.field(randomBoolean() ? "faces.clip" : randomAlphaOfLength(6));
        }
        return randomCommonOptions(builder).build();
    }

    @Override
    protected Map<String, UnaryOperator<Object>> changes() {
        Map<String, UnaryOperator<Object>> changes = commonChanges();
        changes.put("text", text -> text == null ? "a red car" : text + " at night");
        return changes;
    }
}
