package dev.jumbo.optim;

import dev.jumbo.kernels.OptimizerKernels;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Gradient clipping, in place on the parameters' gradients, with PyTorch's semantics
 * ({@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}).
 *
 * <pre>{@code
 * loss.backward();
 * float norm = GradClip.clipGradNorm(params, 1.0, 2.0);   // the norm before clipping
 * optimizer.step();
 * }</pre>
 */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales all gradients by {@code min(1, maxNorm / (total + 1e-6))}, where {@code total} is the
     * {@code normType}-norm of the per-tensor norms (2 for Euclidean, {@code Double.POSITIVE_INFINITY}
     * for max-abs, any p > 0). Returns {@code total} before clipping (0 when no parameter has a
     * gradient). A NaN or infinite total makes the gradients NaN, as in PyTorch.
     */
    public static float clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType) {
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clipGradNorm: normType = " + normType
                    + ": expected a positive p or Double.POSITIVE_INFINITY");
        }
        if (Double.isNaN(maxNorm)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm = NaN: expected a number");
        }
        List<Tensor> grads = ownedGrads(params);
        if (grads.isEmpty()) {
            return 0f;
        }
        boolean inf = Double.isInfinite(normType);
        double acc = 0;
        for (Tensor g : grads) {
            float n = norm(g, normType);
            acc = inf ? (Float.isNaN(n) || n > acc ? n : acc) : acc + Math.pow(n, normType);
        }
        float total = (float) (inf ? acc : normType == 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / normType));
        float coef = (float) maxNorm / (total + 1e-6f);
        float clamped = coef > 1f ? 1f : coef; // NaN stays NaN
        for (Tensor g : grads) {
            OptimizerKernels.scale(g.data(), g.offset(), g.numel(), clamped);
        }
        return total;
    }

    /** Clamps every gradient element into {@code [-clipValue, clipValue]}. */
    public static void clipGradValue(Iterable<Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue: clipValue = " + clipValue + ": expected >= 0");
        }
        float v = (float) clipValue;
        for (Tensor g : ownedGrads(params)) {
            OptimizerKernels.clamp(g.data(), g.offset(), g.numel(), -v, v);
        }
    }

    private static float norm(Tensor g, double p) {
        float[] d = g.data();
        int off = g.offset();
        int n = g.numel();
        if (Double.isInfinite(p)) {
            return OptimizerKernels.maxAbs(d, off, n);
        }
        if (p == 2) {
            return (float) Math.sqrt(OptimizerKernels.sumSquares(d, off, n));
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.pow(Math.abs(d[off + i]), p);
        }
        return (float) Math.pow(s, 1 / p);
    }

    /**
     * The gradients, each made contiguous and the sole owner of its array: autograd may hand the same
     * gradient tensor to two parameters (e.g. both inputs of an add), and scaling it twice in place
     * would clip twice.
     */
    private static List<Tensor> ownedGrads(Iterable<Tensor> params) {
        List<Tensor> out = new ArrayList<>();
        IdentityHashMap<float[], Boolean> seen = new IdentityHashMap<>();
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            if (!g.isContiguous() || !(g.storage() instanceof dev.jumbo.tensor.FloatStorage)
                    || seen.containsKey(g.data())) {
                g = g.copy().detach();
                p.setGrad(g);
            }
            seen.put(g.data(), Boolean.TRUE);
            out.add(g);
        }
        return out;
    }
}
