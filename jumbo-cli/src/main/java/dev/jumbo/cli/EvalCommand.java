package dev.jumbo.cli;

import dev.jumbo.data.DataLoader;
import dev.jumbo.data.Dataset;
import dev.jumbo.data.Datasets;
import dev.jumbo.nn.Model;
import dev.jumbo.optim.SGD;
import dev.jumbo.train.ConfusionMatrix;
import dev.jumbo.train.Evaluation;
import dev.jumbo.train.Trainer;
import java.io.PrintWriter;
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
 * {@code jumbo eval --run runs/lenet5 [--data fashion-mnist] [--best] [--limit N] [--json]}: test-set
 * loss, accuracy, top-5 accuracy, macro F1, and the confusion matrix with per-class precision,
 * recall and F1. The dataset defaults to the one in the run's {@code run.json}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained run on a dataset's test set: accuracy and confusion matrix.")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run directory (or a model directory).")
    Path run;
    @Option(names = "--data", description = "fashion-mnist or mnist (default: the run's).")
    String data;
    @Option(names = "--best", description = "Evaluate best/ (the best validation epoch) instead of model/ (the last).")
    boolean best;
    @Option(names = "--limit", defaultValue = "-1", description = "Only the first N test examples.")
    int limit;
    @Option(names = "--json", description = "Print the results as one JSON object on the last line.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String name = data != null ? data : RunFiles.runField(run, "data");
        if (name == null) {
            throw new IllegalArgumentException("eval: " + run + " has no " + RunFiles.RUN_JSON + ": pass --data");
        }
        Model.Loaded m = Model.read(RunFiles.modelDir(run, best));
        Dataset test = RunFiles.dataset(name, false, limit, spec.commandLine().getErr());
        if (test == null) {
            return 1;
        }
        RunFiles.checkShape("--data " + name, test, m.inputShape());
        List<String> classes = m.classNames().isEmpty() ? Datasets.classNames(name) : m.classNames();
        Trainer trainer = Trainer.builder().optimizer(new SGD(m.module().parameters(), 0)).build();
        long t0 = System.nanoTime();
        Evaluation ev;
        try (DataLoader loader = DataLoader.builder(test).batchSize(256).build()) {
            ev = trainer.evaluate(m.module(), loader);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        ConfusionMatrix cm = ev.confusion();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model_dir", m.dir().toString());
            o.put("data", name);
            o.put("examples", ev.count());
            o.put("accuracy", ev.accuracy());
            o.put("loss", ev.loss());
            o.put("top5_accuracy", ev.topKAccuracy());
            o.put("macro_f1", cm.macroF1());
            o.put("images_per_s", ev.count() / secs);
            List<Map<String, Object>> per = new ArrayList<>();
            for (int c = 0; c < cm.numClasses(); c++) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("class", c < classes.size() ? classes.get(c) : String.valueOf(c));
                r.put("precision", cm.precision(c));
                r.put("recall", cm.recall(c));
                r.put("f1", cm.f1(c));
                r.put("support", cm.support(c));
                per.add(r);
            }
            o.put("per_class", per);
            o.put("confusion_matrix", cm.toArray());
            out.println(RunFiles.JSON.writeValueAsString(o));
        } else {
            out.printf("%s on %s test set (%,d examples)%n", m.dir(), name, ev.count());
            out.printf("accuracy %.4f   loss %.4f   top-5 %.4f   macro F1 %.4f   %,.0f images/s%n%n", ev.accuracy(),
                    ev.loss(), ev.topKAccuracy(), cm.macroF1(), ev.count() / secs);
            out.print(cm.table(classes));
        }
        out.flush();
        return 0;
    }
}
