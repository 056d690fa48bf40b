package dev.jumbo.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link CsvLogger} and {@link JsonLogger} share: one row of logs per epoch, kept across a
 * resume, and the whole file rewritten atomically after each epoch in the subclass's format.
 */
abstract class EpochFileLogger implements Callback {
    private final Path file;
    private final boolean json;
    private final EpochRows rows = new EpochRows();
    private TrainContext ctx;

    EpochFileLogger(Path file, boolean json) {
        this.file = file;
        this.json = json;
    }

    @Override
    public void setContext(TrainContext context) {
        this.ctx = context;
        rows.rows().clear();
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        rows.begin(ctx, file, json); // after a restore: the resume position is known now
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        rows.add(logs);
        if (json) {
            rows.writeJson(file);
        } else {
            rows.writeCsv(file);
        }
    }

    /** The rows written so far, including those kept from before a resume. */
    public List<Map<String, Double>> rows() {
        return List.copyOf(rows.rows());
    }
}
