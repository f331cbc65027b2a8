package io.facesearch.ingest;

import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.core.common.io.stream.StreamInput;
import org.junit.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** The {@code hnsw} option of a photo index: how the graph of its face vectors is built. */
public class HnswGraphTests {

    @Test
    public void eitherValueMayBeLeftToItsDefault() {
        assertEquals(new HnswGraph(16, 128), HnswGraph.DEFAULT);
        assertEquals(new HnswGraph(32, 128), HnswGraph.parse(Map.of("m", 32)));
        assertEquals(new HnswGraph(16, 400), HnswGraph.parse(Map.of("ef_construction", 400)));
        assertEquals(new HnswGraph(24, 256), HnswGraph.parse(Map.of("m", 24, "ef_construction", 256)));
        assertEquals(HnswGraph.DEFAULT, HnswGraph.parse(Map.of()));
    }

    @Test
    public void badValuesAreRefusedNamingTheField() {
        assertMessage(() -> HnswGraph.parse(Map.of("m", 1)), "[hnsw.m] must be");
        assertMessage(() -> HnswGraph.parse(Map.of("m", 513)), "[hnsw.m] must be");
        assertMessage(() -> HnswGraph.parse(Map.of("m", 16.5)), "[hnsw.m] must be an integer");
        assertMessage(() -> HnswGraph.parse(Map.of("m", "16")), "[hnsw.m] must be an integer");
        assertMessage(() -> HnswGraph.parse(Map.of("ef_construction", 0)), "[hnsw.ef_construction] must be");
        assertMessage(() -> HnswGraph.parse(Map.of("ef_construction", 3201)), "[hnsw.ef_construction] must be");
        assertMessage(() -> HnswGraph.parse(Map.of("ef_search", 100)), "unknown field [hnsw.ef_search]");
        assertMessage(() -> HnswGraph.parse(16), "[hnsw] must be an object");
        assertThrows(IllegalArgumentException.class, () -> new HnswGraph(16, 0));
    }

    @Test
    public void aMappingIsReadWithTheKnnPluginsDefaultsForWhatItLeavesOut() {
        Map<String, Object> full = Map.of("method", Map.of("name", "hnsw", "parameters", Map.of("m", 8, "ef_construction", 64)));
        assertEquals(new HnswGraph(8, 64), HnswGraph.ofDefinition(full));
        assertEquals(HnswGraph.DEFAULT, HnswGraph.ofDefinition(Map.of("method", Map.of("name", "hnsw"))));
        assertNull(HnswGraph.ofDefinition(Map.of("method", Map.of("name", "ivf"))));
        assertNull(HnswGraph.ofDefinition(Map.of("type", "knn_vector", "dimension", 128)));
    }

    @Test
    public void itCrossesTheWire() throws IOException {
        HnswGraph graph = new HnswGraph(48, 1000);
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            graph.writeTo(out);
            try (StreamInput in = out.bytes().streamInput()) {
                assertEquals(graph, new HnswGraph(in));
            }
        }
    }

    private static void assertMessage(org.junit.function.ThrowingRunnable parse, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, parse);
        assertTrue(e.getMessage(), e.getMessage().contains(expected));
    }
}
