package io.facesearch.qa.bench;

import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** Labels from identity folders and the seeded hold-out of the incremental check. */
public class ClusterCorpusTests {
    @Test
    public void holdsBackASeededShare() {
        ClusterCorpus.HoldOut split = ClusterCorpus.holdOut(100, 0.2, 7);
        assertEquals(20, split.added().size());
        assertEquals(80, split.initial().size());
        Set<Integer> all = new HashSet<>(split.added());
        all.addAll(split.initial());
        assertEquals(100, all.size()); // disjoint, and every photo in one of them
        for (int i = 0; i < 100; i++) {
            assertTrue(all.contains(i));
        }
        assertEquals(sorted(split.added()), split.added());
        assertEquals(sorted(split.initial()), split.initial());
        // the same seed holds back the same photos; another seed others
        assertEquals(split, ClusterCorpus.holdOut(100, 0.2, 7));
        assertNotEquals(split.added(), ClusterCorpus.holdOut(100, 0.2, 8).added());
    }

    @Test
    public void holdOutRounding() {
        assertEquals(0, ClusterCorpus.holdOut(10, 0, 1).added().size());
        assertEquals(3, ClusterCorpus.holdOut(10, 0.25, 1).added().size()); // 2.5 rounds up
        assertEquals(1, ClusterCorpus.holdOut(10, 0.01, 1).added().size()); // at least one when some is asked for
        assertEquals(0, ClusterCorpus.holdOut(1, 0.5, 1).added().size()); // never every photo
        assertEquals(9, ClusterCorpus.holdOut(10, 0.99, 1).added().size());
        assertEquals(0, ClusterCorpus.holdOut(0, 0.2, 1).initial().size());
        assertThrows(IllegalArgumentException.class, () -> ClusterCorpus.holdOut(10, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ClusterCorpus.holdOut(10, -0.1, 1));
    }

    @Test
    public void identityIsTheFolderAPhotoLiesIn() {
        assertEquals("Ada_Lovelace", ClusterCorpus.identityOf("Ada_Lovelace/Ada_Lovelace_0001.jpg"));
        assertEquals("Ada_Lovelace", ClusterCorpus.identityOf("people/Ada_Lovelace/a.jpg"));
        assertNull(ClusterCorpus.identityOf("loose.jpg"));
    }

    @Test
    public void listsLabelledPhotosAndRefusesLooseOnes() throws IOException {
        Path dir = Files.createTempDirectory("cluster-corpus");
        try {
            Files.createDirectories(dir.resolve("B"));
            Files.createDirectories(dir.resolve("A"));
            Files.write(dir.resolve("B/b1.jpg"), new byte[] { 1 });
            Files.write(dir.resolve("A/a2.jpg"), new byte[] { 2 });
            Files.write(dir.resolve("A/a1.jpg"), new byte[] { 3 });
            Files.write(dir.resolve("A/notes.txt"), new byte[] { 4 });
            List<ClusterCorpus.LabelledPhoto> photos = ClusterCorpus.list(dir, 0);
            assertEquals(List.of("A/a1.jpg", "A/a2.jpg", "B/b1.jpg"), photos.stream().map(ClusterCorpus.LabelledPhoto::path).toList());
            assertEquals(List.of("A", "A", "B"), photos.stream().map(ClusterCorpus.LabelledPhoto::identity).toList());
            Files.write(dir.resolve("loose.jpg"), new byte[] { 5 });
            BenchException e = assertThrows(BenchException.class, () -> ClusterCorpus.list(dir, 0));
            assertTrue(e.getMessage(), e.getMessage().contains("[loose.jpg]"));
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<Integer> sorted(List<Integer> list) {
        List<Integer> copy = new ArrayList<>(list);
        copy.sort(null);
        return copy;
    }
}
