package dev.jumbo.optim;

import dev.jumbo.tensor.Tensor;
import java.util.Map;

/**
 * Drives the learning rates of an {@link Optimizer}'s parameter groups, with PyTorch's semantics:
 * building a scheduler sets the lr for step 0, and each {@link #step()} (once per epoch or per
 * batch, as the schedule was sized) moves to the next. State is a small {@code Map<String, Tensor>}
 * that a checkpoint holds beside the optimizer's.
 *
 * <pre>{@code
 * LrScheduler sched = LrScheduler.warmupCosine(opt, 500, 10_000, 1e-5);
 * for (...) { loss.backward(); opt.step(); opt.zeroGrad(); sched.step(); }
 * }</pre>
 */
public interface LrScheduler {

    /** Advances the schedule by one step and sets the groups' learning rates. */
    void step();

    /** The learning rate of each group as last set by this scheduler. */
    double[] lastLr();

    /** The scheduler's state (counters, base learning rates, best metric...). */
    Map<String, Tensor> stateDict();

    /** Restores {@link #stateDict()} and sets the groups' learning rates accordingly. */
    void loadStateDict(Map<String, Tensor> state);

    /**
     * Linear warm-up from 0 to each group's lr over {@code warmupSteps}, then a half cosine down to
     * {@code minLr} at {@code totalSteps} (held there afterwards); Hugging Face's
     * {@code get_cosine_with_min_lr_schedule_with_warmup} with an absolute minimum.
     */
    static LrScheduler warmupCosine(Optimizer optimizer, int warmupSteps, int totalSteps, double minLr) {
        return new WarmupCosineLR(optimizer, warmupSteps, totalSteps, minLr);
    }
}
