package dev.jumbo.optim;

/**
 * Decays each group's lr by {@code gamma} every step: {@code lr = base * gamma^epoch}.
 *
 * <pre>{@code
 * var sched = new ExponentialLR(opt, 0.95);
 * }</pre>
 */
public final class ExponentialLR extends EpochLrScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super("ExponentialLR", optimizer);
        this.gamma = gamma;
        start();
    }

    @Override
    protected double lrAt(int group, int epoch) {
        return baseLrs[group] * Math.pow(gamma, epoch);
    }
}
