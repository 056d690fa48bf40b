package dev.jumbo.train;

import dev.jumbo.optim.LrScheduler;
import java.util.Map;

/**
 * Sets the learning rate per epoch: either from a function {@code (epoch, currentLr) -> lr}
 * applied at each epoch's start to every parameter group (Keras' {@code LearningRateScheduler}),
 * or by stepping an optim {@link LrScheduler} at each epoch's end.
 *
 * <pre>{@code
 * new LearningRateScheduler((epoch, lr) -> epoch < 5 ? lr : lr * 0.9)
 * new LearningRateScheduler(new CosineAnnealingLR(opt, 10, 0.0))
 * }</pre>
 */
public final class LearningRateScheduler implements Callback {
    /** The lr of an epoch, given the epoch (0-based) and the current lr of group 0. */
    @FunctionalInterface
    public interface Schedule {
        double lr(int epoch, double currentLr);
    }

    private final Schedule schedule;
    private final LrScheduler scheduler;
    private TrainContext ctx;

    public LearningRateScheduler(Schedule schedule) {
        this.schedule = schedule;
        this.scheduler = null;
    }

    public LearningRateScheduler(LrScheduler scheduler) {
        this.schedule = null;
        this.scheduler = scheduler;
    }

    @Override
    public void setContext(TrainContext context) {
        this.ctx = context;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        if (schedule != null) {
            double lr = schedule.lr(epoch, ctx.optimizer().lr());
            if (!(lr >= 0) || Double.isInfinite(lr)) {
                throw new IllegalStateException("LearningRateScheduler: epoch " + epoch + ": schedule returned lr " + lr
                        + ": expected a finite value >= 0");
            }
            ctx.optimizer().setLr(lr);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (scheduler != null) {
            scheduler.step();
        }
    }

    @Override
    public void saveState(Map<String, String> state) {
        if (scheduler != null) {
            StateStrings.encode("", scheduler.stateDict(), state);
        }
    }

    @Override
    public void loadState(Map<String, String> state) {
        if (scheduler != null && !state.isEmpty()) {
            scheduler.loadStateDict(StateStrings.decode("", state));
        }
    }
}
