package dev.jumbo.nn;

import dev.jumbo.tensor.LossOps;
import dev.jumbo.tensor.Shapes;
import dev.jumbo.tensor.Tensor;

/**
 * Loss functions on tensors, with autograd and PyTorch's semantics ({@code torch.nn.functional}).
 * Cross-entropy, NLL, BCE-with-logits and KL are fused ops (one forward, one backward kernel);
 * MSE and L1 are composed from elementwise ops.
 *
 * <pre>{@code
 * Tensor loss = Losses.crossEntropy(logits, labels);                     // mean over the batch
 * Tensor smooth = Losses.crossEntropy(logits, labels,
 *         CrossEntropyOptions.defaults().labelSmoothing(0.1f).weight(classWeights).ignoreIndex(-1));
 * loss.backward();
 * }</pre>
 */
public final class Losses {
    private Losses() {}

    /** How per-element losses are combined. {@code BATCHMEAN} (sum / batch size) is for {@link #klDiv}. */
    public enum Reduction { NONE, MEAN, SUM, BATCHMEAN }

    /**
     * Options of {@link #crossEntropy}: class weights {@code [C]} (or null), the ignored class index
     * (default -100, class targets only), label smoothing in [0, 1], and the reduction (default mean).
     */
    public record CrossEntropyOptions(Tensor weight, int ignoreIndex, float labelSmoothing, Reduction reduction) {
        public static CrossEntropyOptions defaults() {
            return new CrossEntropyOptions(null, -100, 0f, Reduction.MEAN);
        }

        public CrossEntropyOptions weight(Tensor w) {
            return new CrossEntropyOptions(w, ignoreIndex, labelSmoothing, reduction);
        }

        public CrossEntropyOptions ignoreIndex(int i) {
            return new CrossEntropyOptions(weight, i, labelSmoothing, reduction);
        }

        public CrossEntropyOptions labelSmoothing(float s) {
            return new CrossEntropyOptions(weight, ignoreIndex, s, reduction);
        }

        public CrossEntropyOptions reduction(Reduction r) {
            return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, r);
        }
    }

    /** Mean cross-entropy of logits {@code [N,C]} against int32 labels {@code [N]}. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return crossEntropy(logits, target, CrossEntropyOptions.defaults());
    }

    /**
     * Cross-entropy from logits {@code [N,C]}, {@code [N,C,d...]} or {@code [C]} against int32 class
     * indices (shape without the class axis) or float32 probabilities (the logits' shape). As in
     * PyTorch: label smoothing mixes the target with the uniform 1/C (also under class weights);
     * the mean over class targets divides by the summed weights of the non-ignored targets; the
     * mean over probability targets divides by the number of rows.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, CrossEntropyOptions o) {
        noBatchMean("crossEntropy", o.reduction());
        boolean unbatched = logits.dim() == 1;
        Tensor x = unbatched ? logits.unsqueeze(0) : logits;
        Tensor t = unbatched ? target.unsqueeze(0) : target;
        Tensor perRow = LossOps.crossEntropy(x, t, o.weight(), o.ignoreIndex(), o.labelSmoothing());
        if (unbatched && o.reduction() == Reduction.NONE) {
            return perRow.reshape();
        }
        double denominator = target.isFloat() ? perRow.numel() : weightedCount(t, o.weight(), o.ignoreIndex());
        return reduce(perRow, o.reduction(), denominator);
    }

    /** Mean negative log-likelihood of log-probabilities {@code [N,C]} at int32 labels {@code [N]}. */
    public static Tensor nll(Tensor logProbs, Tensor target) {
        return nll(logProbs, target, null, -100, Reduction.MEAN);
    }

    /** NLL with class weights (or null), ignore index and reduction; the weighted mean as in PyTorch. */
    public static Tensor nll(Tensor logProbs, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        noBatchMean("nll", reduction);
        Tensor perRow = LossOps.nll(logProbs, target, weight, ignoreIndex);
        return reduce(perRow, reduction, weightedCount(target, weight, ignoreIndex));
    }

    /** Mean squared error of two tensors of the same shape. */
    public static Tensor mse(Tensor input, Tensor target) {
        return mse(input, target, Reduction.MEAN);
    }

    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        sameShape("mse", input, target);
        noBatchMean("mse", reduction);
        Tensor e = input.sub(target).square();
        return reduce(e, reduction, e.numel());
    }

    /** Mean absolute error of two tensors of the same shape. */
    public static Tensor l1(Tensor input, Tensor target) {
        return l1(input, target, Reduction.MEAN);
    }

    public static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        sameShape("l1", input, target);
        noBatchMean("l1", reduction);
        Tensor e = input.sub(target).abs();
        return reduce(e, reduction, e.numel());
    }

    /** Mean binary cross-entropy of logits against targets in [0, 1] of the same shape (stable). */
    public static Tensor bceWithLogits(Tensor logits, Tensor target) {
        return bceWithLogits(logits, target, null, null, Reduction.MEAN);
    }

    /**
     * BCE with logits; {@code weight} (or null) rescales each element (broadcasting), {@code posWeight}
     * (or null, typically {@code [classes]}) weighs the positive term, as PyTorch's {@code pos_weight}.
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor target, Tensor weight, Tensor posWeight,
                                       Reduction reduction) {
        noBatchMean("bceWithLogits", reduction);
        Tensor e = LossOps.bceWithLogits(logits, target, posWeight);
        if (weight != null) {
            e = e.mul(weight);
        }
        return reduce(e, reduction, e.numel());
    }

    /**
     * KL divergence {@code sum target * (log target - input)} with {@code input} log-probabilities and
     * {@code target} probabilities, as {@code F.kl_div}; use {@link Reduction#BATCHMEAN} for the
     * mathematical KL per sample (PyTorch's mean divides by every element).
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction) {
        return klDiv(input, target, reduction, false);
    }

    /** KL divergence; with {@code logTarget} the target is given as log-probabilities. */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        Tensor e = LossOps.klDiv(input, target, logTarget);
        if (reduction == Reduction.BATCHMEAN) {
            int batch = input.dim() == 0 ? 1 : input.size(0);
            return e.sum().div(batch);
        }
        return reduce(e, reduction, e.numel());
    }

    private static Tensor reduce(Tensor perElement, Reduction reduction, double meanDenominator) {
        return switch (reduction) {
            case NONE -> perElement;
            case SUM -> perElement.sum();
            case MEAN -> perElement.sum().div((float) meanDenominator);
            case BATCHMEAN -> throw new IllegalStateException("unreachable: BATCHMEAN is rejected before");
        };
    }

    /** The mean's denominator for class targets: the summed weights (or count) of non-ignored targets. */
    private static double weightedCount(Tensor target, Tensor weight, int ignoreIndex) {
        int[] t = target.toIntArray();
        float[] w = weight == null ? null : weight.toFloatArray();
        double s = 0;
        for (int v : t) {
            if (v != ignoreIndex) {
                s += w == null ? 1 : w[v];
            }
        }
        return s;
    }

    private static void noBatchMean(String op, Reduction r) {
        if (r == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException(op + ": reduction BATCHMEAN: expected NONE, MEAN or SUM (BATCHMEAN is for klDiv)");
        }
    }

    private static void sameShape(String op, Tensor input, Tensor target) {
        if (!java.util.Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(input.shape()) + " and target "
                    + Shapes.str(target.shape()) + ": expected the same shape");
        }
    }
}
