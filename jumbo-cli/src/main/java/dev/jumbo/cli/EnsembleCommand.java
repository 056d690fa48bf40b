package dev.jumbo.cli;

import dev.jumbo.data.DataLoader;
import dev.jumbo.data.Dataset;
import dev.jumbo.data.Datasets;
import dev.jumbo.data.Splits;
import dev.jumbo.io.AtomicFiles;
import dev.jumbo.nn.Ensemble;
import dev.jumbo.nn.Ensemble.Combiner;
import dev.jumbo.nn.Model;
import dev.jumbo.nn.Module;
import dev.jumbo.train.Ensembles;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jumbo ensemble --runs runs/a runs/b runs/c --combiner soft|hard|weighted --out runs/ens
 * [--data fashion-mnist] [--best] [--limit N] [--json]}: combines trained run directories into one
 * ensemble model ({@link Ensemble}) and reports each member's and the ensemble's test accuracy.
 * {@code --out} becomes a run directory ({@code run.json}, {@code model/}) that {@code jumbo eval},
 * {@code jumbo predict} and the server take like any other.
 *
 * <p>{@code weighted} fits the mixture weights ({@link Ensembles#fitWeights}) on the validation
 * split of the training set that {@code jumbo train} holds out: {@link Splits#stratifiedSplit}
 * with {@code --val-fraction} and {@code --seed}, by default those in the first run's
 * {@code run.json}. Members trained with other seeds saw part of that split, which favours them
 * somewhat; train the members with one {@code --seed} and different {@code --model}s or settings
 * for a clean fit.
 *
 * <pre>{@code
 * jumbo ensemble --runs runs/a runs/b runs/c --combiner soft --out runs/ens --json
 * jumbo eval --run runs/ens
 * }</pre>
 */
@Command(name = "ensemble", mixinStandardHelpOptions = true,
        description = "Combine trained runs into an ensemble model; member and ensemble test accuracy.")
public final class EnsembleCommand implements Callable<Integer> {
    @Option(names = "--runs", arity = "1..*", required = true, description = "Run (or model) directories of the members.")
    List<Path> runs;
    @Option(names = "--combiner", defaultValue = "soft", description = "soft, hard or weighted (default ${DEFAULT-VALUE}).")
    String combiner;
    @Option(names = "--out", required = true, description = "The ensemble's run directory (run.json, model/).")
    Path out;
    @Option(names = "--data", description = "fashion-mnist or mnist (default: the first run's).")
    String data;
    @Option(names = "--best", description = "Take each run's best/ model instead of model/.")
    boolean best;
    @Option(names = "--limit", defaultValue = "-1", description = "Only the first N training and test examples.")
    int limit;
    @Option(names = "--val-fraction", description = "Validation share for weighted (default: the first run's, else 0.1).")
    Double valFraction;
    @Option(names = "--seed", description = "Seed of the validation split for weighted (default: the first run's, else 1).")
    Long seed;
    @Option(names = "--json", description = "Print the results as one JSON object on the last line.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Combiner c = Combiner.of(combiner);
        if (c == Combiner.STACKING) {
            throw new IllegalArgumentException("ensemble: --combiner stacking: expected soft, hard or weighted"
                    + " (stacking retrains the members on folds: use train.Ensembles.stacking)");
        }
        Path first = runs.get(0);
        String name = data != null ? data : RunFiles.runField(first, "data");
        if (name == null) {
            throw new IllegalArgumentException("ensemble: " + first + " has no " + RunFiles.RUN_JSON + ": pass --data");
        }
        double vf = valFraction != null ? valFraction : number(first, "val_fraction", 0.1);
        long sd = seed != null ? seed : (long) number(first, "seed", 1);
        if (c == Combiner.WEIGHTED && !(vf > 0 && vf < 1)) {
            throw new IllegalArgumentException("ensemble: --val-fraction " + vf + ": expected 0 < f < 1 for weighted");
        }
        List<Path> dirs = new ArrayList<>();
        for (Path r : runs) {
            dirs.add(RunFiles.modelDir(r, best));
        }
        Ensembles.Loaded loaded = Ensembles.load(c, dirs); // checks classes and shapes before any work
        Ensemble ens = loaded.ensemble();
        Dataset test = RunFiles.dataset(name, false, limit, err);
        Dataset full = c == Combiner.WEIGHTED ? RunFiles.dataset(name, true, limit, err) : null;
        if (test == null || (c == Combiner.WEIGHTED && full == null)) {
            return 1;
        }
        RunFiles.checkShape("--data " + name, test, ens.inputShape());
        if (c == Combiner.WEIGHTED) {
            warnIfMembersSawTheSplit(vf, sd, err);
            ens.weights(Ensembles.fitWeights(ens.members(), Splits.stratifiedSplit(full, vf, sd).validation()));
        }
        List<Double> accuracies = new ArrayList<>();
        double ensAccuracy;
        try (DataLoader loader = DataLoader.builder(test).batchSize(256).build()) {
            for (Module m : ens.members()) {
                accuracies.add(Trainer.evaluateWith(m, loader).accuracy());
            }
            ensAccuracy = Trainer.evaluateWith(ens, loader).accuracy();
        }
        List<String> classes = loaded.classNames().isEmpty() ? Datasets.classNames(name) : loaded.classNames();
        Model.save(out.resolve(Model.RUN_MODEL), ens, classes);
        writeRunJson(name, c, vf, sd);
        report(name, c, test.size(), accuracies, ens, ensAccuracy);
        return 0;
    }

    /** Members trained with another split saw some of the validation examples: say so on stderr. */
    private void warnIfMembersSawTheSplit(double vf, long sd, PrintWriter err) {
        for (Path r : runs) {
            if (number(r, "seed", Double.NaN) != sd || number(r, "val_fraction", Double.NaN) != vf) {
                err.println("jumbo: note: " + r + " was not trained with --seed " + sd + " --val-fraction " + vf
                        + ": it saw part of the validation split the weights are fit on, which favours it");
            }
        }
        err.flush();
    }

    private static double number(Path run, String field, double fallback) {
        String v = RunFiles.runField(run, field);
        return v == null ? fallback : Double.parseDouble(v);
    }

    private void report(String name, Combiner c, int examples, List<Double> accuracies, Ensemble ens, double ensAccuracy)
            throws java.io.IOException {
        double bestMember = accuracies.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        double[] w = c == Combiner.WEIGHTED ? ens.weights() : null;
        Figures f = new Figures("jumbo ensemble: " + runs.size() + " members, " + c.id() + " on " + name)
                .add("combiner", "combiner", c.id(), "")
                .add("data", "data", name, "")
                .add("test_examples", "test examples", examples, "");
        for (int i = 0; i < accuracies.size(); i++) {
            f.add("member_" + (i + 1) + "_accuracy", "member " + (i + 1) + " (" + runs.get(i) + ") test accuracy",
                    accuracies.get(i), w == null ? "" : String.format("(weight %.3f)", w[i]));
        }
        f.add("best_member_accuracy", "best member test accuracy", bestMember, "")
                .add("test_accuracy", "ensemble test accuracy", ensAccuracy, "")
                .add("gain_over_best_member", "gain over the best member", ensAccuracy - bestMember, "")
                .add("out", "ensemble run directory", out.toString(), "");
        if (!json) {
            f.print(spec.commandLine().getOut(), false);
            return;
        }
        Map<String, Object> o = new LinkedHashMap<>(f.asMap());
        List<Map<String, Object>> members = new ArrayList<>();
        for (int i = 0; i < accuracies.size(); i++) {
            o.remove("member_" + (i + 1) + "_accuracy");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", runs.get(i).toString());
            m.put("test_accuracy", accuracies.get(i));
            if (w != null) {
                m.put("weight", w[i]);
            }
            members.add(m);
        }
        o.put("members", members);
        spec.commandLine().getOut().println(RunFiles.JSON.writeValueAsString(o));
        spec.commandLine().getOut().flush();
    }

    private void writeRunJson(String name, Combiner c, double vf, long sd) throws java.io.IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", name);
        m.put("combiner", c.id());
        m.put("members", runs.stream().map(Path::toString).toList());
        m.put("best", best);
        m.put("limit", limit);
        if (c == Combiner.WEIGHTED) {
            m.put("val_fraction", vf);
            m.put("seed", sd);
        }
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve(RunFiles.RUN_JSON),
                RunFiles.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n");
    }
}
