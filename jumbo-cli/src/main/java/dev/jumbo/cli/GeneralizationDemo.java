package dev.jumbo.cli;

import dev.jumbo.data.Datasets;
import dev.jumbo.data.Dataset;
import dev.jumbo.train.experiment.GeneralizationExperiment;
import dev.jumbo.train.experiment.GeneralizationPlot;
import dev.jumbo.train.experiment.GeneralizationSettings;
import dev.jumbo.train.experiment.VariantResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's generalization stage: {@code jumbo experiment generalization} at small settings (one
 * seed, 500 training images, 200 epochs, 3-member ensembles) so it takes about two minutes; the
 * plot goes to {@code generalization.png} in the directory given (the demo uses
 * {@code runs/demo-generalization}, beside its training run).
 */
final class GeneralizationDemo {
    record Result(List<VariantResult> results, int testSize, Path plot) {}

    /**
     * Long enough for the baseline to overfit 500 images and for augmentation to pay off (with 60
     * epochs augmentation still lowered test accuracy), short enough for a demo: 100,000 images
     * per model, about 15 s on 2 cores.
     */
    static final int EPOCHS = 200;

    private GeneralizationDemo() {}

    static Result run(int trainSize, int limit, Path dir, PrintWriter err) throws IOException {
        GeneralizationSettings s = new GeneralizationSettings("lenet5", trainSize, 1, EPOCHS, 32, 2e-3, 3, 3, 1);
        Dataset train = Datasets.train("fashion-mnist", -1);
        Dataset test = Datasets.test("fashion-mnist", limit > 0 ? Math.min(limit, 2000) : 2000);
        List<VariantResult> rs = new GeneralizationExperiment(s, train, test).run(GeneralizationExperiment.variants(s),
                new GeneralizationExperiment.Listener() {
                    @Override
                    public void runFinished(String variant, long seed, double acc, double seconds, int run, int runs) {
                        err.printf("  [%d/%d] %-28s test accuracy %.2f%%  (%.1f s)%n", run, runs, variant, 100 * acc, seconds);
                        err.flush();
                    }
                });
        Path png = dir.resolve("generalization.png");
        java.nio.file.Files.createDirectories(png.getParent());
        GeneralizationPlot.write(png, rs, "lenet5 on " + trainSize + " Fashion-MNIST images, " + EPOCHS + " epochs, 1 seed");
        return new Result(rs, test.size(), png);
    }
}
