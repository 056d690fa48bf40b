package dev.jumbo.train;

import dev.jumbo.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when {@code monitor} has not improved by more than {@code minDelta} for
 * {@code patience} epochs (Keras semantics). With {@code restoreBestWeights} the model's weights
 * (parameters and buffers) of the best epoch are copied back when training ends.
 *
 * <pre>{@code
 * new EarlyStopping("val_loss", 1e-4, 3)                                  // mode auto: min for a loss
 * new EarlyStopping("val_accuracy", 0, 5, "max", true)                    // and restore the best weights
 * }</pre>
 *
 * <p>After a resume the counters continue (they are saved by {@link BackupAndRestore}), but the
 * best weights kept in memory are not: restoring them then needs a new best epoch after the resume.
 */
public final class EarlyStopping implements Callback {
    private final Monitor monitor;
    private final int patience;
    private final boolean restoreBestWeights;
    private TrainContext ctx;
    private int wait;
    private int bestEpoch = -1;
    private int stoppedEpoch = -1;
    private Map<String, float[]> bestWeights;

    public EarlyStopping(String monitor, double minDelta, int patience) {
        this(monitor, minDelta, patience, "auto", false);
    }

    public EarlyStopping(String monitor, double minDelta, int patience, String mode, boolean restoreBestWeights) {
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience " + patience + ": expected >= 0");
        }
        this.monitor = new Monitor("EarlyStopping", monitor, mode, minDelta);
        this.patience = patience;
        this.restoreBestWeights = restoreBestWeights;
    }

    @Override
    public void setContext(TrainContext context) {
        this.ctx = context;
        monitor.reset();
        wait = 0;
        bestEpoch = -1;
        stoppedEpoch = -1;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        double v = monitor.value("EarlyStopping", logs);
        if (monitor.improves(v)) {
            monitor.best = v;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) {
                bestWeights = snapshot(ctx.model().stateDict());
            }
            return;
        }
        wait++;
        if (wait >= patience) {
            stoppedEpoch = epoch;
            ctx.stopTraining("EarlyStopping: " + monitor.key + " did not improve on " + monitor.best + " (epoch "
                    + (bestEpoch + 1) + ") for " + wait + " epochs");
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (restoreBestWeights && bestWeights != null) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            ctx.model().stateDict().forEach((k, t) -> {
                float[] w = bestWeights.get(k);
                if (w != null) {
                    state.put(k, Tensor.of(w, t.shape()));
                }
            });
            ctx.model().loadStateDict(state, false);
        }
    }

    private static Map<String, float[]> snapshot(Map<String, Tensor> state) {
        Map<String, float[]> out = new LinkedHashMap<>();
        state.forEach((k, t) -> {
            if (t.isFloat()) {
                out.put(k, t.toFloatArray());
            }
        });
        return out;
    }

    /** The epoch with the best monitored value so far (0-based), or -1. */
    public int bestEpoch() {
        return bestEpoch;
    }

    public double best() {
        return monitor.best;
    }

    /** The epoch at which this callback stopped training, or -1. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    @Override
    public void saveState(Map<String, String> state) {
        monitor.save("", state);
        state.put("wait", Integer.toString(wait));
        state.put("best_epoch", Integer.toString(bestEpoch));
    }

    @Override
    public void loadState(Map<String, String> state) {
        monitor.load("", state);
        wait = Integer.parseInt(state.getOrDefault("wait", "0"));
        bestEpoch = Integer.parseInt(state.getOrDefault("best_epoch", "-1"));
    }
}
