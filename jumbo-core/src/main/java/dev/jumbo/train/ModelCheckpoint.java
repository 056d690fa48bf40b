package dev.jumbo.train;

import dev.jumbo.nn.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Saves the model as a model directory ({@code spec.json} + {@code model.safetensors}, replaced
 * atomically through {@link dev.jumbo.io.ModelDirectory}) at the end of each epoch, or only when
 * {@code monitor} improves ({@code saveBestOnly}). A {@code {epoch}} in the directory name is
 * replaced by the 1-based epoch number (e.g. {@code checkpoints/epoch-{epoch}}).
 *
 * <pre>{@code
 * new ModelCheckpoint(runDir.resolve("best"), "val_accuracy", true)    // keeps the best epoch's model
 * }</pre>
 *
 * An epoch whose monitored value is NaN is never saved as best, and an epoch abandoned by a stop
 * request (e.g. {@link TerminateOnNaN}) has no epoch end, so the last good directory stays intact.
 */
public final class ModelCheckpoint implements Callback {
    private final Path dir;
    private final Monitor monitor;
    private final boolean saveBestOnly;
    private List<String> classNames = List.of();
    private TrainContext ctx;
    private int savedEpoch = -1;

    public ModelCheckpoint(Path dir, String monitor, boolean saveBestOnly) {
        this(dir, monitor, saveBestOnly, "auto");
    }

    public ModelCheckpoint(Path dir, String monitor, boolean saveBestOnly, String mode) {
        this.dir = dir;
        this.monitor = new Monitor("ModelCheckpoint", monitor, mode, 0);
        this.saveBestOnly = saveBestOnly;
    }

    /** Class names saved beside the weights (classes.txt), for {@code jumbo predict}. */
    public ModelCheckpoint classNames(List<String> names) {
        this.classNames = List.copyOf(names);
        return this;
    }

    @Override
    public void setContext(TrainContext context) {
        this.ctx = context;
        monitor.reset();
        savedEpoch = -1;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (saveBestOnly) {
            double v = monitor.value("ModelCheckpoint", logs);
            if (!monitor.improves(v)) {
                return;
            }
            monitor.best = v;
        }
        Path target = dir.resolveSibling(dir.getFileName().toString().replace("{epoch}", Integer.toString(epoch + 1)));
        try {
            Model.save(target, ctx.model(), classNames);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: writing " + target + ": " + e.getMessage(), e);
        }
        savedEpoch = epoch;
    }

    /** The last epoch saved (0-based), or -1. */
    public int savedEpoch() {
        return savedEpoch;
    }

    /** The best monitored value so far. */
    public double best() {
        return monitor.best;
    }

    @Override
    public void saveState(Map<String, String> state) {
        monitor.save("", state);
        state.put("saved_epoch", Integer.toString(savedEpoch));
    }

    @Override
    public void loadState(Map<String, String> state) {
        monitor.load("", state);
        savedEpoch = Integer.parseInt(state.getOrDefault("saved_epoch", "-1"));
    }
}
