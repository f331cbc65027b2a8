package io.facesearch.people.cluster;

import java.util.List;

/** A person's centroid: the direction of the mean of its faces' unit vectors. */
public final class Centroids {
    private Centroids() {}

    static float[] of(List<ClusterFace> faces, int[] members) {
        float[] sum = new float[faces.get(members[0]).vector().length];
        for (int face : members) {
            float[] vector = faces.get(face).vector();
            for (int d = 0; d < sum.length; d++) {
                sum[d] += vector[d];
            }
        }
        return normalised(sum);
    }

    /** {@code vector} scaled to unit length (left as it is when it is zero). */
    public static float[] normalised(float[] vector) {
        double norm = Math.sqrt(dot(vector, vector));
        float[] unit = new float[vector.length];
        for (int d = 0; d < vector.length; d++) {
            unit[d] = norm == 0 ? vector[d] : (float) (vector[d] / norm);
        }
        return unit;
    }

    public static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            sum += a[d] * b[d];
        }
        return sum;
    }
}
