package io.facesearch.ingest;

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

/** Pipeline definitions of the face processor: defaults, options and clear errors. */
public class FaceProcessorFactoryTests {
    private final FaceProcessorFactory factory = new FaceProcessorFactory(() -> null, new TargetMappingCheck(() -> null));

    private FaceProcessor create(Map<String, Object> config) {
        return factory.create(Map.of(), "tag", "description", new HashMap<>(config));
    }

    @Test
    public void defaults() {
        FaceProcessor processor = create(Map.of());
        assertEquals("face", processor.getType());
        assertEquals("tag", processor.getTag());
        assertEquals("image", processor.field());
        assertEquals("faces", processor.targetField());
        assertEquals("photo", processor.photoField());
        assertFalse(processor.ignoreMissing());
        assertTrue("only vectors are stored unless asked otherwise", processor.removeImage());
        assertNull(processor.minScore());
        assertNull(processor.maxFaces());
        assertNull(processor.detector());
    }

    @Test
    public void options() {
        FaceProcessor processor = create(
            Map.of(
                "field", "b64",
                "target_field", "people",
                "photo_field", "picture",
                "ignore_missing", true,
                "remove_image", false,
                "min_score", 0.8,
                "min_face_size", 24,
                "max_faces", 3,
                "detector", "scrfd_500m"
            )
        );
        assertEquals("b64", processor.field());
        assertEquals("people", processor.targetField());
        assertEquals("picture", processor.photoField());
        assertTrue(processor.ignoreMissing());
        assertFalse(processor.removeImage());
        assertEquals(0.8f, processor.minScore(), 1e-6);
        assertEquals(Integer.valueOf(24), processor.minFaceSize());
        assertEquals(Integer.valueOf(3), processor.maxFaces());
        assertEquals("scrfd_500m", processor.detector());
    }

    @Test
    public void badOptionsNameTheProperty() {
        assertError(Map.of("min_score", 1.5), "[min_score] must be between 0 and 1");
        assertError(Map.of("min_score", "high"), "[min_score] must be a number");
        assertError(Map.of("max_faces", 0), "[max_faces] must be between 1 and 10000, got 0");
        assertError(Map.of("min_face_size", -1), "[min_face_size] must be between 0 and 100000, got -1");
        assertError(Map.of("target_field", "image"), "must differ");
    }

    @Test
    public void everyOptionRefusesEveryWrongTypeAndNull() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String option : new String[] { "field", "target_field", "photo_field", "detector", "embedder", "clip_field" }) {
            expected.put(option, "a string");
        }
        for (String option : new String[] { "ignore_missing", "remove_image", "clip", "face_clip" }) {
            expected.put(option, "true or false");
        }
        expected.put("min_score", "a number");
        expected.put("min_face_size", "an integer");
        expected.put("max_faces", "an integer");
        // values as the pipeline's JSON reaches the factory
        Map<String, Object> wrong = new LinkedHashMap<>();
        wrong.put("null", null);
        wrong.put("an object", Map.of("a", 1));
        wrong.put("an array", List.of(1, 2));
        wrong.put("the string [ten]", "ten");
        wrong.put("10.5", 10.5);
        wrong.put("true", true);
        for (Map.Entry<String, String> option : expected.entrySet()) {
            for (Map.Entry<String, Object> value : wrong.entrySet()) {
                boolean accepted = switch (option.getValue()) {
                    case "a string" -> value.getValue() instanceof String;
                    case "true or false" -> value.getValue() instanceof Boolean;
                    case "a number" -> value.getValue() instanceof Double;
                    default -> false;
                };
                if (accepted) {
                    continue;
                }
                Map<String, Object> config = new HashMap<>();
                config.put(option.getKey(), value.getValue());
                OpenSearchParseException e = assertThrows(OpenSearchParseException.class, () -> create(config));
                assertEquals("[" + option.getKey() + "] must be " + option.getValue() + ", got " + value.getKey(), e.getMessage());
                assertEquals(List.of(option.getKey()), e.getMetadata("opensearch.property_name"));
                assertEquals(List.of("face"), e.getMetadata("opensearch.processor_type"));
            }
        }
    }

    @Test
    public void numbersAreJsonNumbersInRange() {
        assertError(Map.of("min_score", "0.5"), "[min_score] must be a number, got the string [0.5]");
        assertError(Map.of("min_score", "NaN"), "[min_score] must be a number, got the string [NaN]");
        assertError(Map.of("min_score", Double.NaN), "[min_score] must be a finite number, got NaN");
        assertError(Map.of("min_score", -0.1), "[min_score] must be between 0 and 1, got -0.1");
        assertError(Map.of("max_faces", 2.5), "[max_faces] must be an integer, got 2.5");
        assertError(Map.of("max_faces", "3"), "[max_faces] must be an integer, got the string [3]");
        assertError(Map.of("max_faces", 10_001), "[max_faces] must be between 1 and 10000, got 10001");
        assertError(Map.of("min_face_size", 100_001), "[min_face_size] must be between 0 and 100000, got 100001");
        assertError(Map.of("field", ""), "[field] must not be empty");
        assertEquals(Integer.valueOf(3), create(Map.of("max_faces", 3.0)).maxFaces());
        assertEquals(Integer.valueOf(100_000), create(Map.of("min_face_size", 100_000L)).minFaceSize());
    }

    private void assertError(Map<String, Object> config, String fragment) {
        OpenSearchParseException e = assertThrows(OpenSearchParseException.class, () -> create(config));
        assertTrue(e.getMessage(), e.getMessage().contains(fragment));
    }
}
