package dev.jumbo.optim;

/**
 * Linear warm-up then cosine decay to a floor: {@code lr = base * epoch / warmup} for
 * {@code epoch < warmup}, then {@code minLr + (base - minLr) * (1 + cos(pi * progress)) / 2} with
 * {@code progress = (epoch - warmup) / (total - warmup)} clamped to [0, 1]. Built by
 * {@link LrScheduler#warmupCosine}.
 */
public final class WarmupCosineLR extends EpochLrScheduler {
    private final int warmupSteps;
    private final int totalSteps;
    private final double minLr;

    WarmupCosineLR(Optimizer optimizer, int warmupSteps, int totalSteps, double minLr) {
        super("warmupCosine", optimizer);
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("warmupCosine: warmupSteps = " + warmupSteps + ", totalSteps = "
                    + totalSteps + ": expected 0 <= warmupSteps < totalSteps");
        }
        if (!(minLr >= 0)) {
            throw new IllegalArgumentException("warmupCosine: minLr = " + minLr + ": expected >= 0");
        }
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.minLr = minLr;
        start();
    }

    @Override
    protected double lrAt(int group, int epoch) {
        double base = baseLrs[group];
        if (epoch < warmupSteps) {
            return base * epoch / warmupSteps;
        }
        double progress = Math.min(1.0, (double) (epoch - warmupSteps) / (totalSteps - warmupSteps));
        return minLr + (base - minLr) * (1 + Math.cos(Math.PI * progress)) / 2;
    }
}
