package dev.jumbo.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes every epoch's logs to a CSV file (Keras' {@code CSVLogger}), e.g. {@code metrics.csv}:
 * a header of all keys ({@code epoch} first, 0-based), one row per epoch. The file is rewritten
 * atomically after each epoch; a resumed fit keeps the rows of the epochs before it.
 *
 * <pre>{@code
 * trainer.fit(model, train, val, 10, new CsvLogger(runDir.resolve("metrics.csv")));
 * }</pre>
 */
public final class CsvLogger implements Callback {
    private final Path file;
    private final EpochRows rows = new EpochRows();
    private TrainContext ctx;

    public CsvLogger(Path file) {
        this.file = file;
    }

    @Override
    public void setContext(TrainContext context) {
        this.ctx = context;
        rows.rows().clear();
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        rows.begin(ctx, file, false); // after a restore: the resume position is known now
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        rows.add(logs);
        rows.writeCsv(file);
    }

    /** The rows written so far, including those kept from before a resume. */
    public List<Map<String, Double>> rows() {
        return List.copyOf(rows.rows());
    }
}
