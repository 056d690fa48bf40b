package dev.jumbo.optim;

import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schedule whose lr is a closed-form function of the step count and each group's base lr (the
 * formulas of the PyTorch docs), so that restoring {@code last_epoch} restores the schedule exactly.
 * The base lr is the group's {@code initial_lr} if an earlier scheduler recorded one, else its lr.
 */
public abstract class EpochLrScheduler implements LrScheduler {
    protected final Optimizer optimizer;
    protected final double[] baseLrs;
    private final String name;
    private int lastEpoch = -1;

    protected EpochLrScheduler(String name, Optimizer optimizer) {
        this.name = name;
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup g = groups.get(i);
            if (!g.has("initial_lr")) {
                g.set("initial_lr", g.lr());
            }
            baseLrs[i] = g.get("initial_lr");
        }
    }

    /** The lr of group {@code group} at step {@code epoch} (>= 0). */
    protected abstract double lrAt(int group, int epoch);

    /** Subclasses call this last in their constructor: PyTorch's initial step to epoch 0. */
    protected final void start() {
        step();
    }

    @Override
    public void step() {
        lastEpoch++;
        apply();
    }

    /** Sets every group's lr (and anything else the schedule drives) for {@link #lastEpoch()}. */
    protected void apply() {
        for (int i = 0; i < baseLrs.length; i++) {
            optimizer.setLr(i, lrAt(i, lastEpoch));
        }
    }

    /** Steps taken since epoch 0 (0 right after construction). */
    public int lastEpoch() {
        return lastEpoch;
    }

    @Override
    public double[] lastLr() {
        double[] out = new double[baseLrs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = optimizer.lr(i);
        }
        return out;
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("last_epoch", Tensor.ofInts(new int[] {lastEpoch}));
        float[] b = new float[baseLrs.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) baseLrs[i];
        }
        out.put("base_lrs", Tensor.of(b, b.length));
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        Tensor e = state.get("last_epoch");
        Tensor b = state.get("base_lrs");
        if (e == null || b == null) {
            throw new IllegalArgumentException(name + ".loadStateDict: keys " + state.keySet()
                    + ": expected last_epoch and base_lrs");
        }
        if (b.numel() != baseLrs.length) {
            throw new IllegalArgumentException(name + ".loadStateDict: base_lrs has " + b.numel()
                    + " values: expected " + baseLrs.length + " (one per param group)");
        }
        for (int i = 0; i < baseLrs.length; i++) {
            baseLrs[i] = b.get(i);
        }
        lastEpoch = e.getInt();
        apply();
    }

    static void positive(String name, String option, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(name + ": " + option + " = " + v + ": expected > 0");
        }
    }
}
