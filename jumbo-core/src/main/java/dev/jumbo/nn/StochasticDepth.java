package dev.jumbo.nn;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.Map;

/**
 * Stochastic depth (Huang et al. 2016) in torchvision's {@code StochasticDepth(p, mode="row")} form:
 * in training, each sample's residual branch is dropped (set to 0) with probability p and kept
 * branches are scaled by 1/(1-p), so the expectation equals the input; in evaluation (or with
 * p = 0) the input passes unchanged. Residual blocks ({@link BasicBlock}, {@link Bottleneck}) apply
 * it to their branch before adding the shortcut.
 *
 * <pre>{@code
 * Tensor branch = StochasticDepth.apply(out, 0.2, isTraining(), rng); // (N,C,H,W), rows dropped
 * }</pre>
 */
public final class StochasticDepth extends Module {
    public final double p;
    private Rng rng;

    public StochasticDepth(double p, Rng rng) {
        Layers.probability("StochasticDepth", "p", p);
        this.p = p;
        this.rng = rng;
    }

    /** The generator drawing the per-sample masks. */
    public Rng rng() {
        return rng;
    }

    /** Replaces the generator (e.g. with one restored from a checkpoint). */
    public void rng(Rng rng) {
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor x) {
        return apply(x, p, isTraining(), rng);
    }

    /**
     * {@code x} with each row (index along axis 0) zeroed with probability {@code p}, the others
     * scaled by 1/(1-p); {@code x} itself outside training or when p is 0; zeros when p is 1.
     */
    public static Tensor apply(Tensor x, double p, boolean training, Rng rng) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("StochasticDepth: p " + p + ": expected a probability in [0, 1]");
        }
        if (!training || p == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0f);
        }
        int[] maskShape = new int[x.dim()];
        java.util.Arrays.fill(maskShape, 1);
        maskShape[0] = x.size(0);
        Tensor mask = Tensor.bernoulli(rng, (float) (1 - p), maskShape).div((float) (1 - p)); // (N,1,...,1)
        return x.mul(mask);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("p", p);
    }
}
