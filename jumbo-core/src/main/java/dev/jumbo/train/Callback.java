package dev.jumbo.train;

import java.util.Map;

/**
 * Hooks into {@link Trainer#fit}, shaped like Keras callbacks. Every method has an empty default;
 * {@code logs} is a mutable {@code Map<String, Double>} that earlier callbacks may read and add to.
 *
 * <p>Order within one fit: {@link #setContext} on every callback (stateful callbacks reset here),
 * then a {@link BackupAndRestore} restores its checkpoint (and every callback's {@link #loadState}),
 * then {@code onTrainBegin}; per epoch {@code onEpochBegin}, per batch {@code onBatchBegin} /
 * {@code onBatchEnd} (logs: {@code batch}, {@code size}, {@code batch_loss} and the epoch's running
 * {@code loss} and {@code accuracy}), then {@code onEpochEnd} (logs: {@code loss}, {@code accuracy},
 * {@code lr}, {@code time_s}, {@code images_per_s} and, with a validation loader, {@code val_loss},
 * {@code val_accuracy}, {@code val_top5_accuracy}); finally {@code onTrainEnd}. A callback stops
 * training with {@code context.stopTraining(reason)}: at a batch end the epoch is abandoned
 * (no {@code onEpochEnd} for a partial epoch), at an epoch end no further epoch starts.
 *
 * <pre>{@code
 * Callback printer = new Callback() {
 *     public void onEpochEnd(int epoch, Map<String, Double> logs) {
 *         System.out.println(epoch + " " + logs.get("val_accuracy"));
 *     }
 * };
 * trainer.fit(model, train, val, 10, printer, new EarlyStopping("val_loss", 0, 3));
 * }</pre>
 */
public interface Callback {

    /** Called first in every fit, before any other hook: the run's model, optimizer and controls. */
    default void setContext(TrainContext context) {}

    default void onTrainBegin(Map<String, Double> logs) {}

    default void onTrainEnd(Map<String, Double> logs) {}

    default void onEpochBegin(int epoch, Map<String, Double> logs) {}

    default void onEpochEnd(int epoch, Map<String, Double> logs) {}

    default void onBatchBegin(int batch, Map<String, Double> logs) {}

    default void onBatchEnd(int batch, Map<String, Double> logs) {}

    /** Adds this callback's resumable state (counters, best values) to {@code state}; saved by {@link BackupAndRestore}. */
    default void saveState(Map<String, String> state) {}

    /** Restores what {@link #saveState} wrote (called after {@link #setContext}, before {@code onTrainBegin}). */
    default void loadState(Map<String, String> state) {}
}
