package dev.jumbo.optim;

import java.util.Arrays;

/**
 * Decays each group's lr by {@code gamma} at each milestone:
 * {@code lr = base * gamma^(number of milestones <= epoch)}.
 *
 * <pre>{@code
 * var sched = new MultiStepLR(opt, new int[] {30, 80}, 0.1);
 * }</pre>
 */
public final class MultiStepLR extends EpochLrScheduler {
    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super("MultiStepLR", optimizer);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        start();
    }

    @Override
    protected double lrAt(int group, int epoch) {
        int passed = 0;
        for (int m : milestones) {
            if (m <= epoch) {
                passed++;
            }
        }
        return baseLrs[group] * Math.pow(gamma, passed);
    }
}
