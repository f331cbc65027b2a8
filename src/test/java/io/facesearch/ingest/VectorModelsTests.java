package io.facesearch.ingest;

import org.junit.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;

/** The models recorded in {@code photo.model}, and when a document's record names the same ones. */
public class VectorModelsTests {
    static final VectorModels FACES = new VectorModels("yunet", "mobilefacenet", "6ced", 128, true, null, null);
    static final VectorModels WITH_CLIP = new VectorModels("yunet", "mobilefacenet", "6ced", 128, true, "clip_b32", "9a1f");

    @Test
    public void recordsTheClipModelOnlyWithClip() {
        assertEquals(List.of("detector", "embedder", "embedder_sha256", "dimension", "flip_average"), List.copyOf(FACES.asMap().keySet()));
        assertEquals("clip_b32", WITH_CLIP.asMap().get("clip"));
        assertEquals("9a1f", WITH_CLIP.asMap().get("clip_sha256"));
    }

    @Test
    public void sameModelsAsRecorded() {
        assertNull(FACES.differenceFrom(FACES.asMap()));
        assertNull(WITH_CLIP.differenceFrom(WITH_CLIP.asMap()));
    }

    @Test
    public void dimensionReadBackAsAnotherNumberTypeIsTheSame() {
        Map<String, Object> recorded = new HashMap<>(FACES.asMap());
        recorded.put("dimension", 128L);
        assertNull(FACES.differenceFrom(recorded));
    }

    @Test
    public void flipAveragingIsNotCompared() {
        Map<String, Object> recorded = new HashMap<>(FACES.asMap());
        recorded.put("flip_average", false);
        assertNull(FACES.differenceFrom(recorded));
    }

    @Test
    public void anotherEmbedderFileIsADifference() {
        Map<String, Object> recorded = new HashMap<>(FACES.asMap());
        recorded.put("embedder_sha256", "0000");
        assertEquals("embedder_sha256 [0000], now [6ced]", FACES.differenceFrom(recorded));
        recorded = new HashMap<>(FACES.asMap());
        recorded.remove("detector");
        assertEquals("detector [null], now [yunet]", FACES.differenceFrom(recorded));
    }

    @Test
    public void clipIsComparedOnlyWhenTheProcessorWritesClipVectors() {
        assertNull("a recorded CLIP model does not matter without CLIP", FACES.differenceFrom(WITH_CLIP.asMap()));
        assertEquals("clip [null], now [clip_b32]", WITH_CLIP.differenceFrom(FACES.asMap()));
        Map<String, Object> recorded = new HashMap<>(WITH_CLIP.asMap());
        recorded.put("clip_sha256", "ffff");
        assertFalse(WITH_CLIP.differenceFrom(recorded) == null);
    }
}
