package dev.jumbo.cli;

import dev.jumbo.data.Dataset;
import dev.jumbo.train.experiment.GeneralizationExperiment;
import dev.jumbo.train.experiment.GeneralizationPlot;
import dev.jumbo.train.experiment.GeneralizationSettings;
import dev.jumbo.train.experiment.VariantResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jumbo experiment ...}: experiments that measure what a technique buys. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Experiments that measure what a technique buys.",
        subcommands = {ExperimentCommand.Generalization.class})
public final class ExperimentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code jumbo experiment generalization}: baseline, +augmentation, +regularization, +both, an
     * ensemble and a snapshot ensemble, trained with fixed seeds; a table, {@code generalization.png}
     * and with {@code --json} one JSON object with an entry per variant.
     */
    @Command(name = "generalization", mixinStandardHelpOptions = true,
            description = "Train baseline, +augmentation, +regularization, +both, a k-member ensemble and a "
                    + "snapshot ensemble with fixed seeds; report test accuracy (mean \u00b1 std), train-test gap and time.")
    public static final class Generalization implements Callable<Integer> {
        @Option(names = "--model", defaultValue = "lenet5", description = "Zoo model (default ${DEFAULT-VALUE}).")
        String model;
        @Option(names = "--data", defaultValue = "fashion-mnist", description = "fashion-mnist or mnist (default ${DEFAULT-VALUE}).")
        String data;
        @Option(names = "--train-size", defaultValue = "0", description = "Training examples per seed, a stratified subset (0: all).")
        int trainSize;
        @Option(names = "--seeds", defaultValue = "2", description = "Seeds per variant (default ${DEFAULT-VALUE}).")
        int seeds;
        @Option(names = "--epochs", description = "Epochs per model (default: 10 on the full set; with --train-size n up to 5000, "
                + "150000/n between 10 and 200, e.g. 150 for 1000 images, so small sets train long enough to overfit).")
        Integer epochs;
        @Option(names = "--batch", description = "Batch size (default: 64, or 32 with --train-size up to 5000).")
        Integer batch;
        @Option(names = "--lr", defaultValue = "2e-3", description = "Peak learning rate, AdamW + cosine (default ${DEFAULT-VALUE}).")
        double lr;
        @Option(names = "--members", defaultValue = "5", description = "Members of the independent ensemble (default ${DEFAULT-VALUE}).")
        int members;
        @Option(names = "--snapshot-cycles", defaultValue = "5", description = "Cycles of the snapshot ensemble (default ${DEFAULT-VALUE}).")
        int cycles;
        @Option(names = "--variants", split = ",", description = "Run only these variants (default: all).")
        List<String> variants;
        @Option(names = "--test-limit", defaultValue = "-1", description = "Test on the first N test examples only (default: all).")
        int testLimit;
        @Option(names = "--workers", defaultValue = "1", description = "Data loader threads (default ${DEFAULT-VALUE}).")
        int workers;
        @Option(names = "--out", description = "Directory for generalization.png and results.json (default runs/generalization-<model>-<size>).")
        Path out;
        @Option(names = "--json", description = "Print one JSON object with an entry per variant on the last line.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter stdout = spec.commandLine().getOut();
            boolean small = trainSize > 0 && trainSize <= 5000;
            GeneralizationSettings s = new GeneralizationSettings(model, trainSize, seeds,
                    epochs != null ? epochs : defaultEpochs(trainSize), batch != null ? batch : small ? 32 : 64, lr,
                    members, cycles, workers);
            Dataset train = RunFiles.dataset(data, true, -1, err);
            Dataset test = train == null ? null : RunFiles.dataset(data, false, testLimit, err);
            if (train == null || test == null) {
                return 1;
            }
            List<String> which = variants == null || variants.isEmpty() ? GeneralizationExperiment.variants(s) : variants;
            GeneralizationExperiment exp = new GeneralizationExperiment(s, train, test);
            Path dir = out != null ? out : Path.of("runs", "generalization-" + model + "-" + (trainSize > 0 ? trainSize : "full"));
            Files.createDirectories(dir);
            long t0 = System.nanoTime();
            List<VariantResult> rs = exp.run(which, new GeneralizationExperiment.Listener() {
                @Override
                public void runStarted(String variant, long seed, int run, int runs) {
                    err.printf("generalization: [%d/%d] %s, seed %d ...%n", run, runs, variant, seed);
                    err.flush();
                }

                @Override
                public void runFinished(String variant, long seed, double acc, double seconds, int run, int runs) {
                    err.printf("generalization: [%d/%d] %s, seed %d: test accuracy %.2f%% in %.1f s%n",
                            run, runs, variant, seed, 100 * acc, seconds);
                    err.flush();
                }

                @Override
                public void resultsSoFar(List<VariantResult> results) {
                    // A long run keeps what it has measured: results.json is rewritten (atomically) after every run.
                    try {
                        Map<String, Object> partial = summary(s, train, test, results, null, t0);
                        partial.put("complete", false);
                        dev.jumbo.io.AtomicFiles.writeString(dir.resolve("results.json"),
                                RunFiles.JSON.writeValueAsString(partial) + "\n");
                    } catch (java.io.IOException e) {
                        err.println("generalization: cannot save partial results: " + e.getMessage());
                    }
                }
            });
            String size = trainSize > 0 ? String.format("%,d", Math.min(trainSize, train.size())) + " training images"
                    : "all " + String.format("%,d", train.size()) + " training images";
            Path png = dir.resolve("generalization.png");
            GeneralizationPlot.write(png, rs, model + " on " + data + ", " + size + ", " + seeds + " seed(s), "
                    + s.epochs() + " epochs");
            Map<String, Object> summary = summary(s, train, test, rs, png, t0);
            String jsonText = RunFiles.JSON.writeValueAsString(summary);
            dev.jumbo.io.AtomicFiles.writeString(dir.resolve("results.json"), jsonText + "\n");
            printTable(stdout, rs, model + " on " + data + ", " + size);
            stdout.println("plot: " + png);
            if (json) {
                stdout.println(jsonText);
            }
            stdout.flush();
            return 0;
        }

        private Map<String, Object> summary(GeneralizationSettings s, Dataset train, Dataset test, List<VariantResult> rs,
                Path png, long t0) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("experiment", "generalization");
            summary.put("model", model);
            summary.put("data", data);
            summary.put("train_size", trainSize > 0 ? Math.min(trainSize, train.size()) : train.size());
            summary.put("test_size", test.size());
            summary.put("seeds", seeds);
            summary.put("epochs", s.epochs());
            summary.put("batch", s.batch());
            summary.put("lr", s.lr());
            summary.put("seconds", (System.nanoTime() - t0) / 1e9);
            if (png != null) {
                summary.put("plot", png.toString());
            }
            List<Map<String, Object>> entries = new ArrayList<>();
            for (VariantResult r : rs) {
                if (r.runs() > 0) { // partial results: variants not run yet have no figures (and JSON has no NaN)
                    entries.add(r.toJson());
                }
            }
            summary.put("variants", entries);
            return summary;
        }

        /** 10 epochs on large sets; about 150,000 examples seen (150 epochs of 1,000) on small ones. */
        static int defaultEpochs(int trainSize) {
            return trainSize > 0 && trainSize <= 5000 ? Math.max(10, Math.min(200, 150_000 / trainSize)) : 10;
        }

        static void printTable(PrintWriter out, List<VariantResult> rs, String title) {
            out.println(title);
            String head = String.format("%-28s %18s %10s %9s %9s  %s", "variant", "test accuracy", "train acc", "gap",
                    "seconds", "notes");
            out.println(head);
            out.println("-".repeat(head.length() + 10));
            for (VariantResult r : rs) {
                StringBuilder notes = new StringBuilder();
                r.extras().forEach((k, v) -> notes.append(k.replace('_', ' ')).append(' ')
                        .append(String.format("%.2f%%", 100 * v)).append("  "));
                out.printf("%-28s %8.2f%% \u00b1 %5.2f %9.2f%% %8.2f%% %9.1f  %s%n", r.name(), 100 * r.testMean(),
                        100 * r.testStd(), 100 * r.trainMean(), 100 * r.gap(), r.secondsMean(), notes.toString().trim());
            }
        }
    }
}
