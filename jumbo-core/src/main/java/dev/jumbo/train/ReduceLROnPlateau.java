package dev.jumbo.train;

import java.util.Map;

/**
 * Lowers the learning rate when {@code monitor} stops improving: the callback face of
 * {@link dev.jumbo.optim.ReduceLROnPlateau} (PyTorch semantics: factor, patience, threshold,
 * cooldown, min lr), stepped with the monitored value at each epoch end.
 *
 * <pre>{@code
 * new ReduceLROnPlateau("val_loss", 0.5, 2, 1e-5)
 * new ReduceLROnPlateau("val_accuracy", dev.jumbo.optim.ReduceLROnPlateau.builder().mode("max").factor(0.2).cooldown(1))
 * }</pre>
 */
public final class ReduceLROnPlateau implements Callback {
    private final String monitor;
    private final dev.jumbo.optim.ReduceLROnPlateau.Builder options;
    private dev.jumbo.optim.ReduceLROnPlateau scheduler;

    /** Keras' shape: mode from the monitor's name (max for accuracies), factor, patience, min lr. */
    public ReduceLROnPlateau(String monitor, double factor, int patience, double minLr) {
        this(monitor, dev.jumbo.optim.ReduceLROnPlateau.builder()
                .mode(new Monitor("ReduceLROnPlateau", monitor, "auto", 0).max ? "max" : "min")
                .factor(factor).patience(patience).minLr(minLr));
    }

    public ReduceLROnPlateau(String monitor, dev.jumbo.optim.ReduceLROnPlateau.Builder options) {
        this.monitor = monitor;
        this.options = options;
    }

    @Override
    public void setContext(TrainContext context) {
        scheduler = options.build(context.optimizer());
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null) {
            throw new IllegalStateException("ReduceLROnPlateau: monitor '" + monitor + "' is not in the epoch logs "
                    + logs.keySet());
        }
        scheduler.step(v);
    }

    /** The wrapped scheduler of the current fit. */
    public dev.jumbo.optim.ReduceLROnPlateau scheduler() {
        return scheduler;
    }

    @Override
    public void saveState(Map<String, String> state) {
        StateStrings.encode("", scheduler.stateDict(), state);
    }

    @Override
    public void loadState(Map<String, String> state) {
        if (!state.isEmpty()) {
            scheduler.loadStateDict(StateStrings.decode("", state));
        }
    }
}
