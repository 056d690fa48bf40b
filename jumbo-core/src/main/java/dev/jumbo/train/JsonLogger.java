package dev.jumbo.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes every epoch's logs to a JSON file, e.g. {@code metrics.json}:
 * {@code {"epochs": [{"epoch": 0, "loss": 0.61, "accuracy": 0.78, "val_loss": ..., ...}, ...]}}
 * (epochs 0-based, NaN as null). The file is rewritten atomically after each epoch, so it is always
 * complete JSON; a resumed fit keeps the entries of the epochs before it.
 *
 * <pre>{@code
 * trainer.fit(model, train, val, 10, new JsonLogger(runDir.resolve("metrics.json")));
 * }</pre>
 */
public final class JsonLogger extends EpochFileLogger {

    public JsonLogger(Path file) {
        super(file, true);
    }

    /** The rows of a metrics.json file (e.g. to plot a finished run). */
    public static List<Map<String, Double>> read(Path file) {
        return EpochRows.readJson(file);
    }
}
