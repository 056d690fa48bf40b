package dev.jumbo.data.augment;

import dev.jumbo.data.Batch;
import dev.jumbo.tensor.RandomOps;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.Arrays;

/** What mixup and cutmix share: Beta draws, the partner permutation and the mixed soft targets. */
final class Mixing {
    private Mixing() {}

    static float alpha(String op, double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException(op + ": alpha " + alpha + ": expected a finite value > 0");
        }
        return (float) alpha;
    }

    static int classes(String op, int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException(op + ": numClasses " + numClasses + ": expected at least 2");
        }
        return numClasses;
    }

    /** A draw of Beta(a, a): X / (X + Y) with X, Y ~ Gamma(a, 1). */
    static double beta(Rng rng, double a) {
        double x = gamma(rng, a);
        double y = gamma(rng, a);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /** Gamma(a, 1) by Marsaglia and Tsang (2000); for a < 1 through Gamma(a + 1) * U^(1/a). */
    static double gamma(Rng rng, double a) {
        if (a < 1) {
            return gamma(rng, a + 1) * Math.pow(1.0 - rng.nextDouble(), 1 / a);
        }
        double d = a - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = rng.nextGaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = 1.0 - rng.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** A uniform permutation of {@code [0, n)}: row i is mixed with row perm[i]. */
    static int[] permutation(Rng rng, int n) {
        return RandomOps.randperm(rng, n).toIntArray();
    }

    /** The batch's targets [B, classes] as floats: its soft targets, or one-hot labels. */
    static float[] targets(String op, Batch b, int classes) {
        int n = b.size();
        if (b.targets() != null) {
            if (!Arrays.equals(b.targets().shape(), new int[] {n, classes})) {
                throw new IllegalArgumentException(op + ": targets " + Arrays.toString(b.targets().shape())
                        + ": expected [" + n + ", " + classes + "]");
            }
            return b.targets().toFloatArray();
        }
        int[] y = b.labels().toIntArray();
        float[] t = new float[n * classes];
        for (int i = 0; i < n; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException(op + ": label " + y[i] + " at row " + i + ": expected a class in [0, "
                        + classes + ")");
            }
            t[i * classes + y[i]] = 1f;
        }
        return t;
    }

    /**
     * The batch with {@code inputs}, targets {@code lambda t + (1 - lambda) t[perm]} per row and labels
     * their argmax.
     */
    static Batch mixed(Tensor inputs, float[] t, int[] perm, double lambda, int classes) {
        int n = perm.length;
        float[] out = new float[n * classes];
        int[] labels = new int[n];
        float l = (float) lambda;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 0; k < classes; k++) {
                float v = l * t[i * classes + k] + (1 - l) * t[perm[i] * classes + k];
                out[i * classes + k] = v;
                if (v > out[i * classes + best]) {
                    best = k;
                }
            }
            labels[i] = best;
        }
        return new Batch(inputs, Tensor.ofInts(labels, n), Tensor.of(out, n, classes));
    }
}
