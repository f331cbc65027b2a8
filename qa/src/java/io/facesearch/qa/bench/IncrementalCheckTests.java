package io.facesearch.qa.bench;

import org.junit.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;

/** Naming persons by their main faces, and what a second clustering did to the named ones. */
public class IncrementalCheckTests {
    private static IncrementalCheck.MainFace f(String key, String identity, String person) {
        return new IncrementalCheck.MainFace(key, identity, person);
    }

    @Test
    public void personsAreNamedByTheirMajorityIdentity() {
        Map<String, String> names = IncrementalCheck.majorityNames(
            List.of(
                f("1#0", "Ada", "p1"),
                f("2#0", "Ada", "p1"),
                f("3#0", "Bob", "p1"),
                f("4#0", "Bob", "p2"),
                f("5#0", "Cy", "p2"), // tie 1-1: the first alphabetically
                f("6#0", "Cy", null)  // unassigned: names no one
            )
        );
        assertEquals(Map.of("p1", "Ada", "p2", "Bob"), names);
    }

    @Test
    public void comparesTheTwoRuns() {
        Map<String, String> given = Map.of("p1", "Ada", "p2", "Bob", "p3", "Cy", "p4", "Dee");
        Map<String, String> first = Map.of(
            "1#0", "p1", "2#0", "p1", "2#1", "p1",  // p1 keeps all three
            "3#0", "p2", "4#0", "p2",               // p2 loses 4#0 to p5: split
            "5#0", "p3", "6#0", "p3",               // p3 loses 6#0 to nobody
            "7#0", "p4",                            // p4 is gone from the people index
            "8#0", "p9"                             // an unnamed person: not checked
        );
        Map<String, String> second = new HashMap<>(first);
        second.put("4#0", "p5");
        second.remove("6#0");
        second.put("7#0", "p1");
        second.put("8#0", "p1");
        // added photos
        second.put("10#0", "p1");
        second.put("11#0", "p2");
        second.put("12#0", "p6");
        Map<String, String> after = new HashMap<>();
        after.put("p1", "Ada");
        after.put("p2", "Robert"); // renamed
        after.put("p3", "Cy");
        after.put("p5", null);
        after.put("p6", null);
        List<IncrementalCheck.MainFace> added = List.of(
            f("10#0", "Ada", "p1"),   // right
            f("11#0", "Ada", "p2"),   // wrong named person
            f("12#0", "Eve", "p6"),   // unnamed person; Eve was never a name
            f("13#0", "Bob", null)    // unassigned
        );
        IncrementalCheck.Outcome o = IncrementalCheck.compare(first, given, second, after, added);
        assertEquals(4, o.named());
        assertEquals(1, o.renamed());
        assertEquals(1, o.lost());
        // p2 (4#0 to p5) and p4 (7#0 to p1) split; p3's 6#0 left unassigned
        assertEquals(2, o.split());
        assertEquals(2, o.facesMoved());
        assertEquals(1, o.facesLeft());
        assertEquals(4, o.added());
        assertEquals(3, o.addedNamed()); // Ada, Ada, Bob
        assertEquals(1, o.addedRight());
        assertEquals(1, o.addedWrongNamed());
        assertEquals(1, o.addedOther());
        assertEquals(1, o.addedUnassigned());
    }

    @Test
    public void anUntouchedRunPassesEveryCheck() {
        Map<String, String> run = Map.of("1#0", "p1", "2#0", "p1", "3#0", "p2");
        Map<String, String> given = Map.of("p1", "Ada", "p2", "Bob");
        Map<String, String> after = new HashMap<>(given);
        IncrementalCheck.Outcome o = IncrementalCheck.compare(run, given, run, after, List.of());
        assertEquals(new IncrementalCheck.Outcome(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), o);
    }
}
