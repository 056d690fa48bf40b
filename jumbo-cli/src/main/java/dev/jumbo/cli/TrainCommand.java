package dev.jumbo.cli;

import dev.jumbo.data.DataLoader;
import dev.jumbo.data.Dataset;
import dev.jumbo.data.Datasets;
import dev.jumbo.data.Splits;
import dev.jumbo.data.augment.Augment;
import dev.jumbo.io.AtomicFiles;
import dev.jumbo.nn.Model;
import dev.jumbo.nn.ModelSpec;
import dev.jumbo.nn.Module;
import dev.jumbo.optim.CosineAnnealingLR;
import dev.jumbo.optim.LrScheduler;
import dev.jumbo.optim.Optimizer;
import dev.jumbo.optim.Optimizers;
import dev.jumbo.tensor.Rng;
import dev.jumbo.train.BackupAndRestore;
import dev.jumbo.train.Callback;
import dev.jumbo.train.CsvLogger;
import dev.jumbo.train.CurvesPlot;
import dev.jumbo.train.EarlyStopping;
import dev.jumbo.train.Evaluation;
import dev.jumbo.train.History;
import dev.jumbo.train.JsonLogger;
import dev.jumbo.train.ModelCheckpoint;
import dev.jumbo.train.ProgressBar;
import dev.jumbo.train.TerminateOnNaN;
import dev.jumbo.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jumbo train --model lenet5 --data fashion-mnist --epochs 10 --batch 64 --optimizer adamw
 * --lr 1e-3 --seed 1 --out runs/lenet5 [--resume] [--limit N] [--json]}: trains a zoo model with a
 * progress bar on stderr and writes a run directory: {@code run.json} (the settings),
 * {@code model/} and {@code best/} (model directories: spec.json, model.safetensors, classes.txt),
 * {@code checkpoints/backup.safetensors} (for {@code --resume}), {@code metrics.csv},
 * {@code metrics.json} and {@code curves.png}; then evaluates on the test set. With {@code --json}
 * the last stdout line is a JSON object ({@code test_accuracy}, {@code test_loss}, {@code epochs},
 * {@code train_images_per_s}, ...). {@code --augment flip|standard|strong} augments the training images on
 * the loader's threads ({@link Augment#named}); {@code --mixup A} or {@code --cutmix A} mixes each
 * training batch (soft targets; training accuracy then counts the dominant class).
 * {@code --l2}, {@code --l1}, {@code --label-smoothing}, {@code --max-norm} and
 * {@code --stochastic-depth} regularize ({@link RegularizationOptions}: the penalties and the
 * constraint act on the weights, the parameters of 2+ dimensions); the test loss is the plain
 * cross-entropy either way.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a zoo model on a packaged dataset; writes a run directory (see --out).")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "lenet5", description = "Zoo model (default ${DEFAULT-VALUE}).")
    String model;
    @Option(names = "--data", defaultValue = "fashion-mnist", description = "fashion-mnist or mnist (default ${DEFAULT-VALUE}).")
    String data;
    @Option(names = "--epochs", defaultValue = "10", description = "Epochs to train (default ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--optimizer", defaultValue = "adamw", description = "sgd, adam, adamw or rmsprop (default ${DEFAULT-VALUE}).")
    String optimizer;
    @Option(names = "--lr", defaultValue = "1e-3", description = "Learning rate (default ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--weight-decay", description = "Weight decay (default: the optimizer's PyTorch default).")
    Double weightDecay;
    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default ${DEFAULT-VALUE}).")
    double momentum;
    @Option(names = "--schedule", defaultValue = "none", description = "none or cosine (per epoch, to 0).")
    String schedule;
    @Option(names = "--clip-norm", defaultValue = "0", description = "Clip the gradient norm (0: off).")
    double clipNorm;
    @Option(names = "--seed", defaultValue = "1", description = "Seeds the weights, the split and the shuffling (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--out", description = "Run directory (default runs/<model>).")
    Path out;
    @Option(names = "--resume", description = "Continue from <out>/checkpoints/backup.safetensors.")
    boolean resume;
    @Option(names = "--limit", defaultValue = "-1", description = "Use only the first N training and test examples.")
    int limit;
    @Option(names = "--val-fraction", defaultValue = "0.1", description = "Validation share of the training set (default ${DEFAULT-VALUE}).")
    double valFraction;
    @Option(names = "--patience", defaultValue = "0", description = "Early stopping on val_loss after N bad epochs (0: off).")
    int patience;
    @Option(names = "--backup-every", defaultValue = "100", description = "Back up every N batches too (0: epoch ends only).")
    int backupEvery;
    @Option(names = "--workers", defaultValue = "1", description = "Data loader threads (default ${DEFAULT-VALUE}).")
    int workers;
    @Option(names = "--augment", defaultValue = "none", description = "Training augmentation: none, flip, standard or strong (see jumbo augment).")
    String augment;
    @Option(names = "--mixup", defaultValue = "0", description = "Mixup with this Beta alpha, e.g. 0.2 (0: off).")
    double mixup;
    @Option(names = "--cutmix", defaultValue = "0", description = "CutMix with this Beta alpha, e.g. 1.0 (0: off).")
    double cutmix;
    @Option(names = "--json", description = "Print the summary as one JSON object on the last line.")
    boolean json;
    @Mixin
    RegularizationOptions regularization;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path dir = out != null ? out : Path.of("runs", model);
        regularization.check(model);
        Dataset full = RunFiles.dataset(data, true, limit, err);
        Dataset test = full == null ? null : RunFiles.dataset(data, false, limit, err);
        if (full == null || test == null) {
            return 1;
        }
        ModelSpec mspec = ModelSpec.zoo(model);
        RunFiles.checkShape("--data " + data, full, mspec.inputShape());
        Module net = mspec.build(new Rng(seed));
        regularization.applyTo(net, seed);
        Dataset trainSet = full;
        Dataset valSet = null;
        if (valFraction > 0) {
            Splits.Split split = Splits.stratifiedSplit(full, valFraction, seed);
            trainSet = split.train();
            valSet = split.validation().size() > 0 ? split.validation() : null;
        }
        dev.jumbo.data.Transform aug = Augment.named(augment, trainSet.exampleShape());
        dev.jumbo.data.BatchTransform mixing = Augment.mixing(mixup, cutmix, trainSet.numClasses());
        Optimizer opt = optimizer(net);
        LrScheduler sched = switch (schedule) {
            case "none" -> null;
            case "cosine" -> new CosineAnnealingLR(opt, Math.max(1, epochs), 0.0);
            default -> throw new IllegalArgumentException("train: --schedule '" + schedule + "': expected none or cosine");
        };
        Trainer.Builder tb = Trainer.builder().optimizer(opt).seed(seed).clipGradNorm(clipNorm);
        if (sched != null) {
            tb.scheduler(sched, false);
        }
        regularization.applyTo(tb, net);
        Trainer trainer = tb.build();
        Files.createDirectories(dir);
        writeRunJson(dir);
        List<String> classes = Datasets.classNames(data);
        String monitor = valSet != null ? "val_accuracy" : "accuracy";
        TerminateOnNaN nan = new TerminateOnNaN();
        BackupAndRestore backup = new BackupAndRestore(dir.resolve("checkpoints"), backupEvery, resume);
        List<Callback> cbs = new ArrayList<>(List.of(new ProgressBar(), nan, new CsvLogger(dir.resolve("metrics.csv")),
                new JsonLogger(dir.resolve("metrics.json")),
                new CurvesPlot(dir.resolve("curves.png"), dir.resolve("metrics.json"), model + " on " + data),
                new ModelCheckpoint(dir.resolve("best"), monitor, true).classNames(classes)));
        EarlyStopping early = patience > 0 ? new EarlyStopping(valSet != null ? "val_loss" : "loss", 0, patience) : null;
        if (early != null) {
            cbs.add(early);
        }
        cbs.add(backup);
        long t0 = System.nanoTime();
        History history;
        try (DataLoader trainLoader = DataLoader.builder(trainSet).batchSize(batch).shuffle(true).seed(seed)
                        .transform(aug).batchTransform(mixing).workers(workers).prefetch(4).build();
                DataLoader valLoader = valSet == null ? null : DataLoader.builder(valSet).batchSize(256).workers(workers).build();
                DataLoader testLoader = DataLoader.builder(test).batchSize(256).workers(workers).build()) {
            history = trainer.fit(net, trainLoader, valLoader, epochs, cbs.toArray(Callback[]::new));
            if (nan.terminated()) {
                err.println("jumbo: training stopped: the loss became NaN or infinite at epoch " + (nan.badEpoch() + 1)
                        + ", batch " + (nan.badBatch() + 1) + "; the last good checkpoints are in " + dir.resolve("best")
                        + " and " + backup.file() + " (try a lower --lr or --clip-norm)");
                err.flush();
                return 1;
            }
            Model.save(dir.resolve(Model.RUN_MODEL), net, classes);
            Evaluation ev = Trainer.evaluateWith(net, testLoader); // plain cross-entropy, as jumbo eval reports it
            List<Map<String, Double>> rows = JsonLogger.read(dir.resolve("metrics.json"));
            double ips = rows.stream().mapToDouble(r -> r.getOrDefault("images_per_s", Double.NaN))
                    .filter(Double::isFinite).average().orElse(Double.NaN);
            double bestVal = rows.stream().mapToDouble(r -> r.getOrDefault("val_accuracy", Double.NaN))
                    .filter(Double::isFinite).max().orElse(Double.NaN);
            Figures f = new Figures("jumbo train: " + model + " on " + data)
                    .add("model", "model", model, "")
                    .add("data", "data", data, "")
                    .add("epochs", "epochs", rows.size(), "")
                    .add("train_examples", "training examples", trainSet.size(), "")
                    .add("train_loss", "final training loss", history.last().getOrDefault("loss", last(rows, "loss")), "")
                    .add("test_loss", "test loss", ev.loss(), "")
                    .add("test_accuracy", "test accuracy", ev.accuracy(), "")
                    .add("test_top5_accuracy", "test top-5 accuracy", ev.topKAccuracy(), "")
                    .add("train_images_per_s", "training throughput", ips, "images/s")
                    .add("seconds", "wall time", (System.nanoTime() - t0) / 1e9, "s")
                    .add("resumed", "resumed", backup.restored(), "")
                    .add("out", "run directory", dir.toString(), "");
            if (Double.isFinite(bestVal)) { // JSON has no NaN: without a validation set these keys are absent
                f.add("val_accuracy", "final validation accuracy", last(rows, "val_accuracy"), "")
                        .add("best_val_accuracy", "best validation accuracy", bestVal, "");
            }
            if (early != null) {
                f.add("early_stopped", "early stopped", early.stoppedEpoch() >= 0, "");
            }
            f.print(spec.commandLine().getOut(), json);
        }
        return 0;
    }

    private static double last(List<Map<String, Double>> rows, String key) {
        return rows.isEmpty() ? Double.NaN : rows.get(rows.size() - 1).getOrDefault(key, Double.NaN);
    }

    private Optimizer optimizer(Module net) {
        Map<String, Double> options = new LinkedHashMap<>();
        options.put("lr", lr);
        if (weightDecay != null) {
            options.put("weight_decay", weightDecay);
        }
        if (optimizer.equalsIgnoreCase("sgd")) {
            options.put("momentum", momentum);
        }
        return Optimizers.create(optimizer, net.parameters(), options);
    }

    private void writeRunJson(Path dir) throws java.io.IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("data", data);
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("optimizer", optimizer);
        m.put("lr", lr);
        m.put("weight_decay", weightDecay);
        m.put("schedule", schedule);
        m.put("clip_norm", clipNorm);
        m.put("seed", seed);
        m.put("limit", limit);
        m.put("augment", augment);
        m.put("mixup", mixup);
        m.put("cutmix", cutmix);
        m.put("val_fraction", valFraction);
        regularization.record(m);
        AtomicFiles.writeString(dir.resolve(RunFiles.RUN_JSON),
                RunFiles.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n");
    }
}
