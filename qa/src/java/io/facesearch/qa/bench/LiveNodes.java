package io.facesearch.qa.bench;

import java.util.Arrays;

/**
 * Which nodes of a cluster a client sends to: round robin over those it has not seen fail. A node that refuses a
 * connection is marked down and left out until it is marked up again (after its restart), as a client with
 * sniffing or a load balancer with health checks does.
 */
final class LiveNodes {
    private final boolean[] up;
    private int next;

    LiveNodes(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one node, got " + count);
        }
        up = new boolean[count];
        Arrays.fill(up, true);
    }

    int size() {
        return up.length;
    }

    /** The next node that is up, in turn; -1 when every node is down. */
    synchronized int next() {
        for (int tried = 0; tried < up.length; tried++) {
            int node = next;
            next = (next + 1) % up.length;
            if (up[node]) {
                return node;
            }
        }
        return -1;
    }

    synchronized void down(int node) {
        up[node] = false;
    }

    synchronized void up(int node) {
        up[node] = true;
    }

    synchronized boolean isUp(int node) {
        return up[node];
    }

    synchronized int upCount() {
        int count = 0;
        for (boolean u : up) {
            count += u ? 1 : 0;
        }
        return count;
    }
}
