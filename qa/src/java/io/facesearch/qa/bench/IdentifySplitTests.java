package io.facesearch.qa.bench;

import org.junit.Test;

import java.util.List;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** Reading, open-set choice and re-drawing of identification splits. */
public class IdentifySplitTests {
    private static final List<String> LINES = List.of(
        "path\tidentity\trole",
        "people/A/a1.jpg\tA\tgallery",
        "people/A/a2.jpg\tA\tprobe",
        "people/A/a3.jpg\tA\tprobe",
        "people/B/b1.jpg\tB\tgallery",
        "people/B/b2.jpg\tB\tprobe",
        "",
        "people/C/c1.jpg\tC\tgallery_distractor",
        "people/D/d1.jpg\tD\tgallery",
        "people/D/d2.jpg\tD\tprobe"
    );

    @Test
    public void readsRolesAndSkipsTheHeader() {
        IdentifySplit split = IdentifySplit.parse(LINES, "test");
        assertEquals(8, split.entries().size());
        assertEquals(4, split.enrolled().size());
        assertEquals(4, split.probes().size());
        assertEquals(List.of("A", "B", "D"), split.galleryIdentities());
        assertEquals(2, split.entries().get(0).line());
    }

    @Test
    public void rejectsBadRolesAndDuplicates() {
        for (List<String> bad : List.of(
            List.of("x.jpg\tA\tcandidate"),
            List.of("x.jpg\tA"),
            List.of("x.jpg\tA\tgallery", "x.jpg\tA\tprobe")
        )) {
            try {
                IdentifySplit.parse(bad, "bad");
                fail("accepted " + bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("bad:"));
            }
        }
    }

    @Test
    public void leavesOutASeededShareOfTheGalleryIdentities() {
        IdentifySplit split = IdentifySplit.parse(LINES, "test");
        Set<String> out = split.leaveOut(0.34, 7);
        assertEquals(1, out.size());
        assertTrue(List.of("A", "B", "D").containsAll(out));
        assertEquals(out, split.leaveOut(0.34, 7));
        assertEquals(0, split.leaveOut(0, 7).size());
        assertEquals(1, split.leaveOut(0.01, 7).size()); // at least one when asked for some
    }

    @Test
    public void regalleryKeepsOneGalleryPhotoPerIdentity() {
        IdentifySplit split = IdentifySplit.parse(LINES, "test");
        boolean changed = false;
        for (long seed = 0; seed < 20; seed++) {
            IdentifySplit again = split.regallery(seed);
            assertEquals(split.entries().size(), again.entries().size());
            assertEquals(split.galleryIdentities(), again.galleryIdentities());
            for (String id : List.of("A", "B", "D")) {
                assertEquals(1, again.entries().stream().filter(e -> e.identity().equals(id) && e.role().equals("gallery")).count());
            }
            assertEquals("gallery_distractor", again.entries().stream().filter(e -> e.identity().equals("C")).findFirst().get().role());
            changed |= again.format().equals(split.format()) == false;
        }
        assertTrue(changed);
        assertEquals(split.regallery(3).format(), split.regallery(3).format());
        assertNotEquals(-1, split.format().indexOf("path\tidentity\trole\n"));
        assertEquals(split.format(), IdentifySplit.parse(List.of(split.format().split("\n")), "again").format());
    }
}
