package dev.jumbo.tensor;

import dev.jumbo.kernels.Binary;
import dev.jumbo.kernels.BinaryOp;

/**
 * Random tensors drawn from an {@link Rng}, and dropout. The same seed gives the same values;
 * elements are drawn in row-major order, so results never depend on the thread count.
 *
 * <pre>{@code
 * Rng rng = new Rng(7);
 * Tensor w = RandomOps.randn(rng, 128, 64);
 * Tensor h = RandomOps.dropout(x, 0.1f, true, rng);
 * }</pre>
 */
public final class RandomOps {
    private RandomOps() {}

    /** Standard normal samples. */
    public static Tensor randn(Rng rng, int... shape) {
        Shapes.checkDims("randn", shape);
        float[] d = new float[Shapes.numel(shape)];
        rng.fillGaussian(d);
        return Tensor.of(d, shape);
    }

    /** Uniform samples in [0, 1). */
    public static Tensor rand(Rng rng, int... shape) {
        return uniform(rng, 0f, 1f, shape);
    }

    /** Uniform samples in [lo, hi). */
    public static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        Shapes.checkDims("uniform", shape);
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("uniform: lo " + lo + " and hi " + hi + ", expected lo <= hi");
        }
        float[] d = new float[Shapes.numel(shape)];
        float w = hi - lo;
        for (int i = 0; i < d.length; i++) {
            float v = lo + w * rng.nextFloat();
            d[i] = v < hi || lo == hi ? v : Math.nextDown(hi); // rounding must not reach hi
        }
        return Tensor.of(d, shape);
    }

    /** 1f with probability p, else 0f. */
    public static Tensor bernoulli(Rng rng, float p, int... shape) {
        Shapes.checkDims("bernoulli", shape);
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli: p " + p + ", expected a probability in [0, 1]");
        }
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextFloat() < p ? 1f : 0f;
        }
        return Tensor.of(d, shape);
    }

    /** A random permutation of {@code 0..n-1} (INT32, Fisher-Yates). */
    public static Tensor randperm(Rng rng, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("randperm: n " + n + ", expected n >= 0");
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return Tensor.ofInts(p, n);
    }

    /** Uniform integers in [lo, hi) (INT32). */
    public static Tensor randint(Rng rng, int lo, int hi, int... shape) {
        Shapes.checkDims("randint", shape);
        if (lo >= hi) {
            throw new IllegalArgumentException("randint: lo " + lo + " and hi " + hi + ", expected lo < hi");
        }
        long range = (long) hi - lo;
        int[] d = new int[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = range <= Integer.MAX_VALUE ? lo + rng.nextInt((int) range)
                    : (int) (lo + Long.remainderUnsigned(rng.nextLong(), range));
        }
        return Tensor.ofInts(d, shape);
    }

    /**
     * Inverted dropout: in training, zeroes each element with probability p and scales the rest by
     * 1/(1-p), so evaluation needs no rescaling; backward multiplies by the same mask. Outside
     * training (or with p = 0) it returns x itself.
     */
    public static Tensor dropout(Tensor x, float p, boolean training, Rng rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout: p " + p + ", expected a probability in [0, 1)");
        }
        if (!training || p == 0) {
            return x;
        }
        Tensor xc = ElementwiseOps.asFloat(x).contiguous();
        int n = xc.numel();
        float keep = 1f / (1 - p);
        float[] mask = new float[n];
        for (int i = 0; i < n; i++) {
            mask[i] = rng.nextFloat() < p ? 0f : keep;
        }
        float[] out = new float[n];
        Binary.apply(BinaryOp.MUL, xc.data(), xc.offset, mask, 0, out, 0, n);
        Tensor y = Tensor.of(out, xc.shape);
        if (Profiler.enabled()) {
            Profiler.record("dropout", 0, n);
        }
        return Autograd.record("dropout", y, g -> {
            Tensor gc = g.contiguous();
            float[] gx = new float[n];
            Binary.apply(BinaryOp.MUL, gc.data(), gc.offset, mask, 0, gx, 0, n);
            if (Profiler.enabled()) {
                Profiler.record("dropout.backward", 0, n);
            }
            return new Tensor[] {Tensor.of(gx, xc.shape)};
        }, xc);
    }
}
