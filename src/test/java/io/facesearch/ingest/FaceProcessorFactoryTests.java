package io.facesearch.ingest;

import org.opensearch.OpenSearchParseException;
import org.junit.Test;

import java.util.HashMap;
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
        assertError(Map.of("max_faces", 0), "[max_faces] must be >= 1");
        assertError(Map.of("min_face_size", -1), "[min_face_size] must be >= 0");
        assertError(Map.of("target_field", "image"), "must differ");
    }

    private void assertError(Map<String, Object> config, String fragment) {
        OpenSearchParseException e = assertThrows(OpenSearchParseException.class, () -> create(config));
        assertTrue(e.getMessage(), e.getMessage().contains(fragment));
    }
}
