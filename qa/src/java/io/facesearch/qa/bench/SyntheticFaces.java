package io.facesearch.qa.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Synthetic face vectors whose cosine similarities follow measured same-identity and different-identity statistics
 * (mean and standard deviation), for k-NN benchmarks at sizes no photo set reaches.
 *
 * <p>Model. A unit vector is {@code f = [sqrt(rho), sqrt(1 - rho) h]}: a component shared by every face (axis 0), which
 * sets the mean different-identity similarity to {@code rho}, and a unit vector {@code h} in the other {@code d - 1}
 * axes. The {@code h} vectors are drawn from an anisotropic Gaussian (variance of axis i proportional to
 * {@code exp(-alpha i / (d - 1))}) whose effective dimension {@code (sum v)^2 / sum v^2} sets the spread of unrelated
 * similarities, about {@code 1 / sqrt(d_eff)}: real embeddings use fewer directions than they have. An identity is a
 * random unit centre {@code c} in that space; one of its faces is {@code h = a c + sqrt(1 - a^2) u}, {@code u} a random
 * unit vector orthogonal to {@code c} and {@code a} a per-face closeness to the centre drawn from a normal
 * distribution (clipped to [0.02, 0.999]), standing for pose, light and image quality. Two faces of one identity then
 * have {@code cos(h1, h2) = a1 a2 + b1 b2 (u1 . u2)}: mean {@code E[a]^2}, variance
 * {@code E[a^2]^2 - E[a]^4 + E[b^2]^2 / d_eff}; {@link #fit} solves these for the measured figures and
 * {@link #calibrate} corrects the effect of the clipping by simulation.
 */
final class SyntheticFaces {
    static final double A_MIN = 0.02;
    static final double A_MAX = 0.999;

    /** Mean, standard deviation and number of a set of similarities. */
    record Stats(double mean, double std, long count) {
        static Stats of(double sum, double sumSquares, long count) {
            if (count == 0) {
                return new Stats(Double.NaN, Double.NaN, 0);
            }
            double mean = sum / count;
            return new Stats(mean, Math.sqrt(Math.max(0, sumSquares / count - mean * mean)), count);
        }
    }

    /** The generator's parameters. */
    record Params(int dim, double rho, double effectiveDim, double aMean, double aStd) {}

    private final Params params;
    private final double[] axisScale; // standard deviation of axes 1..d-1

    SyntheticFaces(Params params) {
        this.params = params;
        this.axisScale = axisScales(params.dim(), params.effectiveDim());
    }

    Params params() {
        return params;
    }

    /** Parameters whose expected statistics are the measured ones (see the class comment). */
    static Params fit(int dim, Stats same, Stats different) {
        if (dim < 3) {
            throw new IllegalArgumentException("dimension must be at least 3, got " + dim);
        }
        double rho = Math.max(0, Math.min(0.95, different.mean()));
        double dEff = Math.pow((1 - rho) / different.std(), 2);
        dEff = Math.max(4, Math.min(dim - 1, dEff));
        double meanH = Math.max(0.01, Math.min(0.99, (same.mean() - rho) / (1 - rho)));
        double stdH = same.std() / (1 - rho);
        double aMean = Math.sqrt(meanH);
        // (m + s^2)^2 - m^2 + (1 - m - s^2)^2 / dEff = stdH^2, for s^2 in [0, 1 - m]
        double lo = 0;
        double hi = 1 - meanH;
        if (sameVariance(meanH, 0, dEff) < stdH * stdH) {
            for (int i = 0; i < 100; i++) {
                double mid = (lo + hi) / 2;
                if (sameVariance(meanH, mid, dEff) < stdH * stdH) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
        } else {
            hi = 0;
        }
        return new Params(dim, rho, dEff, aMean, Math.sqrt((lo + hi) / 2));
    }

    private static double sameVariance(double m, double s2, double dEff) {
        double ea2 = m + s2;
        return ea2 * ea2 - m * m + (1 - ea2) * (1 - ea2) / dEff;
    }

    /**
     * Corrects {@code aMean} and {@code aStd} of {@code start} by simulation (clipping moves the moments), a few
     * rounds of: sample identities, measure, scale.
     */
    static Params calibrate(Params start, Stats same, long seed) {
        Params p = start;
        double rho = p.rho();
        double targetMeanH = (same.mean() - rho) / (1 - rho);
        double targetStdH = same.std() / (1 - rho);
        for (int round = 0; round < 6; round++) {
            SyntheticFaces gen = new SyntheticFaces(p);
            Stats s = gen.sameIdentityStats(400, 10, new Random(seed + round));
            double meanH = (s.mean() - rho) / (1 - rho);
            double stdH = s.std() / (1 - rho);
            double aMean = Math.max(0.05, Math.min(0.99, p.aMean() * Math.sqrt(Math.max(1e-6, targetMeanH) / Math.max(1e-6, meanH))));
            double aStd = Math.max(0, Math.min(0.5, p.aStd() * (stdH > 1e-9 ? targetStdH / stdH : 1)));
            if (p.aStd() == 0 && stdH < targetStdH) {
                aStd = 0.01;
            }
            p = new Params(p.dim(), rho, p.effectiveDim(), aMean, aStd);
        }
        return p;
    }

    /** Standard deviations of axes 1..d-1: exponentially decaying variances with the wanted effective dimension. */
    static double[] axisScales(int dim, double effectiveDim) {
        int n = dim - 1;
        double lo = 0;
        double hi = 50;
        if (effectiveDim >= n) {
            hi = 0;
        } else {
            for (int i = 0; i < 100; i++) {
                double mid = (lo + hi) / 2;
                if (effectiveDim(n, mid) > effectiveDim) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
        }
        double alpha = (lo + hi) / 2;
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            scale[i] = Math.sqrt(Math.exp(-alpha * i / n));
        }
        return scale;
    }

    static double effectiveDim(int n, double alpha) {
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double v = Math.exp(-alpha * i / n);
            sum += v;
            sumSq += v * v;
        }
        return sum * sum / sumSq;
    }

    /** A random identity centre: a unit vector of the anisotropic space (length d - 1). */
    double[] centre(Random random) {
        double[] c = new double[axisScale.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = random.nextGaussian() * axisScale[i];
        }
        normalise(c);
        return c;
    }

    /** A face of the identity with centre {@code c}: a unit vector of length d. */
    float[] face(double[] c, Random random) {
        double a = Math.max(A_MIN, Math.min(A_MAX, params.aMean() + params.aStd() * random.nextGaussian()));
        double b = Math.sqrt(1 - a * a);
        double[] u = new double[c.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = random.nextGaussian() * axisScale[i];
        }
        double dot = dot(u, c);
        for (int i = 0; i < u.length; i++) {
            u[i] -= dot * c[i];
        }
        normalise(u);
        double shared = Math.sqrt(params.rho());
        double rest = Math.sqrt(1 - params.rho());
        double[] f = new double[params.dim()];
        f[0] = shared;
        for (int i = 0; i < u.length; i++) {
            f[i + 1] = rest * (a * c[i] + b * u[i]);
        }
        normalise(f);
        float[] out = new float[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (float) f[i];
        }
        return out;
    }

    /** Similarities of every pair of faces within each of {@code identities} identities of {@code faces} faces. */
    Stats sameIdentityStats(int identities, int faces, Random random) {
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        for (int id = 0; id < identities; id++) {
            double[] c = centre(random);
            List<float[]> list = new ArrayList<>();
            for (int f = 0; f < faces; f++) {
                list.add(face(c, random));
            }
            for (int i = 0; i < faces; i++) {
                for (int j = i + 1; j < faces; j++) {
                    double s = dot(list.get(i), list.get(j));
                    sum += s;
                    sumSq += s * s;
                    n++;
                }
            }
        }
        return Stats.of(sum, sumSq, n);
    }

    /** The same and different-identity statistics of a generated gallery, over a sample of its pairs. */
    static Stats[] measure(float[][] vectors, int[] identity, int maxSamePairs, int differentPairs, Random random) {
        // same identity: every pair inside each identity, until maxSamePairs
        int identities = 0;
        for (int id : identity) {
            identities = Math.max(identities, id + 1);
        }
        List<List<Integer>> members = new ArrayList<>();
        for (int i = 0; i < identities; i++) {
            members.add(new ArrayList<>());
        }
        for (int i = 0; i < identity.length; i++) {
            members.get(identity[i]).add(i);
        }
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        outer:
        for (List<Integer> m : members) {
            for (int i = 0; i < m.size(); i++) {
                for (int j = i + 1; j < m.size(); j++) {
                    double s = dot(vectors[m.get(i)], vectors[m.get(j)]);
                    sum += s;
                    sumSq += s * s;
                    if (++n >= maxSamePairs) {
                        break outer;
                    }
                }
            }
        }
        Stats same = Stats.of(sum, sumSq, n);
        sum = 0;
        sumSq = 0;
        n = 0;
        while (n < differentPairs && vectors.length > 1) {
            int i = random.nextInt(vectors.length);
            int j = random.nextInt(vectors.length);
            if (identity[i] == identity[j]) {
                continue;
            }
            double s = dot(vectors[i], vectors[j]);
            sum += s;
            sumSq += s * s;
            n++;
        }
        return new Stats[] { same, Stats.of(sum, sumSq, n) };
    }

    /** Same and different-identity statistics of labelled vectors: every pair. */
    static Stats[] pairStats(List<float[]> vectors, List<String> labels) {
        double ss = 0;
        double ssq = 0;
        long sn = 0;
        double ds = 0;
        double dsq = 0;
        long dn = 0;
        for (int i = 0; i < vectors.size(); i++) {
            for (int j = i + 1; j < vectors.size(); j++) {
                double s = dot(vectors.get(i), vectors.get(j));
                if (labels.get(i).equals(labels.get(j))) {
                    ss += s;
                    ssq += s * s;
                    sn++;
                } else {
                    ds += s;
                    dsq += s * s;
                    dn++;
                }
            }
        }
        return new Stats[] { Stats.of(ss, ssq, sn), Stats.of(ds, dsq, dn) };
    }

    /** Indices of the {@code k} vectors most similar to {@code query} (dot product), best first; ties by index. */
    static int[] exactTopK(float[][] vectors, float[] query, int k) {
        int kk = Math.min(k, vectors.length);
        int[] best = new int[kk];
        double[] scores = new double[kk];
        Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        Arrays.fill(best, -1);
        for (int i = 0; i < vectors.length; i++) {
            double s = dot(vectors[i], query);
            if (s > scores[kk - 1]) {
                int pos = kk - 1;
                while (pos > 0 && s > scores[pos - 1]) {
                    scores[pos] = scores[pos - 1];
                    best[pos] = best[pos - 1];
                    pos--;
                }
                scores[pos] = s;
                best[pos] = i;
            }
        }
        return best;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void normalise(double[] v) {
        double norm = Math.sqrt(dot(v, v));
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
    }
}
