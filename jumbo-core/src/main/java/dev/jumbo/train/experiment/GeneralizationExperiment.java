package dev.jumbo.train.experiment;

import dev.jumbo.data.DataLoader;
import dev.jumbo.data.Dataset;
import dev.jumbo.data.Splits;
import dev.jumbo.data.Transform;
import dev.jumbo.data.augment.Augment;
import dev.jumbo.nn.Ensemble;
import dev.jumbo.nn.Losses;
import dev.jumbo.nn.ModelSpec;
import dev.jumbo.nn.Module;
import dev.jumbo.optim.CosineAnnealingLR;
import dev.jumbo.optim.Optimizer;
import dev.jumbo.optim.Optimizers;
import dev.jumbo.optim.Regularizer;
import dev.jumbo.tensor.Rng;
import dev.jumbo.train.EnsembleRecipe;
import dev.jumbo.train.Ensembles;
import dev.jumbo.train.SnapshotEnsemble;
import dev.jumbo.train.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each tool against overfitting buys, measured: trains, with fixed seeds, a baseline,
 * +augmentation, +regularization, +both, an ensemble of independently trained members (soft
 * voting) and a snapshot ensemble, and reports for each the test accuracy (mean ± std over seeds),
 * the train-test gap and the training time.
 *
 * <p>The recipe shared by every variant: AdamW with learning rate {@code lr} annealed to 0 by a
 * cosine over the epochs, no weight decay, cross-entropy. What the variants add:
 * <ul>
 *   <li><b>augmentation</b>: {@link Augment#standard} (random crop from a 2-pixel zero padding,
 *       horizontal flip), run on the loader's worker threads;</li>
 *   <li><b>regularization</b>: decoupled weight decay {@value #WEIGHT_DECAY}, an L2 penalty of
 *       {@value #L2} on the weights ({@link Regularizer#weightNames}: not biases or norms), label
 *       smoothing {@value #LABEL_SMOOTHING};</li>
 *   <li><b>ensemble-k</b>: k baseline models from different initializations and data orders,
 *       soft voting (average of probabilities); its extra figure {@code best_member_accuracy};</li>
 *   <li><b>snapshot-ensemble</b>: one baseline run of the same epochs under a cyclic cosine
 *       learning rate, one snapshot per cycle, soft voting (Huang et al. 2017).</li>
 * </ul>
 * With a {@code trainSize}, each seed draws its own stratified subset of the training set; the test
 * set is always the whole one given. Training accuracy is measured in eval mode on the (unaugmented)
 * training examples.
 *
 * <pre>{@code
 * var s = GeneralizationSettings.defaults("lenet5").withTrainSize(1000).withEpochs(30);
 * List<VariantResult> rs = new GeneralizationExperiment(s, FashionMnist.train(), FashionMnist.test())
 *         .run(GeneralizationExperiment.variants(s), GeneralizationExperiment.Listener.NONE);
 * GeneralizationPlot.write(Path.of("generalization.png"), rs, "lenet5, 1,000 images");
 * }</pre>
 */
public final class GeneralizationExperiment {
    public static final String BASELINE = "baseline";
    public static final String AUGMENTATION = "augmentation";
    public static final String REGULARIZATION = "regularization";
    public static final String BOTH = "augmentation+regularization";
    public static final String SNAPSHOT = "snapshot-ensemble";
    static final double WEIGHT_DECAY = 0.05;
    static final double L2 = 1e-4;
    static final float LABEL_SMOOTHING = 0.1f;

    /** Hears about each training run (progress). */
    public interface Listener {
        Listener NONE = new Listener() {};

        default void runStarted(String variant, long seed, int run, int runs) {}

        default void runFinished(String variant, long seed, double testAccuracy, double seconds, int run, int runs) {}

        /** After each run: every variant's results so far (a long experiment can save them as it goes). */
        default void resultsSoFar(List<VariantResult> results) {}
    }

    private final GeneralizationSettings s;
    private final Dataset train;
    private final Dataset test;
    private final ModelSpec spec;
    /** The model's weights (2+ dimensions), what the L2 penalty covers; the same for every member. */
    private final String[] weightNames;

    /** An experiment on {@code train} (subsampled per seed when the settings say so), tested on {@code test}. */
    public GeneralizationExperiment(GeneralizationSettings settings, Dataset train, Dataset test) {
        this.s = settings;
        this.train = train;
        this.test = test;
        this.spec = ModelSpec.zoo(settings.model());
        this.weightNames = Regularizer.weightNames(spec.build(new Rng(0)));
        int[] want = spec.inputShape();
        if (!java.util.Arrays.equals(want, train.exampleShape()) || !java.util.Arrays.equals(want, test.exampleShape())) {
            throw new IllegalArgumentException("generalization: model " + settings.model() + " takes examples of shape "
                    + java.util.Arrays.toString(want) + ", the data has " + java.util.Arrays.toString(train.exampleShape()));
        }
        if (settings.trainSize() > train.size()) {
            throw new IllegalArgumentException("generalization: train size " + settings.trainSize()
                    + ": expected at most the " + train.size() + " training examples");
        }
        if (settings.trainSize() > 0 && settings.trainSize() < train.numClasses()) {
            throw new IllegalArgumentException("generalization: train size " + settings.trainSize()
                    + ": expected at least one example per class (" + train.numClasses() + ")");
        }
    }

    /** The variants in report order: baseline, augmentation, regularization, both, ensemble-k, snapshot. */
    public static List<String> variants(GeneralizationSettings s) {
        return List.of(BASELINE, AUGMENTATION, REGULARIZATION, BOTH, ensembleName(s), SNAPSHOT);
    }

    static String ensembleName(GeneralizationSettings s) {
        return "ensemble-" + s.members();
    }

    /** Runs {@code variants} (names from {@link #variants}) for every seed; results in the same order. */
    public List<VariantResult> run(List<String> variants, Listener listener) {
        Map<String, VariantResult> results = new LinkedHashMap<>();
        for (String v : variants) {
            if (!variants(s).contains(v)) {
                throw new IllegalArgumentException("generalization: variant '" + v + "': expected one of " + variants(s));
            }
            results.put(v, new VariantResult(v));
        }
        int runs = variants.size() * s.seeds();
        int run = 0;
        warmUp();
        for (int seed = 1; seed <= s.seeds(); seed++) {
            Dataset data = subset(seed);
            for (String v : variants) {
                listener.runStarted(v, seed, ++run, runs);
                VariantResult r = results.get(v);
                long t0 = System.nanoTime();
                Module model = train(v, data, seed, r);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double testAcc = accuracy(model, test);
                r.add(testAcc, accuracy(model, data), seconds);
                listener.runFinished(v, seed, testAcc, seconds, run, runs);
                listener.resultsSoFar(new ArrayList<>(results.values()));
            }
        }
        return new ArrayList<>(results.values());
    }

    /**
     * One short throwaway fit through every code path (augmentation, penalties, evaluation), so that
     * JIT compilation is not charged to the first variant's training time.
     */
    private void warmUp() {
        Dataset few = Splits.stratifiedSample(train, Math.min(train.size(), Math.max(train.numClasses(), 256)), 0);
        Module net = spec.build(new Rng(0));
        Optimizer opt = optimizer(net, true);
        Trainer t = trainerFor(true).optimizer(opt).seed(0).build();
        try (DataLoader dl = loader(few, 0, true)) {
            t.fit(net, dl, null, 1);
        }
        accuracy(net, few);
    }

    /** The training examples of {@code seed}: a stratified subset of {@code trainSize}, or all. */
    Dataset subset(long seed) {
        int n = s.trainSize();
        if (n <= 0 || n >= train.size()) {
            return train;
        }
        return Splits.stratifiedSample(train, n, seed);
    }

    private Module train(String variant, Dataset data, long seed, VariantResult r) {
        return switch (variant) {
            case BASELINE -> fitted(data, seed, false, false);
            case AUGMENTATION -> fitted(data, seed, true, false);
            case REGULARIZATION -> fitted(data, seed, false, true);
            case BOTH -> fitted(data, seed, true, true);
            case SNAPSHOT -> snapshot(data, seed, r);
            default -> ensemble(data, seed, r);
        };
    }

    private Module fitted(Dataset data, long seed, boolean augment, boolean regularize) {
        Module net = spec.build(new Rng(seed));
        fit(net, data, seed, augment, regularize);
        return net;
    }

    private void fit(Module net, Dataset data, long seed, boolean augment, boolean regularize) {
        Optimizer opt = optimizer(net, regularize);
        Trainer trainer = trainerFor(regularize).optimizer(opt).seed(seed)
                .scheduler(new CosineAnnealingLR(opt, s.epochs(), 0.0), false).build();
        try (DataLoader dl = loader(data, seed, augment)) {
            trainer.fit(net, dl, null, s.epochs());
        }
    }

    private Module ensemble(Dataset data, long seed, VariantResult r) {
        EnsembleRecipe recipe = EnsembleRecipe.of((i, rng) -> spec.build(rng),
                (model, d, rng) -> fit(model, d, rng.nextLong(), false, false));
        Ensemble e = Ensembles.train(Ensemble.Combiner.SOFT, s.members(), recipe, data, seed);
        double best = 0;
        for (Module m : e.members()) {
            best = Math.max(best, accuracy(m, test));
        }
        r.addExtra("best_member_accuracy", best);
        return e;
    }

    private Module snapshot(Dataset data, long seed, VariantResult r) {
        int cycles = Math.min(s.snapshotCycles(), s.epochs());
        Module net = spec.build(new Rng(seed));
        Ensemble e;
        try (DataLoader dl = loader(data, seed, false)) {
            e = SnapshotEnsemble.builder().cycles(cycles).epochsPerCycle(Math.max(1, s.epochs() / cycles)).etaMin(0)
                    .optimizer(m -> optimizer(m, false)).trainer(trainerFor(false)).seed(seed)
                    .train(net, dl, null).ensemble();
        }
        List<Module> members = e.members();
        r.addExtra("last_snapshot_accuracy", accuracy(members.get(members.size() - 1), test));
        return e;
    }

    private Optimizer optimizer(Module net, boolean regularize) {
        return Optimizers.create("adamw", net.parameters(),
                Map.of("lr", s.lr(), "weight_decay", regularize ? WEIGHT_DECAY : 0.0));
    }

    private Trainer.Builder trainerFor(boolean regularize) {
        Trainer.Builder b = Trainer.builder();
        if (regularize) {
            Losses.CrossEntropyOptions ce = Losses.CrossEntropyOptions.defaults().labelSmoothing(LABEL_SMOOTHING);
            b.loss((logits, target) -> Losses.crossEntropy(logits, target, ce))
                    .regularizer(Regularizer.none().l2(L2, weightNames));
        }
        return b;
    }

    private DataLoader loader(Dataset data, long seed, boolean augment) {
        Transform t = augment ? Augment.named("standard", data.exampleShape()) : Transform.identity(); // any channel count
        return DataLoader.builder(data).batchSize(s.batch()).shuffle(true).seed(seed).transform(t)
                .workers(s.workers()).prefetch(4).build();
    }

    private double accuracy(Module model, Dataset data) {
        try (DataLoader dl = DataLoader.builder(data).batchSize(256).workers(s.workers()).build()) {
            return Trainer.evaluateWith(model, dl).accuracy();
        }
    }
}
