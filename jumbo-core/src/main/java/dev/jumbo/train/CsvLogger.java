package dev.jumbo.train;

import java.nio.file.Path;

/**
 * Writes every epoch's logs to a CSV file (Keras' {@code CSVLogger}), e.g. {@code metrics.csv}:
 * a header of all keys ({@code epoch} first, 0-based), one row per epoch. The file is rewritten
 * atomically after each epoch; a resumed fit keeps the rows of the epochs before it.
 *
 * <pre>{@code
 * trainer.fit(model, train, val, 10, new CsvLogger(runDir.resolve("metrics.csv")));
 * }</pre>
 */
public final class CsvLogger extends EpochFileLogger {

    public CsvLogger(Path file) {
        super(file, false);
    }
}
