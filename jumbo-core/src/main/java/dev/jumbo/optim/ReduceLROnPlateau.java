package dev.jumbo.optim;

import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces the learning rates by {@code factor} when a monitored metric has stopped improving for
 * more than {@code patience} steps, as PyTorch's {@code ReduceLROnPlateau}: "better" is
 * {@code metric < best * (1 - threshold)} (mode min, relative threshold), {@code < best - threshold}
 * (absolute), and the mirror images for mode max; after a reduction {@code cooldown} steps pass
 * before bad steps count again; no lr goes below {@code minLr}, and a change smaller than
 * {@code eps} is skipped. The best value is kept at float32 precision so that a restored state
 * compares exactly as the original did.
 *
 * <pre>{@code
 * var plateau = ReduceLROnPlateau.builder().patience(2).factor(0.5).build(opt);
 * plateau.step(validationLoss); // once per epoch
 * }</pre>
 */
public final class ReduceLROnPlateau implements LrScheduler {
    private final Optimizer optimizer;
    private final boolean maximize;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final boolean relative;
    private final int cooldown;
    private final double[] minLrs;
    private final double eps;
    private float best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;

    /** PyTorch's defaults: mode min, factor 0.1, patience 10, threshold 1e-4 relative, no cooldown, minLr 0. */
    public static final class Builder {
        private boolean maximize;
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private boolean relative = true;
        private int cooldown;
        private double minLr;
        private double eps = 1e-8;

        /** "min" (a loss) or "max" (an accuracy). */
        public Builder mode(String mode) {
            if (!mode.equals("min") && !mode.equals("max")) {
                throw new IllegalArgumentException("ReduceLROnPlateau: mode '" + mode + "': expected min or max");
            }
            maximize = mode.equals("max");
            return this;
        }

        public Builder factor(double v) {
            factor = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        /** The improvement threshold; {@code mode} "rel" (relative) or "abs". */
        public Builder threshold(double v, String mode) {
            if (!mode.equals("rel") && !mode.equals("abs")) {
                throw new IllegalArgumentException("ReduceLROnPlateau: threshold mode '" + mode + "': expected rel or abs");
            }
            threshold = v;
            relative = mode.equals("rel");
            return this;
        }

        public Builder cooldown(int v) {
            cooldown = v;
            return this;
        }

        public Builder minLr(double v) {
            minLr = v;
            return this;
        }

        public Builder eps(double v) {
            eps = v;
            return this;
        }

        public ReduceLROnPlateau build(Optimizer optimizer) {
            return new ReduceLROnPlateau(optimizer, this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private ReduceLROnPlateau(Optimizer optimizer, Builder b) {
        if (!(b.factor < 1 && b.factor >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: factor = " + b.factor + ": expected 0 <= factor < 1");
        }
        if (b.patience < 0 || b.cooldown < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience = " + b.patience + ", cooldown = "
                    + b.cooldown + ": expected both >= 0");
        }
        this.optimizer = optimizer;
        this.maximize = b.maximize;
        this.factor = b.factor;
        this.patience = b.patience;
        this.threshold = b.threshold;
        this.relative = b.relative;
        this.cooldown = b.cooldown;
        this.eps = b.eps;
        this.minLrs = new double[optimizer.paramGroups().size()];
        java.util.Arrays.fill(minLrs, b.minLr);
        this.best = maximize ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    }

    /** Not used: this schedule needs the monitored metric, see {@link #step(double)}. */
    @Override
    public void step() {
        throw new IllegalStateException("ReduceLROnPlateau.step: needs the monitored metric: call step(metric)");
    }

    /** Records one value of the monitored metric (e.g. the validation loss after an epoch). */
    public void step(double metric) {
        float current = (float) metric;
        lastEpoch++;
        if (isBetter(current)) {
            best = current;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            List<ParamGroup> groups = optimizer.paramGroups();
            for (int i = 0; i < groups.size(); i++) {
                double old = groups.get(i).lr();
                double lr = Math.max(old * factor, minLrs[i]);
                if (old - lr > eps) {
                    groups.get(i).lr(lr);
                }
            }
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
    }

    private boolean isBetter(float a) {
        if (maximize) {
            return relative ? a > best * (threshold + 1) : a > best + threshold;
        }
        return relative ? a < best * (1 - threshold) : a < best - threshold;
    }

    /** The best metric seen so far. */
    public float best() {
        return best;
    }

    public int numBadEpochs() {
        return numBadEpochs;
    }

    @Override
    public double[] lastLr() {
        double[] out = new double[minLrs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = optimizer.lr(i);
        }
        return out;
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("best", Tensor.scalar(best));
        out.put("num_bad_epochs", Tensor.ofInts(new int[] {numBadEpochs}));
        out.put("cooldown_counter", Tensor.ofInts(new int[] {cooldownCounter}));
        out.put("last_epoch", Tensor.ofInts(new int[] {lastEpoch}));
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        for (String k : new String[] {"best", "num_bad_epochs", "cooldown_counter", "last_epoch"}) {
            if (!state.containsKey(k)) {
                throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: missing '" + k + "' in "
                        + state.keySet());
            }
        }
        best = state.get("best").item();
        numBadEpochs = state.get("num_bad_epochs").getInt();
        cooldownCounter = state.get("cooldown_counter").getInt();
        lastEpoch = state.get("last_epoch").getInt();
    }
}
