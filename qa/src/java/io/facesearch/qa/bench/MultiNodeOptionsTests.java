package io.facesearch.qa.bench;

import org.junit.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** The multinode benchmark's options: defaults, bounds, and a clear message for each mistake. */
public class MultiNodeOptionsTests {
    private static final List<String> REQUIRED = List.of(
        "--images", "/photos", "--urls", "http://127.0.0.1:9480,http://127.0.0.1:9481/,http://127.0.0.1:9482", "--url",
        "http://127.0.0.1:9483", "--cluster-dir", "/tmp/cluster", "--models", "/models"
    );

    private static MultiNodeOptions read(String... more) {
        List<String> args = new ArrayList<>(REQUIRED);
        args.addAll(List.of(more));
        return MultiNodeOptions.read(BenchOptions.parse(args));
    }

    private static String failure(String... more) {
        return assertThrows(BenchException.class, () -> read(more)).getMessage();
    }

    @Test
    public void defaults() {
        MultiNodeOptions o = read();
        assertEquals(Path.of("/photos"), o.images());
        assertEquals(List.of("http://127.0.0.1:9480", "http://127.0.0.1:9481", "http://127.0.0.1:9482"), o.clusterUrls());
        assertEquals("http://127.0.0.1:9483", o.singleUrl());
        assertEquals(Path.of("/tmp/cluster"), o.clusterDir());
        assertEquals("qa/cluster", o.clusterScript());
        assertEquals(25, o.bulkSize());
        assertEquals(3, o.concurrency());
        assertEquals(3, o.shards());
        assertEquals(1, o.replicas());
        assertEquals(1, o.killNode());
        assertEquals(0.5, o.killAfter(), 0);
        assertEquals(5, o.downSeconds());
        assertEquals(40, o.probes());
        assertEquals("bench_multinode", o.index());
    }

    @Test
    public void optionsAreRead() {
        MultiNodeOptions o = read("--kill-node", "2", "--kill-after=0.25", "--probes", "7", "--replicas", "2", "--limit", "90", "--index", "x");
        assertEquals(2, o.killNode());
        assertEquals(0.25, o.killAfter(), 0);
        assertEquals(7, o.probes());
        assertEquals(2, o.replicas());
        assertEquals(90, o.limit());
        assertEquals("x", o.index());
        assertEquals(MultiNodeOptions.KILL_MANAGER, read("--kill-node", "manager").killNode());
    }

    @Test
    public void mistakesNameTheOption() {
        assertTrue(failure("--kill-node", "3").startsWith("--kill-node must name one of the 3 nodes"));
        assertTrue(failure("--kill-node", "leader").startsWith("--kill-node must be a whole number"));
        assertTrue(failure("--kill-after", "0").startsWith("--kill-after must be above 0 and at most 1"));
        assertTrue(failure("--kill-after", "1.5").startsWith("--kill-after must be above 0 and at most 1"));
        assertTrue(failure("--kill-after", "half").startsWith("--kill-after must be a number"));
        assertTrue(failure("--index", "Bad").startsWith("--index must be a lower-case index name"));
        assertTrue(failure("--shard", "2").startsWith("unknown option(s) for this mode: --shard"));
        assertTrue(failure("--bulk-size", "0").startsWith("--bulk-size must be at least 1"));
    }

    @Test
    public void urlsAreAListOfDistinctNodes() {
        assertEquals(List.of("http://a:1", "http://b:2"), MultiNodeOptions.urls(" http://a:1/ ,http://b:2"));
        assertTrue(assertThrows(BenchException.class, () -> MultiNodeOptions.urls("http://a:1")).getMessage().contains("at least two nodes"));
        assertTrue(assertThrows(BenchException.class, () -> MultiNodeOptions.urls("http://a:1,http://a:1/")).getMessage().contains("twice"));
        assertTrue(assertThrows(BenchException.class, () -> MultiNodeOptions.urls("http://a:1,,http://b:2")).getMessage().contains("http URLs"));
        assertTrue(assertThrows(BenchException.class, () -> MultiNodeOptions.urls("a:1,b:2")).getMessage().contains("http URLs"));
    }

    @Test
    public void theClusterFolderIsNeededToKillANode() {
        List<String> args = new ArrayList<>(REQUIRED.subList(0, 6));
        assertTrue(assertThrows(BenchException.class, () -> MultiNodeOptions.read(BenchOptions.parse(args))).getMessage()
            .startsWith("missing --cluster-dir"));
    }

    @Test
    public void probesAreSpreadOverThePhotos() {
        List<String> ids = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        assertEquals(List.of("a", "c", "e", "g", "i"), MultiNodeBenchmark.probes(ids, 5));
        assertEquals(ids, MultiNodeBenchmark.probes(ids, 50));
        assertEquals(List.of("a"), MultiNodeBenchmark.probes(ids, 1));
    }
}
