package dev.jumbo.tensor;

import dev.jumbo.kernels.LossKernels;
import java.util.Arrays;

/**
 * Fused loss ops with their own backward: cross-entropy from logits, NLL, BCE with logits and KL
 * divergence, each returning the unreduced per-element (per-row) losses; {@code dev.jumbo.nn.Losses}
 * applies the reduction and is the front door. Targets, class weights and pos_weight are constants
 * (no gradient flows to them), except the BCE and KL targets, which get PyTorch's gradients.
 *
 * <pre>{@code
 * Tensor perSample = LossOps.crossEntropy(logits, labels, null, -100, 0f); // [N]
 * }</pre>
 */
public final class LossOps {
    private LossOps() {}

    /**
     * Cross-entropy of logits {@code [N,C]} or {@code [N,C,d...]} against int32 class indices
     * {@code [N]} / {@code [N,d...]} or float32 probabilities shaped like the logits, with optional
     * class weights {@code [C]}, ignore index (class targets only) and label smoothing in [0, 1].
     * Returns the per-row losses {@code [N]} / {@code [N,d...]} (0 at ignored targets). One fused op:
     * log-sum-exp and the pick in the forward, {@code Q softmax - q} in the backward.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Tensor weight, int ignoreIndex, float smoothing) {
        String op = "crossEntropy";
        int[] ls = logits.shape;
        if (ls.length < 2 || !logits.isFloat()) {
            throw new IllegalArgumentException(op + ": logits " + logits.dtype() + " " + Shapes.str(ls)
                    + ": expected float32 [N,C] or [N,C,d...]");
        }
        if (!(smoothing >= 0f && smoothing <= 1f)) {
            throw new IllegalArgumentException(op + ": labelSmoothing = " + smoothing + ": expected 0 <= labelSmoothing <= 1");
        }
        int n = ls[0];
        int c = ls[1];
        int inner = Shapes.numel(Arrays.copyOfRange(ls, 2, ls.length));
        int[] rowShape = rowShape(ls);
        boolean soft = target.isFloat();
        if (soft ? !Shapes.same(target.shape, ls) : !Shapes.same(target.shape, rowShape)) {
            throw new IllegalArgumentException(op + ": target " + target.dtype() + " " + Shapes.str(target.shape)
                    + " for logits " + Shapes.str(ls) + ": expected int32 class indices " + Shapes.str(rowShape)
                    + " or float32 probabilities " + Shapes.str(ls));
        }
        float[] w = classWeights(op, weight, c);
        Tensor x = logits.contiguous();
        Tensor t = target.contiguous();
        int[] ti = soft ? null : t.intData();
        if (!soft) {
            checkTargets(op, ti, t.offset, t.numel(), c, ignoreIndex);
        }
        float[] y = soft ? t.data() : null;
        int rows = n * inner;
        float[] lse = new float[rows];
        float[] loss = new float[rows];
        int outer = n;
        int in = inner;
        LossKernels.crossEntropyForward(x.data(), x.offset, outer, c, in, ti, t.offset, y, t.offset, w, ignoreIndex,
                smoothing, lse, loss);
        long extra = soft || smoothing != 0f ? (long) rows * c : 0;
        if (Profiler.enabled()) {
            Profiler.record(op, 0, (long) rows * c + rows + extra);
        }
        Tensor out = Tensor.of(loss, rowShape);
        return Autograd.record(op, out, g -> {
            Tensor gc = g.contiguous();
            float[] gr = gc.offset == 0 ? gc.data() : gc.toFloatArray();
            float[] gx = new float[x.numel()];
            LossKernels.crossEntropyBackward(x.data(), x.offset, outer, c, in, ti, t.offset, y, t.offset, w,
                    ignoreIndex, smoothing, lse, gr, gx);
            if (Profiler.enabled()) {
                Profiler.record(op + ".backward", 0, (long) rows * c + extra);
            }
            return new Tensor[] {Tensor.of(gx, ls), null};
        }, logits, target);
    }

    /**
     * Negative log-likelihood of log-probabilities {@code [N,C]} / {@code [N,C,d...]} at int32 class
     * indices, weighted by {@code weight[C]} (may be null), 0 at {@code ignoreIndex}. Per-row losses.
     */
    public static Tensor nll(Tensor logProbs, Tensor target, Tensor weight, int ignoreIndex) {
        String op = "nll";
        int[] ls = logProbs.shape;
        if (ls.length < 2 || !logProbs.isFloat()) {
            throw new IllegalArgumentException(op + ": input " + logProbs.dtype() + " " + Shapes.str(ls)
                    + ": expected float32 log-probabilities [N,C] or [N,C,d...]");
        }
        int[] rowShape = rowShape(ls);
        if (target.isFloat() || !Shapes.same(target.shape, rowShape)) {
            throw new IllegalArgumentException(op + ": target " + target.dtype() + " " + Shapes.str(target.shape)
                    + " for input " + Shapes.str(ls) + ": expected int32 class indices " + Shapes.str(rowShape));
        }
        int n = ls[0];
        int c = ls[1];
        int inner = Shapes.numel(Arrays.copyOfRange(ls, 2, ls.length));
        float[] w = classWeights(op, weight, c);
        Tensor x = logProbs.contiguous();
        Tensor t = target.contiguous();
        int[] ti = t.intData();
        checkTargets(op, ti, t.offset, t.numel(), c, ignoreIndex);
        float[] loss = new float[n * inner];
        LossKernels.nllForward(x.data(), x.offset, n, c, inner, ti, t.offset, w, ignoreIndex, loss);
        if (Profiler.enabled()) {
            Profiler.record(op, 0, loss.length);
        }
        return Autograd.record(op, Tensor.of(loss, rowShape), g -> {
            float[] gx = new float[x.numel()];
            LossKernels.nllBackward(n, c, inner, ti, t.offset, w, ignoreIndex, g.toFloatArray(), gx);
            if (Profiler.enabled()) {
                Profiler.record(op + ".backward", 0, loss.length);
            }
            return new Tensor[] {Tensor.of(gx, ls), null};
        }, logProbs, target);
    }

    /**
     * Binary cross-entropy with logits, elementwise and numerically stable; {@code posWeight} (may be
     * null) broadcasts to the input (typically {@code [classes]}) and weighs positive examples.
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor target, Tensor posWeight) {
        String op = "bceWithLogits";
        sameShape(op, logits, target);
        float[] x = logits.toFloatArray();
        float[] y = target.toFloatArray();
        float[] pw = null;
        if (posWeight != null) {
            if (!Shapes.same(Shapes.broadcast(op, posWeight.shape, logits.shape), logits.shape)) {
                throw new IllegalArgumentException(op + ": posWeight " + Shapes.str(posWeight.shape)
                        + " does not broadcast to input " + Shapes.str(logits.shape));
            }
            pw = posWeight.detach().expand(logits.shape).toFloatArray();
        }
        int n = x.length;
        float[] out = new float[n];
        LossKernels.bceWithLogits(x, y, pw, out, n);
        if (Profiler.enabled()) {
            Profiler.record(op, 0, n);
        }
        float[] pwf = pw;
        return Autograd.record(op, Tensor.of(out, logits.shape), g -> {
            float[] gx = logits.requiresGrad ? new float[n] : null;
            float[] gy = target.requiresGrad ? new float[n] : null;
            LossKernels.bceWithLogitsBackward(x, y, pwf, g.toFloatArray(), gx, gy, n);
            if (Profiler.enabled()) {
                Profiler.record(op + ".backward", 0, n);
            }
            return new Tensor[] {gx == null ? null : Tensor.of(gx, logits.shape),
                    gy == null ? null : Tensor.of(gy, target.shape)};
        }, logits, target);
    }

    /**
     * Pointwise KL divergence {@code target * (log target - input)} with {@code input} log-probabilities
     * and {@code target} probabilities (log-probabilities with {@code logTarget}); 0 where target is 0.
     */
    public static Tensor klDiv(Tensor input, Tensor target, boolean logTarget) {
        String op = "klDiv";
        sameShape(op, input, target);
        float[] x = input.toFloatArray();
        float[] y = target.toFloatArray();
        int n = x.length;
        float[] out = new float[n];
        LossKernels.klDiv(x, y, logTarget, out, n);
        if (Profiler.enabled()) {
            Profiler.record(op, 0, n);
        }
        return Autograd.record(op, Tensor.of(out, input.shape), g -> {
            float[] gx = input.requiresGrad ? new float[n] : null;
            float[] gy = target.requiresGrad ? new float[n] : null;
            LossKernels.klDivBackward(x, y, logTarget, g.toFloatArray(), gx, gy, n);
            if (Profiler.enabled()) {
                Profiler.record(op + ".backward", 0, n);
            }
            return new Tensor[] {gx == null ? null : Tensor.of(gx, input.shape),
                    gy == null ? null : Tensor.of(gy, target.shape)};
        }, input, target);
    }

    /** The logits' shape without the class axis: {@code [N,C,d...] -> [N,d...]}. */
    private static int[] rowShape(int[] ls) {
        int[] rs = new int[ls.length - 1];
        rs[0] = ls[0];
        System.arraycopy(ls, 2, rs, 1, ls.length - 2);
        return rs;
    }

    private static float[] classWeights(String op, Tensor weight, int c) {
        if (weight == null) {
            return null;
        }
        if (!weight.isFloat() || weight.dim() != 1 || weight.shape[0] != c) {
            throw new IllegalArgumentException(op + ": class weights " + weight.dtype() + " " + Shapes.str(weight.shape)
                    + ": expected float32 [" + c + "], one weight per class");
        }
        return weight.toFloatArray();
    }

    private static void checkTargets(String op, int[] t, int off, int n, int c, int ignoreIndex) {
        for (int i = 0; i < n; i++) {
            int v = t[off + i];
            if (v != ignoreIndex && (v < 0 || v >= c)) {
                throw new IllegalArgumentException(op + ": target " + v + " at index " + i + " is out of range for "
                        + c + " classes: expected 0 <= target < " + c + " or the ignore index " + ignoreIndex);
            }
        }
    }

    private static void sameShape(String op, Tensor input, Tensor target) {
        if (!Shapes.same(input.shape, target.shape)) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(input.shape) + " and target "
                    + Shapes.str(target.shape) + ": expected the same shape");
        }
        if (!input.isFloat() || !target.isFloat()) {
            throw new IllegalArgumentException(op + ": input " + input.dtype() + " and target " + target.dtype()
                    + ": expected float32 for both");
        }
    }
}
