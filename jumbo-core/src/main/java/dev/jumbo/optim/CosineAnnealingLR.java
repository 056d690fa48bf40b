package dev.jumbo.optim;

/**
 * Cosine annealing (SGDR without restarts), PyTorch's closed form:
 * {@code lr = etaMin + (base - etaMin) * (1 + cos(pi * epoch / tMax)) / 2}. For warm-up followed by
 * cosine decay see {@link LrScheduler#warmupCosine}.
 *
 * <pre>{@code
 * var sched = new CosineAnnealingLR(opt, 100, 0.0);
 * }</pre>
 */
public final class CosineAnnealingLR extends EpochLrScheduler {
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super("CosineAnnealingLR", optimizer);
        positive("CosineAnnealingLR", "tMax", tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        start();
    }

    @Override
    protected double lrAt(int group, int epoch) {
        return etaMin + (baseLrs[group] - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
