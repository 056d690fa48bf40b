package dev.jumbo.optim;

/**
 * Decays each group's lr by {@code gamma} every {@code stepSize} steps:
 * {@code lr = base * gamma^floor(epoch / stepSize)}.
 *
 * <pre>{@code
 * var sched = new StepLR(opt, 30, 0.1); // 0.1 -> 0.01 at epoch 30 -> 0.001 at 60
 * }</pre>
 */
public final class StepLR extends EpochLrScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super("StepLR", optimizer);
        positive("StepLR", "stepSize", stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        start();
    }

    @Override
    protected double lrAt(int group, int epoch) {
        return baseLrs[group] * Math.pow(gamma, Math.floorDiv(epoch, stepSize));
    }
}
