package dev.jumbo.tensor;

import dev.jumbo.kernels.Binary;
import dev.jumbo.kernels.BinaryOp;
import dev.jumbo.kernels.Reduce;
import dev.jumbo.kernels.ReduceOp;
import dev.jumbo.kernels.Softmax;
import dev.jumbo.kernels.UnaryOp;
import java.util.Arrays;

/**
 * Reductions (sum, mean, max, min, argmax, argmin, var, logsumexp) over one or more axes, and
 * softmax / log-softmax along one axis.
 *
 * <p>A run of adjacent axes of a contiguous tensor is reduced in place as the middle axis of an
 * {@code [outer, r, inner]} block, with no transposed copy. Sum and mean over non-adjacent axes
 * reduce run by run; the other reductions over non-adjacent axes first move the reduced axes to
 * the end (one copy). max/min send the gradient to the first maximal element; NaN wins, as in
 * PyTorch.
 *
 * <pre>{@code
 * Tensor rowSums = ReduceOps.sum(x, new int[] {1}, false);  // [B,C] -> [B]
 * Tensor probs = ReduceOps.softmax(logits, -1);
 * }</pre>
 */
public final class ReduceOps {
    private ReduceOps() {}

    // ------------------------------------------------------------------ sum and mean

    /** Sum over all elements (a rank-0 tensor). */
    public static Tensor sum(Tensor x) {
        return sum(x, allAxes(x), false);
    }

    public static Tensor sum(Tensor x, int[] axes, boolean keepdim) {
        Tensor xs = ElementwiseOps.asFloat(x);
        if (xs.dim() == 0) {
            xs = xs.reshape(1);
            axes = new int[] {0};
            keepdim = false;
        }
        int[] ax = axes("sum", axes, xs.dim());
        int[][] runs = runs(ax);
        if (runs.length == 1) {
            return sumRun(xs, runs[0][0], runs[0][1], keepdim);
        }
        Tensor t = xs;
        for (int i = runs.length - 1; i >= 0; i--) {
            t = sumRun(t, runs[i][0], runs[i][1], true);
        }
        return keepdim ? t : t.reshape(reducedShape(xs.shape, ax, false));
    }

    /** Mean over all elements (a rank-0 tensor). */
    public static Tensor mean(Tensor x) {
        return mean(x, allAxes(x), false);
    }

    public static Tensor mean(Tensor x, int[] axes, boolean keepdim) {
        int count = x.dim() == 0 ? 1 : count(x.shape, axes("mean", axes, x.dim()));
        return ElementwiseOps.mul(sum(x, axes, keepdim), 1f / count);
    }

    private static Tensor sumRun(Tensor x, int a0, int a1, boolean keepdim) {
        Tensor xc = x.contiguous();
        int[] b = block(xc.shape, a0, a1);
        float[] out = new float[b[0] * b[2]];
        Reduce.reduce(ReduceOp.SUM, xc.data(), xc.offset, b[0], b[1], b[2], out, 0);
        int[] keep = runShape(xc.shape, a0, a1, true);
        Tensor y = Tensor.of(out, keepdim ? keep : runShape(xc.shape, a0, a1, false));
        int[] inShape = xc.shape;
        if (Profiler.enabled()) {
            Profiler.record("sum", 0, xc.numel());
        }
        return Autograd.record("sum", y, g -> {
            if (Profiler.enabled()) {
                Profiler.record("sum.backward", 0, xc.numel());
            }
            return new Tensor[] {g.reshape(keep).expand(inShape).contiguous()};
        }, xc);
    }

    // ------------------------------------------------------------------ max, min, argmax, argmin

    /**
     * Max over all elements (a rank-0 tensor). Like PyTorch's {@code max()}, the gradient is shared
     * evenly among tied maxima; over one axis it goes to the first maximum (PyTorch's {@code max(dim)}),
     * over several axes it is shared evenly (PyTorch's {@code amax}).
     */
    public static Tensor max(Tensor x) {
        return extreme(true, x, allAxes(x), false, true);
    }

    public static Tensor max(Tensor x, int[] axes, boolean keepdim) {
        return extreme(true, x, axes, keepdim, false);
    }

    /** Min over all elements (a rank-0 tensor); ties share the gradient as in {@link #max(Tensor)}. */
    public static Tensor min(Tensor x) {
        return extreme(false, x, allAxes(x), false, true);
    }

    public static Tensor min(Tensor x, int[] axes, boolean keepdim) {
        return extreme(false, x, axes, keepdim, false);
    }

    /** {@code whole}: a reduction over all elements, whose tied extremes share the gradient. */
    private static Tensor extreme(boolean isMax, Tensor x, int[] axes, boolean keepdim, boolean whole) {
        String name = isMax ? "max" : "min";
        Tensor xs = ElementwiseOps.asFloat(x);
        if (xs.dim() == 0) {
            return extreme(isMax, xs.reshape(1), new int[] {0}, false, whole);
        }
        int[] ax = axes(name, axes, xs.dim());
        Tensor xc = moveToEnd(xs, ax);
        int a0 = xc.dim() == xs.dim() && runs(ax).length == 1 ? ax[0] : xc.dim() - ax.length;
        int a1 = a0 + ax.length - 1;
        int[] b = block(xc.shape, a0, a1);
        nonEmpty(name, xs.shape, ax, b[1]);
        float[] val = new float[b[0] * b[2]];
        int[] idx = new int[val.length];
        Reduce.argReduce(isMax, xc.data(), xc.offset, b[0], b[1], b[2], val, idx);
        int[] outShape = reducedShape(xs.shape, ax, keepdim);
        Tensor y = Tensor.of(val, outShape);
        if (Profiler.enabled()) {
            Profiler.record(name, 0, xc.numel());
        }
        int[] inShape = xc.shape;
        boolean share = whole || ax.length > 1;
        return Autograd.record(name, y, g -> {
            float[] gv = g.contiguous().toFloatArray();
            float[] gx = new float[Shapes.numel(inShape)];
            if (Profiler.enabled()) {
                Profiler.record(name + ".backward", 0, gv.length);
            }
            float[] xd = xc.data();
            for (int o = 0; o < b[0]; o++) {
                for (int k = 0; k < b[2]; k++) {
                    int at = o * b[2] + k;
                    if (!share) {
                        gx[(o * b[1] + idx[at]) * b[2] + k] = gv[at];
                        continue;
                    }
                    int ties = 0; // evenly among the elements equal to the extreme (none when it is NaN)
                    for (int r = 0; r < b[1]; r++) {
                        ties += xd[xc.offset + (o * b[1] + r) * b[2] + k] == val[at] ? 1 : 0;
                    }
                    for (int r = 0; r < b[1] && ties > 0; r++) {
                        int i = (o * b[1] + r) * b[2] + k;
                        gx[i] = xd[xc.offset + i] == val[at] ? gv[at] / ties : 0;
                    }
                }
            }
            return new Tensor[] {Tensor.of(gx, inShape)};
        }, xc);
    }

    /** Flat (row-major) index of the max element, as an INT32 scalar. */
    public static Tensor argmax(Tensor x) {
        return argmax(ElementwiseOps.asFloat(x).reshape(-1), 0, false);
    }

    /** Index of the max along {@code axis} (INT32, first on ties, NaN wins). */
    public static Tensor argmax(Tensor x, int axis, boolean keepdim) {
        return argExtreme(true, x, axis, keepdim);
    }

    public static Tensor argmin(Tensor x) {
        return argmin(ElementwiseOps.asFloat(x).reshape(-1), 0, false);
    }

    public static Tensor argmin(Tensor x, int axis, boolean keepdim) {
        return argExtreme(false, x, axis, keepdim);
    }

    private static Tensor argExtreme(boolean isMax, Tensor x, int axis, boolean keepdim) {
        String name = isMax ? "argmax" : "argmin";
        Tensor xc = ElementwiseOps.asFloat(x).contiguous();
        int a = Shapes.axis(name, axis, xc.dim());
        int[] b = block(xc.shape, a, a);
        nonEmpty(name, xc.shape, new int[] {a}, b[1]);
        int[] idx = new int[b[0] * b[2]];
        Reduce.argReduce(isMax, xc.data(), xc.offset, b[0], b[1], b[2], null, idx);
        if (Profiler.enabled()) {
            Profiler.record(name, 0, xc.numel());
        }
        return Tensor.ofInts(idx, runShape(xc.shape, a, a, keepdim));
    }

    // ------------------------------------------------------------------ var and logsumexp

    /** Variance over all elements; {@code unbiased} divides by N-1 (Bessel), else by N. */
    public static Tensor var(Tensor x, boolean unbiased) {
        return var(x, allAxes(x), false, unbiased ? 1 : 0);
    }

    /**
     * Variance over {@code axes}, divided by {@code N - correction} (1: unbiased, 0: population),
     * computed in two passes (mean, then squared deviations) for accuracy.
     */
    public static Tensor var(Tensor x, int[] axes, boolean keepdim, int correction) {
        Tensor xs = ElementwiseOps.asFloat(x);
        if (xs.dim() == 0) {
            return var(xs.reshape(1), new int[] {0}, false, correction);
        }
        int[] ax = axes("var", axes, xs.dim());
        Tensor xc = moveToEnd(xs, ax);
        int a0 = xc.dim() == xs.dim() && runs(ax).length == 1 ? ax[0] : xc.dim() - ax.length;
        int[] b = block(xc.shape, a0, a0 + ax.length - 1);
        int outer = b[0];
        int r = b[1];
        int inner = b[2];
        float[] xd = xc.data();
        float[] mean = new float[outer * inner];
        Reduce.reduce(ReduceOp.SUM, xd, xc.offset, outer, r, inner, mean, 0);
        Binary.applyScalar(BinaryOp.MUL, mean, 0, 1f / r, false, mean, 0, mean.length);
        // d = x - mean, reading mean through strides [inner, 0, 1] over [outer, r, inner]
        int[] bshape = {outer, r, inner};
        float[] d = new float[xc.numel()];
        Binary.strided(BinaryOp.SUB, xd, xc.offset, new int[] {r * inner, inner, 1}, mean, 0,
                new int[] {inner, 0, 1}, bshape, d, 0);
        float[] out = new float[outer * inner];
        Reduce.reduce(ReduceOp.SUM_SQUARES, d, 0, outer, r, inner, out, 0);
        float scale = 1f / (r - correction);
        Binary.applyScalar(BinaryOp.MUL, out, 0, scale, false, out, 0, out.length);
        Tensor y = Tensor.of(out, reducedShape(xs.shape, ax, keepdim));
        if (Profiler.enabled()) {
            Profiler.record("var", 0, xc.numel());
        }
        int[] inShape = xc.shape;
        return Autograd.record("var", y, g -> {
            // d var / dx = 2 (x - mean) / (N - correction); the mean's own dependence sums to zero
            Tensor gc = g.contiguous();
            float[] gx = new float[d.length];
            Binary.strided(BinaryOp.MUL, d, 0, new int[] {r * inner, inner, 1}, gc.data(), gc.offset,
                    new int[] {inner, 0, 1}, bshape, gx, 0);
            Binary.applyScalar(BinaryOp.MUL, gx, 0, 2 * scale, false, gx, 0, gx.length);
            if (Profiler.enabled()) {
                Profiler.record("var.backward", 0, gx.length);
            }
            return new Tensor[] {Tensor.of(gx, inShape)};
        }, xc);
    }

    /** {@code log(sum(exp(x)))} over {@code axes}, computed stably (max subtracted first). */
    public static Tensor logsumexp(Tensor x, int[] axes, boolean keepdim) {
        Tensor xs = ElementwiseOps.asFloat(x);
        if (xs.dim() == 0) {
            return logsumexp(xs.reshape(1), new int[] {0}, false);
        }
        int[] ax = axes("logsumexp", axes, xs.dim());
        Tensor xc = moveToEnd(xs, ax);
        int a0 = xc.dim() == xs.dim() && runs(ax).length == 1 ? ax[0] : xc.dim() - ax.length;
        int a1 = a0 + ax.length - 1;
        int[] b = block(xc.shape, a0, a1);
        float[] out = new float[b[0] * b[2]];
        Softmax.forward(Softmax.Mode.LOGSUMEXP, xc.data(), xc.offset, b[0], b[1], b[2], out, 0);
        Tensor y = Tensor.of(out, reducedShape(xs.shape, ax, keepdim));
        if (Profiler.enabled()) {
            Profiler.record("logsumexp", 0, xc.numel());
        }
        int[] keep = runShape(xc.shape, a0, a1, true);
        return Autograd.record("logsumexp", y, g -> {
            if (Profiler.enabled()) {
                Profiler.record("logsumexp.backward", 0, 3L * xc.numel());
            }
            Tensor shifted = ElementwiseOps.compute(BinaryOp.SUB, xc, y.reshape(keep));
            Tensor p = UnaryOps.compute(UnaryOp.EXP, 0, 0, shifted);
            return new Tensor[] {ElementwiseOps.compute(BinaryOp.MUL, p, g.reshape(keep))};
        }, xc);
    }

    // ------------------------------------------------------------------ softmax

    /** Softmax along {@code axis}: one pass for the max, one for exp and sum, one to scale. */
    public static Tensor softmax(Tensor x, int axis) {
        return softmaxLike(false, x, axis);
    }

    /** {@code log(softmax(x))} along {@code axis}, computed as {@code x - max - log(sum(exp(x - max)))}. */
    public static Tensor logSoftmax(Tensor x, int axis) {
        return softmaxLike(true, x, axis);
    }

    private static Tensor softmaxLike(boolean log, Tensor x, int axis) {
        String name = log ? "log_softmax" : "softmax";
        Tensor xc = ElementwiseOps.asFloat(x).contiguous();
        if (xc.dim() == 0) {
            return softmaxLike(log, xc.reshape(1), 0).reshape();
        }
        int a = Shapes.axis(name, axis, xc.dim());
        int[] b = block(xc.shape, a, a);
        int n = xc.numel();
        float[] out = new float[n];
        Softmax.forward(log ? Softmax.Mode.LOG_SOFTMAX : Softmax.Mode.SOFTMAX, xc.data(), xc.offset,
                b[0], b[1], b[2], out, 0);
        Tensor y = Tensor.of(out, xc.shape);
        if (Profiler.enabled()) {
            Profiler.record(name, 0, n);
        }
        return Autograd.record(name, y, g -> {
            Tensor gc = g.contiguous();
            float[] gx = new float[n];
            Softmax.backward(log, out, 0, gc.data(), gc.offset, b[0], b[1], b[2], gx, 0);
            if (Profiler.enabled()) {
                Profiler.record(name + ".backward", 0, n);
            }
            return new Tensor[] {Tensor.of(gx, xc.shape)};
        }, xc);
    }

    // ------------------------------------------------------------------ axis bookkeeping

    /** max/min/argmax/argmin have no value over zero elements (as in PyTorch). */
    private static void nonEmpty(String op, int[] shape, int[] ax, int r) {
        if (r == 0) {
            throw new IllegalArgumentException(op + ": axes " + Arrays.toString(ax) + " of " + Shapes.str(shape)
                    + " hold no elements, expected a non-empty reduction");
        }
    }

    private static int[] allAxes(Tensor x) {
        int[] a = new int[x.dim()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Normalized, sorted axes; rejects repeats. */
    static int[] axes(String op, int[] axes, int rank) {
        if (axes.length == 0) {
            throw new IllegalArgumentException(op + ": no axes given for a tensor of rank " + rank
                    + ", expected at least one (use the whole-tensor form to reduce everything)");
        }
        int[] a = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            a[i] = Shapes.axis(op, axes[i], rank);
        }
        Arrays.sort(a);
        for (int i = 1; i < a.length; i++) {
            if (a[i] == a[i - 1]) {
                throw new IllegalArgumentException(op + ": axes " + Arrays.toString(axes) + " repeat axis " + a[i]
                        + ", expected distinct axes");
            }
        }
        return a;
    }

    /** Maximal runs of adjacent axes, as {first, last} pairs. */
    private static int[][] runs(int[] ax) {
        int count = 1;
        for (int i = 1; i < ax.length; i++) {
            if (ax[i] != ax[i - 1] + 1) {
                count++;
            }
        }
        int[][] out = new int[count][];
        int start = 0;
        int k = 0;
        for (int i = 1; i <= ax.length; i++) {
            if (i == ax.length || ax[i] != ax[i - 1] + 1) {
                out[k++] = new int[] {ax[start], ax[i - 1]};
                start = i;
            }
        }
        return out;
    }

    /** Contiguous x; when the axes are not one run, permuted so they come last (one copy). */
    private static Tensor moveToEnd(Tensor x, int[] ax) {
        if (runs(ax).length == 1) {
            return x.contiguous();
        }
        int rank = x.dim();
        int[] perm = new int[rank];
        boolean[] reduced = new boolean[rank];
        for (int a : ax) {
            reduced[a] = true;
        }
        int k = 0;
        for (int i = 0; i < rank; i++) {
            if (!reduced[i]) {
                perm[k++] = i;
            }
        }
        for (int a : ax) {
            perm[k++] = a;
        }
        return x.permute(perm).contiguous();
    }

    /** {outer, r, inner} for reducing axes a0..a1 of a shape. */
    private static int[] block(int[] shape, int a0, int a1) {
        int outer = 1;
        int r = 1;
        int inner = 1;
        for (int i = 0; i < shape.length; i++) {
            if (i < a0) {
                outer *= shape[i];
            } else if (i <= a1) {
                r *= shape[i];
            } else {
                inner *= shape[i];
            }
        }
        return new int[] {outer, r, inner};
    }

    private static int[] runShape(int[] shape, int a0, int a1, boolean keepdim) {
        int[] ax = new int[a1 - a0 + 1];
        for (int i = 0; i < ax.length; i++) {
            ax[i] = a0 + i;
        }
        return reducedShape(shape, ax, keepdim);
    }

    /** The shape after reducing {@code ax}: size 1 there with keepdim, removed otherwise. */
    static int[] reducedShape(int[] shape, int[] ax, boolean keepdim) {
        boolean[] reduced = new boolean[shape.length];
        for (int a : ax) {
            reduced[a] = true;
        }
        int[] out = new int[keepdim ? shape.length : shape.length - ax.length];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!reduced[i]) {
                out[j++] = shape[i];
            } else if (keepdim) {
                out[j++] = 1;
            }
        }
        return out;
    }

    private static int count(int[] shape, int[] ax) {
        int c = 1;
        for (int a : ax) {
            c *= shape[a];
        }
        return c;
    }
}
