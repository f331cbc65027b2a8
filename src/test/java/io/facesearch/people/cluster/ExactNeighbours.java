package io.facesearch.people.cluster;

import java.util.List;
import java.util.PriorityQueue;

/** The k nearest faces of every face, found exactly: the reference the HNSW searches of a real run approximate. */
final class ExactNeighbours {
    private ExactNeighbours() {}

    static NeighbourGraph graph(List<ClusterFace> faces, int k, float threshold) {
        NeighbourGraph.Builder builder = new NeighbourGraph.Builder(faces.size(), threshold);
        for (int i = 0; i < faces.size(); i++) {
            PriorityQueue<double[]> nearest = new PriorityQueue<>((a, b) -> Double.compare(a[1], b[1]));
            for (int j = 0; j < faces.size(); j++) {
                if (j != i) {
                    nearest.add(new double[] { j, Centroids.dot(faces.get(i).vector(), faces.get(j).vector()) });
                    if (nearest.size() > k) {
                        nearest.poll();
                    }
                }
            }
            for (double[] neighbour : nearest) {
                builder.add(i, (int) neighbour[0], (float) neighbour[1]);
            }
        }
        return builder.build();
    }
}
