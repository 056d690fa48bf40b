package dev.jumbo.optim;

import dev.jumbo.nn.Module;
import dev.jumbo.tensor.Tensor;

/**
 * Keras's {@code MaxNorm} constraint: after each optimizer step, every output unit's incoming
 * weight vector (a row of a Linear weight [out, in], a filter of a Conv weight [out, in, kh, kw])
 * whose L2 norm exceeds {@code maxValue} is scaled back: {@code w ← w · min(n, c) / (n + 1e-7)}
 * with n the row's norm (Keras's formula; rows within the limit are left exactly as they are,
 * where Keras scales them by n / (n + 1e-7)). Parameters with fewer than 2 dimensions (biases, norms) are never constrained.
 *
 * <pre>{@code
 * MaxNorm mn = new MaxNorm(3.0);                    // every weight matrix and filter bank
 * MaxNorm fc = new MaxNorm(2.0, "classifier.*");    // only the classifier
 * Trainer t = Trainer.builder().optimizer(opt).constraint(mn).build();
 * }</pre>
 */
public final class MaxNorm {
    private static final double EPS = 1e-7;
    private final double maxValue;
    private final ParamSelector params;

    public MaxNorm(double maxValue, String... globs) {
        if (!(maxValue > 0) || Double.isInfinite(maxValue)) {
            throw new IllegalArgumentException("MaxNorm: maxValue " + maxValue + ": expected a finite value > 0");
        }
        this.maxValue = maxValue;
        this.params = new ParamSelector(globs);
    }

    public double maxValue() {
        return maxValue;
    }

    /** Renormalizes the selected weights of {@code model} in place. */
    public void apply(Module model) {
        for (Tensor w : params.select(model).values()) {
            if (w.dim() < 2) {
                continue;
            }
            if (!w.isContiguous()) {
                throw new IllegalStateException("MaxNorm: a parameter of shape " + java.util.Arrays.toString(w.shape())
                        + " is not contiguous: expected parameters stored densely");
            }
            float[] d = w.data();
            int rows = w.size(0);
            int len = w.numel() / rows;
            for (int r = 0; r < rows; r++) {
                int o = w.offset() + r * len;
                double s = 0;
                for (int i = 0; i < len; i++) {
                    s += (double) d[o + i] * d[o + i];
                }
                double n = Math.sqrt(s);
                if (n <= maxValue) {
                    continue; // Keras would scale by n/(n+eps): leave rows under the limit exactly as they are
                }
                float scale = (float) (maxValue / (n + EPS));
                for (int i = 0; i < len; i++) {
                    d[o + i] *= scale;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "MaxNorm(" + maxValue + " on " + params + ")";
    }
}
