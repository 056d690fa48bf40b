package dev.jumbo.train;

import java.io.PrintStream;
import java.util.Map;

/**
 * Training progress on stderr. On a terminal one line per epoch is redrawn in place with
 * {@code \r} (at most ten times a second): bar, batches done, ETA, images/s, running loss and
 * accuracy; when stderr is not a terminal (a log file, CI) it prints plain lines, one every ten
 * seconds and one per epoch end, which also shows the validation metrics.
 *
 * <pre>{@code
 * Epoch 3/10 [=============>                ] 412/938  ETA 0:07  9,812 img/s  loss 0.3121  acc 0.8874
 * Epoch 3/10  938/938  6.4s  9,790 img/s  loss 0.3050  acc 0.8901  val_loss 0.3302  val_acc 0.8812
 * }</pre>
 */
public final class ProgressBar implements Callback {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private TrainContext ctx;
    private long epochStart;
    private long lastDraw;
    private long images;
    private int firstBatch;
    private int lastLength;

    /** On {@code System.err}, redrawing when it is a terminal. */
    public ProgressBar() {
        this(System.err, System.console() != null && System.console().isTerminal());
    }

    public ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void setContext(TrainContext context) {
        this.ctx = context;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        epochStart = System.nanoTime();
        lastDraw = epochStart;
        images = 0;
        firstBatch = ctx.batch() < ctx.batchesPerEpoch() && epoch == ctx.startEpoch() ? ctx.startBatch() : 0;
        lastLength = 0;
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        images += logs.getOrDefault("size", 0.0).longValue();
        long now = System.nanoTime();
        long gap = terminal ? 100_000_000L : 10_000_000_000L;
        if (now - lastDraw < gap) {
            return;
        }
        lastDraw = now;
        int done = batch + 1;
        int total = ctx.batchesPerEpoch();
        double secs = (now - epochStart) / 1e9;
        double perBatch = secs / Math.max(1, done - firstBatch);
        double eta = perBatch * (total - done);
        StringBuilder sb = new StringBuilder(head());
        int fill = (int) ((long) WIDTH * done / Math.max(1, total));
        sb.append(" [").append("=".repeat(Math.max(0, fill - 1))).append(fill > 0 ? ">" : "")
                .append(" ".repeat(WIDTH - fill)).append("] ");
        sb.append(done).append('/').append(total).append("  ETA ").append(clock(eta));
        sb.append(String.format("  %,.0f img/s  loss %.4f  acc %.4f", images / Math.max(secs, 1e-9),
                logs.getOrDefault("loss", Double.NaN), logs.getOrDefault("accuracy", Double.NaN)));
        emit(sb.toString(), false);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        StringBuilder sb = new StringBuilder(head());
        sb.append(String.format("  %d/%d  %.1fs  %,.0f img/s  loss %.4f  acc %.4f", ctx.batchesPerEpoch(),
                ctx.batchesPerEpoch(), logs.getOrDefault("time_s", 0.0), logs.getOrDefault("images_per_s", 0.0),
                logs.getOrDefault("loss", Double.NaN), logs.getOrDefault("accuracy", Double.NaN)));
        if (logs.containsKey("val_loss")) {
            sb.append(String.format("  val_loss %.4f  val_acc %.4f", logs.get("val_loss"),
                    logs.getOrDefault("val_accuracy", Double.NaN)));
        }
        emit(sb.toString(), true);
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (ctx.stopRequested()) {
            emit("stopped: " + ctx.stopReason(), true);
        }
    }

    private String head() {
        return "Epoch " + (ctx.epoch() + 1) + "/" + ctx.epochs();
    }

    private void emit(String line, boolean end) {
        if (terminal) {
            String pad = " ".repeat(Math.max(0, lastLength - line.length()));
            out.print("\r" + line + pad + (end ? "\n" : ""));
            lastLength = end ? 0 : line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    private static String clock(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
