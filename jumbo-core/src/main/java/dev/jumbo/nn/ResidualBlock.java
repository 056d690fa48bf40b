package dev.jumbo.nn;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;

/**
 * A residual block (branch + shortcut) with optional stochastic depth on its branch, the part
 * {@link BasicBlock} and {@link Bottleneck} share.
 *
 * <pre>{@code
 * BasicBlock b = new BasicBlock(64, 64, 1, rng);
 * b.stochasticDepth(0.1, rng.split());   // drop the branch of 10% of the samples in training
 * }</pre>
 */
public abstract class ResidualBlock extends Module {
    private double stochasticDepthProb;
    private Rng depthRng;

    /**
     * Drops the residual branch per sample with probability {@code p} in training (see
     * {@link StochasticDepth}); {@code rng} draws the masks (may be null when p is 0). Returns this.
     */
    public ResidualBlock stochasticDepth(double p, Rng rng) {
        Layers.probability(typeName(), "stochastic_depth_prob", p);
        if (p > 0 && rng == null) {
            throw new IllegalArgumentException(typeName() + ": stochastic_depth_prob " + p + " without a generator: expected an Rng");
        }
        this.stochasticDepthProb = p;
        this.depthRng = rng;
        return this;
    }

    /** The probability of dropping the residual branch of a sample in training (0: never). */
    public double stochasticDepthProb() {
        return stochasticDepthProb;
    }

    /** The generator drawing the stochastic depth masks, or null. */
    public Rng depthRng() {
        return depthRng;
    }

    /** Replaces the stochastic depth generator (e.g. with one restored from a checkpoint). */
    public void depthRng(Rng rng) {
        this.depthRng = rng;
    }

    /** The branch after stochastic depth: itself in eval mode or with p = 0. */
    protected final Tensor dropBranch(Tensor branch) {
        return StochasticDepth.apply(branch, stochasticDepthProb, isTraining(), depthRng);
    }
}
