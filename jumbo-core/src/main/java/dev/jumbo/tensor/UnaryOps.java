package dev.jumbo.tensor;

import dev.jumbo.kernels.Unary;
import dev.jumbo.kernels.UnaryOp;

/**
 * Elementwise maps and activations: one vector kernel pass forward, one backward (which reads the
 * forward output where that is cheaper, e.g. tanh' = 1 - y²). INT32 inputs are converted to
 * FLOAT32. Backward passes are not themselves differentiable (no double backward).
 *
 * <pre>{@code
 * Tensor h = UnaryOps.gelu(x);            // exact erf form
 * Tensor c = UnaryOps.clamp(x, -1f, 1f);  // gradient 1 inside [min, max], 0 outside
 * }</pre>
 */
public final class UnaryOps {
    private UnaryOps() {}

    public static Tensor exp(Tensor x) {
        return map(UnaryOp.EXP, 0, 0, x);
    }

    public static Tensor log(Tensor x) {
        return map(UnaryOp.LOG, 0, 0, x);
    }

    public static Tensor sqrt(Tensor x) {
        return map(UnaryOp.SQRT, 0, 0, x);
    }

    /** {@code 1 / sqrt(x)}. */
    public static Tensor rsqrt(Tensor x) {
        return map(UnaryOp.RSQRT, 0, 0, x);
    }

    public static Tensor tanh(Tensor x) {
        return map(UnaryOp.TANH, 0, 0, x);
    }

    public static Tensor sigmoid(Tensor x) {
        return map(UnaryOp.SIGMOID, 0, 0, x);
    }

    /** {@code max(x, 0)}; gradient 0 at x = 0 (as in PyTorch), NaN stays NaN. */
    public static Tensor relu(Tensor x) {
        return map(UnaryOp.RELU, 0, 0, x);
    }

    /** {@code x > 0 ? x : slope * x}. */
    public static Tensor leakyRelu(Tensor x, float slope) {
        return map(UnaryOp.LEAKY_RELU, slope, 0, x);
    }

    /** GELU, exact form {@code x * Φ(x) = 0.5 x (1 + erf(x / √2))}. */
    public static Tensor gelu(Tensor x) {
        return map(UnaryOp.GELU, 0, 0, x);
    }

    /** GELU, tanh approximation {@code 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))}. */
    public static Tensor geluTanh(Tensor x) {
        return map(UnaryOp.GELU_TANH, 0, 0, x);
    }

    /** SiLU / swish: {@code x * sigmoid(x)}. */
    public static Tensor silu(Tensor x) {
        return map(UnaryOp.SILU, 0, 0, x);
    }

    /** {@code |x|}; gradient sign(x), 0 at 0. */
    public static Tensor abs(Tensor x) {
        return map(UnaryOp.ABS, 0, 0, x);
    }

    public static Tensor square(Tensor x) {
        return map(UnaryOp.SQUARE, 0, 0, x);
    }

    /** {@code x ** exponent}; exponent 2 runs as {@link #square}, 0.5 as {@link #sqrt}. */
    public static Tensor pow(Tensor x, float exponent) {
        if (exponent == 2f) {
            return square(x);
        }
        if (exponent == 0.5f) {
            return sqrt(x);
        }
        if (exponent == 1f) {
            return map(UnaryOp.CLAMP, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, x);
        }
        return map(UnaryOp.POW, exponent, 0, x);
    }

    /** {@code min(max(x, min), max)}; gradient 1 where {@code min <= x <= max}. */
    public static Tensor clamp(Tensor x, float min, float max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " and max " + max + ": expected min <= max");
        }
        return map(UnaryOp.CLAMP, min, max, x);
    }

    /** The forward kernel on a contiguous float tensor alone: no tape, no profiler count. */
    static Tensor compute(UnaryOp op, float p, float q, Tensor xc) {
        float[] out = new float[xc.numel()];
        Unary.apply(op, p, q, xc.data(), xc.offset, out, 0, out.length);
        return Tensor.of(out, xc.shape);
    }

    /** Applies {@code op} (parameters p, q; see {@link UnaryOp}) with its backward. */
    public static Tensor map(UnaryOp op, float p, float q, Tensor x) {
        Tensor xc = ElementwiseOps.asFloat(x).contiguous();
        int n = xc.numel();
        int[] shape = xc.shape;
        float[] xd = xc.data();
        int xo = xc.offset;
        float[] out = new float[n];
        Unary.apply(op, p, q, xd, xo, out, 0, n);
        Tensor y = Tensor.of(out, shape);
        String name = op.opName();
        if (Profiler.enabled()) {
            Profiler.record(name, 0, n);
        }
        return Autograd.record(name, y, g -> {
            Tensor gc = g.contiguous();
            float[] gx = new float[n];
            Unary.backward(op, p, q, xd, xo, out, 0, gc.data(), gc.offset, gx, 0, n);
            if (Profiler.enabled()) {
                Profiler.record(name + ".backward", 0, n);
            }
            return new Tensor[] {Tensor.of(gx, shape)};
        }, xc);
    }
}
