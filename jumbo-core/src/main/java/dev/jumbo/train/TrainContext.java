package dev.jumbo.train;

import dev.jumbo.nn.Module;
import dev.jumbo.optim.LrScheduler;
import dev.jumbo.optim.Optimizer;
import dev.jumbo.tensor.Rng;
import java.util.List;

/**
 * What callbacks see of a running {@link Trainer#fit}: the model, optimizer, scheduler, the
 * position (epoch, batch), the running metrics of the current epoch, and the controls to stop
 * training or (for {@link BackupAndRestore}) to resume at a saved position.
 */
public final class TrainContext {
    private final Trainer trainer;
    private final Module model;
    private final int epochs;
    private final int batchesPerEpoch;
    private final int batchSize;
    private final List<Callback> callbacks;
    private Rng rng;
    int epoch;
    int batch;
    long globalStep;
    int startEpoch;
    int startBatch;
    /** Running sums of the current epoch: loss * examples, examples, correct predictions. */
    double lossSum;
    long seen;
    long correct;
    private String stopReason;

    TrainContext(Trainer trainer, Module model, int epochs, int batchesPerEpoch, int batchSize, List<Callback> callbacks) {
        this.trainer = trainer;
        this.model = model;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.batchSize = batchSize;
        this.callbacks = List.copyOf(callbacks);
        this.rng = new Rng(trainer.seed());
    }

    public Trainer trainer() {
        return trainer;
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return trainer.optimizer();
    }

    /** The trainer's scheduler, or null. */
    public LrScheduler scheduler() {
        return trainer.scheduler();
    }

    /** The run's generator, seeded from the trainer's seed (for augmentation or sampling in callbacks); saved by backups. */
    public Rng rng() {
        return rng;
    }

    void rng(Rng r) {
        this.rng = r;
    }

    /** Epochs this fit runs to (exclusive end). */
    public int epochs() {
        return epochs;
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The callbacks of this fit, in order (the trainer's History first). */
    public List<Callback> callbacks() {
        return callbacks;
    }

    /** The current epoch (0-based). */
    public int epoch() {
        return epoch;
    }

    /** Batches of the current epoch completed so far. */
    public int batch() {
        return batch;
    }

    /** Optimizer steps taken in this run, across epochs (and across a resume). */
    public long globalStep() {
        return globalStep;
    }

    /** Where this fit started: 0/0, or the position a {@link BackupAndRestore} resumed at. */
    public int startEpoch() {
        return startEpoch;
    }

    public int startBatch() {
        return startBatch;
    }

    /** Whether this fit continues a saved run. */
    public boolean resumed() {
        return startEpoch > 0 || startBatch > 0;
    }

    /** Asks the trainer to stop; see {@link Callback} for when it takes effect. */
    public void stopTraining(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    public boolean stopRequested() {
        return stopReason != null;
    }

    /** Why training stopped early, or null. */
    public String stopReason() {
        return stopReason;
    }

    /**
     * Continues at {@code epoch}, after {@code batch} of its batches, with the epoch's running sums
     * so far; called by {@link BackupAndRestore} before {@code onTrainBegin}.
     */
    void resumeAt(int epoch, int batch, long globalStep, double lossSum, long seen, long correct) {
        this.startEpoch = epoch;
        this.startBatch = batch;
        this.epoch = epoch;
        this.batch = batch;
        this.globalStep = globalStep;
        this.lossSum = lossSum;
        this.seen = seen;
        this.correct = correct;
    }
}
