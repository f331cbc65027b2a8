package io.facesearch.identify;

import org.opensearch.OpenSearchParseException;
import org.junit.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** Search pipeline definitions of the face_identity processor: defaults, options and errors that name the option. */
public class FaceIdentityProcessorFactoryTests {
    private final FaceIdentityProcessorFactory factory = new FaceIdentityProcessorFactory(() -> null);

    private FaceIdentityResponseProcessor create(Map<String, Object> config) {
        return factory.create(Map.of(), "who", "says who", false, new HashMap<>(config), null);
    }

    @Test
    public void defaultsAreThoseOfIdentify() {
        FaceIdentityResponseProcessor processor = factory.create(Map.of(), null, null, true, new HashMap<>(), null);
        assertEquals("face_identity", processor.getType());
        assertNull(processor.getTag());
        assertTrue(processor.isIgnoreFailure());
        assertEquals(3, processor.k1());
        assertEquals(10, processor.k2());
        assertNull("the node's face_search.identify.threshold at each search", processor.threshold());
        assertEquals("identity", processor.identityField());
    }

    @Test
    public void options() {
        FaceIdentityResponseProcessor processor = create(Map.of("k1", 1, "k2", 5.0, "threshold", 0.3, "identity_field", "person.name"));
        assertEquals("who", processor.getTag());
        assertEquals("says who", processor.getDescription());
        assertFalse(processor.isIgnoreFailure());
        assertEquals(1, processor.k1());
        assertEquals(5, processor.k2());
        assertEquals(0.3f, processor.threshold(), 1e-6);
        assertEquals("person.name", processor.identityField());
        assertEquals(-1f, create(Map.of("threshold", -1)).threshold(), 0);
        assertEquals(10_000, create(Map.of("k1", 10_000, "k2", 10_000L)).k2());
    }

    @Test
    public void badOptionsNameTheOption() {
        assertError(Map.of("k1", 0), "k1", "[k1] must be between 1 and 10000, got 0");
        assertError(Map.of("k2", 10_001), "k2", "[k2] must be between 1 and 10000, got 10001");
        assertError(Map.of("k2", 2.5), "k2", "[k2] must be an integer, got 2.5");
        assertError(Map.of("k1", "3"), "k1", "[k1] must be an integer, got the string [3]");
        assertError(Map.of("k1", 5, "k2", 2), "k1", "[k1] must not exceed [k2]: 1 <= k1 <= k2 <= 10000, got k1=5, k2=2");
        assertError(Map.of("k1", 11), "k1", "[k1] must not exceed [k2]: 1 <= k1 <= k2 <= 10000, got k1=11, k2=10");
        assertError(Map.of("threshold", 1.5), "threshold", "[threshold] must be between -1 and 1, got 1.5");
        assertError(Map.of("threshold", "0.5"), "threshold", "[threshold] must be a number, got the string [0.5]");
        assertError(Map.of("threshold", Double.NaN), "threshold", "[threshold] must be a finite number, got NaN");
        assertError(Map.of("identity_field", ""), "identity_field", "[identity_field] must not be empty");
        assertError(Map.of("identity_field", 7), "identity_field", "[identity_field] must be a string, got 7");
    }

    @Test
    public void everyOptionRefusesEveryWrongTypeAndNull() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("k1", "an integer");
        expected.put("k2", "an integer");
        expected.put("threshold", "a number");
        expected.put("identity_field", "a string");
        // values as the pipeline's JSON reaches the factory
        Map<String, Object> wrong = new LinkedHashMap<>();
        wrong.put("null", null);
        wrong.put("an object", Map.of("a", 1));
        wrong.put("an array", List.of(1, 2));
        wrong.put("true", true);
        wrong.put("the string [ten]", "ten");
        for (Map.Entry<String, String> option : expected.entrySet()) {
            for (Map.Entry<String, Object> value : wrong.entrySet()) {
                if (option.getValue().equals("a string") && value.getValue() instanceof String) {
                    continue;
                }
                Map<String, Object> config = new HashMap<>();
                config.put(option.getKey(), value.getValue());
                assertError(config, option.getKey(), "[" + option.getKey() + "] must be " + option.getValue() + ", got " + value.getKey());
            }
        }
    }

    @Test
    public void leavesOptionsItDoesNotKnowForThePipelineToRefuse() {
        Map<String, Object> config = new HashMap<>(Map.of("k1", 2, "k3", 4));
        factory.create(Map.of(), null, null, false, config, null);
        assertEquals(Map.of("k3", 4), config);
    }

    private void assertError(Map<String, Object> config, String option, String message) {
        OpenSearchParseException e = assertThrows(OpenSearchParseException.class, () -> create(config));
        assertEquals(message, e.getMessage());
        assertEquals(List.of(option), e.getMetadata("opensearch.property_name"));
        assertEquals(List.of("face_identity"), e.getMetadata("opensearch.processor_type"));
        assertEquals(List.of("who"), e.getMetadata("opensearch.processor_tag"));
    }
}
