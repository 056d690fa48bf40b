package dev.jumbo.train;

import dev.jumbo.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Redraws {@code curves.png} after every epoch: loss and accuracy per epoch, training and
 * validation (see {@link Curves}), written atomically. A resumed fit reads the earlier epochs back
 * from the run's {@code metrics.json}.
 *
 * <pre>{@code
 * new CurvesPlot(runDir.resolve("curves.png"), runDir.resolve("metrics.json"), "lenet5 on fashion-mnist")
 * }</pre>
 */
public final class CurvesPlot implements Callback {
    private final Path png;
    private final Path metricsJson;
    private final String title;
    private final EpochRows rows = new EpochRows();
    private TrainContext ctx;

    public CurvesPlot(Path png, Path metricsJson, String title) {
        this.png = png;
        this.metricsJson = metricsJson;
        this.title = title;
    }

    @Override
    public void setContext(TrainContext context) {
        this.ctx = context;
        rows.rows().clear();
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        rows.begin(ctx, metricsJson, true);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        rows.add(logs);
        write(png, rows.rows(), title);
    }

    /** Draws {@code rows} (epoch logs) to {@code png} atomically. */
    public static void write(Path png, List<Map<String, Double>> rows, String title) {
        BufferedImage img = Curves.draw(rows, title);
        try {
            AtomicFiles.write(png, out -> ImageIO.write(img, "png", out));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + png + ": " + e.getMessage(), e);
        }
    }
}
