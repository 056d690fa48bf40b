package dev.jumbo.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the whole training state (model, optimizer, scheduler, position, running metrics, RNG
 * states, callback states) to {@code <dir>/backup.safetensors} atomically at the end of each
 * epoch and, with {@code everyBatches > 0}, every that many optimizer steps; with {@code resume}
 * a later fit restores it and continues from the saved batch. Batches are a pure function of
 * (loader seed, epoch, index), so the resumed run skips the batches already trained on and ends
 * with bit-identical weights to an uninterrupted run (same thread count).
 *
 * <pre>{@code
 * trainer.fit(model, train, val, 10, new BackupAndRestore(runDir.resolve("checkpoints"), 200, true));
 * // killed mid-epoch; the same call again continues where the last backup left off
 * }</pre>
 *
 * <p>A backup is never written once the loss is NaN or infinite or training was asked to stop
 * in the middle of an epoch, so the last good state stays on disk. The backup is kept after
 * training ends (resuming a finished run does nothing; with more epochs it continues). The trainer
 * runs this callback after all others, so the callback states it saves include the current epoch.
 */
public final class BackupAndRestore implements Callback {
    public static final String FILE = "backup.safetensors";

    private final Path dir;
    private final int everyBatches;
    private final boolean resume;
    private TrainContext ctx;
    private boolean restored;

    public BackupAndRestore(Path dir, int everyBatches, boolean resume) {
        if (everyBatches < 0) {
            throw new IllegalArgumentException("BackupAndRestore: everyBatches " + everyBatches + ": expected >= 0 (0: epoch ends only)");
        }
        this.dir = dir;
        this.everyBatches = everyBatches;
        this.resume = resume;
    }

    /** The backup file. */
    public Path file() {
        return dir.resolve(FILE);
    }

    /** Whether the last fit continued from a backup. */
    public boolean restored() {
        return restored;
    }

    @Override
    public void setContext(TrainContext context) {
        this.ctx = context;
        this.restored = false;
    }

    /** Called by the trainer after every callback's setContext and before onTrainBegin. */
    void restore() {
        try {
            Files.createDirectories(dir);
            removeStaleTemps();
            if (resume && Files.isRegularFile(file())) {
                TrainingCheckpoint.restore(file(), ctx);
                restored = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore: " + file() + ": " + e.getMessage(), e);
        }
    }

    /** Temp files of a write that was killed before its rename (AtomicFiles names them .<name>.<hex>.tmp). */
    private void removeStaleTemps() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "." + FILE + ".*.tmp")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        if (everyBatches > 0 && ctx.globalStep() % everyBatches == 0 && healthy(logs.get("batch_loss"))) {
            save(ctx.epoch(), ctx.batch(), ctx.lossSum, ctx.seen, ctx.correct);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss != null && Double.isFinite(loss)) {
            save(epoch + 1, 0, 0, 0, 0);
        }
    }

    private boolean healthy(Double loss) {
        return !ctx.stopRequested() && loss != null && Double.isFinite(loss);
    }

    private void save(int epoch, int batch, double lossSum, long seen, long correct) {
        try {
            TrainingCheckpoint.save(file(), ctx, epoch, batch, lossSum, seen, correct);
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore: writing " + file() + ": " + e.getMessage(), e);
        }
    }
}
