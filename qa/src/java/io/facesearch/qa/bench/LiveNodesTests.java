package io.facesearch.qa.bench;

import org.junit.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

/** Round robin over the nodes a client has not seen fail. */
public class LiveNodesTests {
    private static List<Integer> take(LiveNodes live, int count) {
        List<Integer> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            taken.add(live.next());
        }
        return taken;
    }

    @Test
    public void turnsGoRoundTheNodesThatAreUp() {
        LiveNodes live = new LiveNodes(3);
        assertEquals(List.of(0, 1, 2, 0, 1, 2), take(live, 6));
        live.down(1);
        assertEquals(2, live.upCount());
        assertEquals(List.of(0, 2, 0, 2), take(live, 4));
        live.up(1);
        assertEquals(List.of(0, 1, 2), take(live, 3));
    }

    @Test
    public void noNodeUpIsMinusOne() {
        LiveNodes live = new LiveNodes(2);
        live.down(0);
        live.down(1);
        assertEquals(-1, live.next());
        assertEquals(0, live.upCount());
        live.up(1);
        assertEquals(List.of(1, 1), take(live, 2));
    }

    @Test
    public void aClusterHasANode() {
        assertThrows(IllegalArgumentException.class, () -> new LiveNodes(0));
    }
}
