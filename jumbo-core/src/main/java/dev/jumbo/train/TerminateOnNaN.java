package dev.jumbo.train;

import java.util.Map;

/**
 * Stops training at the first batch whose loss is NaN or infinite. The epoch is abandoned, so no
 * epoch-end checkpoint is written and {@link BackupAndRestore} skips the bad batch: the last good
 * checkpoint stays as it was.
 *
 * <pre>{@code
 * trainer.fit(model, train, val, 10, new TerminateOnNaN(), new ModelCheckpoint(dir, "val_loss", true));
 * }</pre>
 */
public final class TerminateOnNaN implements Callback {
    private TrainContext ctx;
    private int badEpoch = -1;
    private int badBatch = -1;

    @Override
    public void setContext(TrainContext context) {
        this.ctx = context;
        badEpoch = -1;
        badBatch = -1;
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        Double loss = logs.get("batch_loss");
        if (loss != null && !Double.isFinite(loss)) {
            badEpoch = ctx.epoch();
            badBatch = batch;
            ctx.stopTraining("TerminateOnNaN: loss " + loss + " at epoch " + (ctx.epoch() + 1) + ", batch " + (batch + 1));
        }
    }

    /** Whether the last fit was stopped by a non-finite loss. */
    public boolean terminated() {
        return badBatch >= 0;
    }

    /** The epoch (0-based) of the bad batch, or -1. */
    public int badEpoch() {
        return badEpoch;
    }

    /** The batch (0-based within its epoch) whose loss was not finite, or -1. */
    public int badBatch() {
        return badBatch;
    }
}
