package dev.jumbo.optim;

import java.util.Arrays;

/**
 * The 1cycle policy (Smith and Topin 2018) as PyTorch's {@code OneCycleLR} (two phases, cosine
 * annealing): the lr rises from {@code maxLr / divFactor} to {@code maxLr} over the first
 * {@code pctStart} of {@code totalSteps}, then falls to {@code initial / finalDivFactor}. With
 * momentum cycling the momentum ({@code beta1} for Adam-style optimizers) moves the opposite way
 * between {@code maxMomentum} and {@code baseMomentum}. Step once per batch.
 *
 * <pre>{@code
 * var sched = OneCycleLR.builder(0.1, epochs * batchesPerEpoch).build(opt); // PyTorch's defaults
 * }</pre>
 */
public final class OneCycleLR extends EpochLrScheduler {
    private final double[] maxLrs;
    private final int totalSteps;
    private final double phase1End;
    private final double finalDivFactor;
    private final boolean cycleMomentum;
    private final double baseMomentum;
    private final double maxMomentum;
    private final String momentumKey;

    /** Options with PyTorch's defaults: pctStart 0.3, divFactor 25, finalDivFactor 1e4, momentum 0.85-0.95. */
    public static final class Builder {
        private final double[] maxLrs;
        private final int totalSteps;
        private double pctStart = 0.3;
        private double divFactor = 25;
        private double finalDivFactor = 1e4;
        private boolean cycleMomentum = true;
        private double baseMomentum = 0.85;
        private double maxMomentum = 0.95;

        Builder(double[] maxLrs, int totalSteps) {
            this.maxLrs = maxLrs.clone();
            this.totalSteps = totalSteps;
        }

        public Builder pctStart(double v) {
            pctStart = v;
            return this;
        }

        public Builder divFactor(double v) {
            divFactor = v;
            return this;
        }

        public Builder finalDivFactor(double v) {
            finalDivFactor = v;
            return this;
        }

        /** Momentum cycling between {@code base} and {@code max}; {@code cycleMomentum(false)} turns it off. */
        public Builder momentum(double base, double max) {
            baseMomentum = base;
            maxMomentum = max;
            return this;
        }

        public Builder cycleMomentum(boolean on) {
            cycleMomentum = on;
            return this;
        }

        public OneCycleLR build(Optimizer optimizer) {
            return new OneCycleLR(optimizer, this);
        }
    }

    /** One peak lr for every group. */
    public static Builder builder(double maxLr, int totalSteps) {
        return new Builder(new double[] {maxLr}, totalSteps);
    }

    /** One peak lr per group. */
    public static Builder builder(double[] maxLrs, int totalSteps) {
        return new Builder(maxLrs, totalSteps);
    }

    private OneCycleLR(Optimizer optimizer, Builder b) {
        super("OneCycleLR", optimizer);
        int groups = baseLrs.length;
        positive("OneCycleLR", "totalSteps", b.totalSteps);
        if (!(b.pctStart >= 0 && b.pctStart <= 1)) {
            throw new IllegalArgumentException("OneCycleLR: pctStart = " + b.pctStart + ": expected 0 <= pctStart <= 1");
        }
        if (b.maxLrs.length != 1 && b.maxLrs.length != groups) {
            throw new IllegalArgumentException("OneCycleLR: " + b.maxLrs.length + " max learning rates for "
                    + groups + " param groups: expected 1 or " + groups);
        }
        this.maxLrs = b.maxLrs.length == groups ? b.maxLrs : fill(b.maxLrs[0], groups);
        this.totalSteps = b.totalSteps;
        this.phase1End = b.pctStart * b.totalSteps - 1;
        this.finalDivFactor = b.finalDivFactor;
        this.cycleMomentum = b.cycleMomentum;
        this.baseMomentum = b.baseMomentum;
        this.maxMomentum = b.maxMomentum;
        ParamGroup g0 = optimizer.paramGroups().get(0);
        this.momentumKey = g0.has("beta1") ? "beta1" : "momentum";
        if (cycleMomentum && !g0.has(momentumKey)) {
            throw new IllegalArgumentException("OneCycleLR: momentum cycling needs an optimizer with a momentum or "
                    + "beta1 option: use cycleMomentum(false)");
        }
        for (int i = 0; i < groups; i++) {
            baseLrs[i] = maxLrs[i] / b.divFactor;
            optimizer.paramGroups().get(i).set("initial_lr", baseLrs[i]);
        }
        start();
    }

    private static double[] fill(double v, int n) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    @Override
    public void step() {
        if (lastEpoch() + 1 > totalSteps) {
            throw new IllegalStateException("OneCycleLR: step " + (lastEpoch() + 1) + " past the schedule: expected at most "
                    + totalSteps + " steps (totalSteps)");
        }
        super.step();
    }

    @Override
    protected double lrAt(int group, int epoch) {
        double initial = baseLrs[group];
        double min = initial / finalDivFactor;
        return epoch <= phase1End ? anneal(initial, maxLrs[group], phase1Pct(epoch))
                : anneal(maxLrs[group], min, phase2Pct(epoch));
    }

    @Override
    protected void apply() {
        super.apply();
        if (!cycleMomentum) {
            return;
        }
        int epoch = lastEpoch();
        double m = epoch <= phase1End ? anneal(maxMomentum, baseMomentum, phase1Pct(epoch))
                : anneal(baseMomentum, maxMomentum, phase2Pct(epoch));
        for (ParamGroup g : optimizer.paramGroups()) {
            g.set(momentumKey, m);
        }
    }

    /** Progress through the warm-up phase; a phase ending at step 0 is complete there (PyTorch divides by 0). */
    private double phase1Pct(int epoch) {
        return phase1End <= 0 ? 1 : epoch / phase1End;
    }

    private double phase2Pct(int epoch) {
        double span = totalSteps - 1 - phase1End;
        return span <= 0 ? 1 : (epoch - phase1End) / span;
    }

    /** Cosine from {@code start} (pct 0) to {@code end} (pct 1). */
    private static double anneal(double start, double end, double pct) {
        return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    }
}
