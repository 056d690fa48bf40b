package dev.jumbo.train;

import dev.jumbo.data.Dataset;
import dev.jumbo.data.Subset;
import dev.jumbo.nn.Ensemble;
import dev.jumbo.nn.Ensemble.Combiner;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.Model;
import dev.jumbo.nn.Module;
import dev.jumbo.optim.AdamW;
import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds and trains ensembles ({@link Ensemble}): independent members (hard or soft voting),
 * bagging, weights fit on a validation split, and stacking. Every member's initialization and
 * training draws from a generator split from {@code seed} in member order, so a seed fixes the
 * whole ensemble. Members are all created, and the ensemble checked (same output shape), before
 * any training starts. For snapshot ensembles see {@link SnapshotEnsemble}.
 *
 * <pre>{@code
 * EnsembleRecipe recipe = EnsembleRecipe.of((i, rng) -> Zoo.create("lenet5", rng), myFit);
 * Ensemble soft = Ensembles.train(Combiner.SOFT, 5, recipe, train, 1);
 * Ensemble bag = Ensembles.bagging(Combiner.SOFT, 5, recipe, train, 1);
 * Ensemble wtd = Ensembles.weighted(5, recipe, train, validation, 1);
 * Ensembles.Stacking st = Ensembles.stacking(3, recipe, train, 5, 1);
 * Model.save(Path.of("runs/ens/model"), soft, FashionMnist.CLASSES);   // loads like any model
 * }</pre>
 */
public final class Ensembles {
    /** Evaluation batch size for member predictions. */
    private static final int BATCH = 256;
    /** EM iterations for {@link #fitWeights} (it stops earlier when the NLL changes by < 1e-10). */
    private static final int EM_ITERATIONS = 1000;
    /** Full-batch AdamW steps, lr and weight decay of the stacking meta-learner. */
    private static final int META_STEPS = 300;
    private static final double META_LR = 0.05;
    private static final double META_WEIGHT_DECAY = 1e-4;

    private Ensembles() {}

    /** A stacking ensemble with the fold of every training example and its out-of-fold features. */
    public record Stacking(Ensemble ensemble, int[] foldOf, float[] outOfFold) {}

    /** A loaded ensemble of saved models and their shared class names. */
    public record Loaded(Ensemble ensemble, List<String> classNames) {}

    /**
     * {@code k} members, each created and trained on all of {@code train} with its own generator,
     * combined by {@code combiner} ({@code HARD} or {@code SOFT}).
     */
    public static Ensemble train(Combiner combiner, int k, EnsembleRecipe recipe, Dataset train, long seed) {
        return trainMembers("Ensembles.train", combiner, k, recipe, train, seed, false);
    }

    /**
     * Bagging (Breiman 1996): member i trains on a bootstrap sample of {@code train} (n draws with
     * replacement, {@link #bootstrap}), combined by {@code combiner} ({@code HARD} or {@code SOFT}).
     */
    public static Ensemble bagging(Combiner combiner, int k, EnsembleRecipe recipe, Dataset train, long seed) {
        return trainMembers("Ensembles.bagging", combiner, k, recipe, train, seed, true);
    }

    private static Ensemble trainMembers(String what, Combiner combiner, int k, EnsembleRecipe recipe, Dataset train,
            long seed, boolean bootstrap) {
        if (combiner != Combiner.HARD && combiner != Combiner.SOFT) {
            throw new IllegalArgumentException(what + ": combiner " + combiner.id()
                    + ": expected hard or soft (use weighted(...) or stacking(...) for the others)");
        }
        positive(what, "k", k);
        Rng root = new Rng(seed);
        List<Rng> fitRngs = new ArrayList<>();
        List<Module> members = create(recipe, k, root, fitRngs);
        Ensemble e = new Ensemble(combiner, members, train.exampleShape());
        for (int i = 0; i < k; i++) {
            Dataset d = bootstrap ? new Subset(train, bootstrap(train.size(), seed, i)) : train;
            recipe.fit(members.get(i), d, fitRngs.get(i));
        }
        e.eval();
        return e;
    }

    private static List<Module> create(EnsembleRecipe recipe, int k, Rng root, List<Rng> fitRngs) {
        List<Module> members = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Rng r = root.split();
            members.add(recipe.create(i, r.split()));
            fitRngs.add(r.split());
        }
        return members;
    }

    /**
     * The bootstrap sample of member {@code member}: {@code n} indices drawn uniformly with
     * replacement from [0, n), from a generator seeded by {@code seed} and the member index.
     */
    public static int[] bootstrap(int n, long seed, int member) {
        positive("Ensembles.bootstrap", "n", n);
        Rng r = new Rng(seed * 0x9E3779B97F4A7C15L + member + 1);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = r.nextInt(n);
        }
        return idx;
    }

    /**
     * {@code k} members trained on all of {@code train} (as {@link #train}), combined by weighted
     * averaging of probabilities with the weights {@link #fitWeights} finds on {@code validation}.
     */
    public static Ensemble weighted(int k, EnsembleRecipe recipe, Dataset train, Dataset validation, long seed) {
        positive("Ensembles.weighted", "k", k);
        checkSameTask("Ensembles.weighted", train, validation);
        List<Rng> fitRngs = new ArrayList<>();
        List<Module> members = create(recipe, k, new Rng(seed), fitRngs);
        Ensemble e = new Ensemble(Combiner.WEIGHTED, members, train.exampleShape());
        for (int i = 0; i < k; i++) {
            recipe.fit(members.get(i), train, fitRngs.get(i));
        }
        e.weights(fitWeights(members, validation));
        e.eval();
        return e;
    }

    /**
     * Mixture weights on the simplex that minimize the validation negative log-likelihood
     * {@code -1/N Σ_i log Σ_k w_k p_k(y_i | x_i)}. The objective is convex in w, and the weights
     * are the mixing proportions of a mixture with fixed components, so they are found by EM
     * (Dempster et al. 1977): start from 1/K, then repeat {@code w_k ← 1/N Σ_i w_k p_ki / Σ_j w_j p_ji};
     * each step keeps w >= 0 with Σ w = 1 and never increases the NLL. Returns the weights.
     */
    public static double[] fitWeights(List<? extends Module> members, Dataset validation) {
        int k = members.size();
        int n = validation.size();
        positive("Ensembles.fitWeights", "validation size", n);
        int[] y = validation.labels();
        double[][] p = new double[k][n]; // p[k][i]: member k's probability of example i's true class
        for (int m = 0; m < k; m++) {
            float[] lp = logProbs(members.get(m), validation);
            int c = lp.length / n;
            for (int i = 0; i < n; i++) {
                p[m][i] = Math.max(Math.exp(lp[i * c + y[i]]), 1e-300);
            }
        }
        double[] w = new double[k];
        Arrays.fill(w, 1.0 / k);
        double prev = Double.POSITIVE_INFINITY;
        for (int it = 0; it < EM_ITERATIONS; it++) {
            double[] next = new double[k];
            double nll = 0;
            for (int i = 0; i < n; i++) {
                double mix = 0;
                for (int m = 0; m < k; m++) {
                    mix += w[m] * p[m][i];
                }
                nll -= Math.log(mix);
                for (int m = 0; m < k; m++) {
                    next[m] += w[m] * p[m][i] / mix;
                }
            }
            double sum = 0;
            for (int m = 0; m < k; m++) {
                next[m] /= n;
                sum += next[m];
            }
            for (int m = 0; m < k; m++) {
                w[m] = next[m] / sum; // sum is 1 up to rounding
            }
            if (prev - nll / n < 1e-10) {
                break;
            }
            prev = nll / n;
        }
        return w;
    }

    /**
     * Stacking (Wolpert 1992) with {@code k} base members and {@code folds}-fold out-of-fold
     * predictions: the training set is split into folds ({@link #folds}); for each fold, fresh
     * members (same factory and generators) train on the other folds and predict the held-out
     * one, so every example gets K·C features (the members' log-probabilities) from models that
     * never saw it. A multinomial logistic regression (the ensemble's {@code meta} Linear) is fit on
     * those features (full-batch AdamW, 300 steps, lr 0.05, weight decay 1e-4); the final members
     * then train on the whole set. Costs (folds + 1)·k member trainings.
     */
    public static Stacking stacking(int k, EnsembleRecipe recipe, Dataset train, int folds, long seed) {
        positive("Ensembles.stacking", "k", k);
        if (folds < 2 || folds > train.size()) {
            throw new IllegalArgumentException("Ensembles.stacking: folds " + folds + ": expected 2.." + train.size());
        }
        Rng root = new Rng(seed);
        List<Rng> fitRngs = new ArrayList<>();
        List<Module> members = create(recipe, k, root, fitRngs);
        Ensemble e = new Ensemble(Combiner.STACKING, members, train.exampleShape(), root.split());
        int n = train.size();
        int c = e.numClasses();
        int[] foldOf = folds(n, folds, seed);
        float[] oof = new float[n * k * c];
        for (int f = 0; f < folds; f++) {
            List<Integer> in = new ArrayList<>();
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                (foldOf[i] == f ? out : in).add(i);
            }
            Subset fitPart = new Subset(train, in.stream().mapToInt(Integer::intValue).toArray());
            int[] held = out.stream().mapToInt(Integer::intValue).toArray();
            Subset heldPart = new Subset(train, held);
            Rng memberRoot = new Rng(seed);
            for (int m = 0; m < k; m++) {
                Rng r = memberRoot.split();
                Module fresh = recipe.create(m, r.split());
                recipe.fit(fresh, fitPart, r.split());
                float[] lp = logProbs(fresh, heldPart);
                for (int j = 0; j < held.length; j++) {
                    System.arraycopy(lp, j * c, oof, (held[j] * k + m) * c, c);
                }
            }
        }
        fitMeta(e.meta(), oof, train.labels(), k * c);
        for (int m = 0; m < k; m++) {
            recipe.fit(members.get(m), train, fitRngs.get(m));
        }
        e.eval();
        return new Stacking(e, foldOf, oof);
    }

    /** Trains {@code meta} (features → logits) by full-batch AdamW on cross-entropy. */
    static void fitMeta(Linear meta, float[] features, int[] labels, int width) {
        int n = labels.length;
        Tensor x = Tensor.of(features, n, width);
        Tensor y = Tensor.ofInts(labels, n);
        AdamW opt = new AdamW(AdamW.options().lr(META_LR).weightDecay(META_WEIGHT_DECAY), meta.parameters());
        meta.train();
        for (int s = 0; s < META_STEPS; s++) {
            Tensor loss = dev.jumbo.nn.Losses.crossEntropy(meta.call(x), y);
            loss.backward();
            opt.step();
            opt.zeroGrad();
        }
        meta.eval();
    }

    /** A seeded assignment of {@code n} examples to {@code k} folds of sizes differing by at most one. */
    public static int[] folds(int n, int k, long seed) {
        int[] perm = Tensor.randperm(new Rng(seed ^ 0x5DEECE66DL), n).toIntArray();
        int[] foldOf = new int[n];
        for (int j = 0; j < n; j++) {
            foldOf[perm[j]] = j % k;
        }
        return foldOf;
    }

    /**
     * Member {@code model}'s log-probabilities for every example of {@code data}, row-major [N, C],
     * computed in eval mode without the tape (the model's mode is restored).
     */
    public static float[] logProbs(Module model, Dataset data) {
        int n = data.size();
        int size = data.exampleSize();
        int[] shape = data.exampleShape();
        float[] out = null;
        boolean was = model.isTraining();
        model.eval();
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (int from = 0; from < n; from += BATCH) {
                int b = Math.min(BATCH, n - from);
                float[] xs = new float[b * size];
                for (int i = 0; i < b; i++) {
                    data.read(from + i, xs, i * size);
                }
                int[] full = new int[shape.length + 1];
                full[0] = b;
                System.arraycopy(shape, 0, full, 1, shape.length);
                Tensor lp = model.call(Tensor.of(xs, full)).logSoftmax(-1).contiguous();
                int c = lp.size(1);
                if (out == null) {
                    out = new float[n * c];
                }
                System.arraycopy(lp.data(), lp.offset(), out, from * c, b * c);
            }
        } finally {
            model.train(was);
        }
        return out == null ? new float[0] : out;
    }

    /**
     * An ensemble of saved models (model or run directories, read by {@link Model#read}); all must
     * have the same class names (or none) and output shape, checked before the ensemble is built.
     * A weighted ensemble starts with uniform weights. The input shape comes from the saved specs
     * (zoo models and specs with {@code input_shape}); see {@link #load(Combiner, List, int[])} otherwise.
     */
    public static Loaded load(Combiner combiner, List<Path> dirs) throws IOException {
        return load(combiner, dirs, null);
    }

    /** As {@link #load(Combiner, List)}, with one input's shape for members whose spec does not give it. */
    public static Loaded load(Combiner combiner, List<Path> dirs, int[] inputShape) throws IOException {
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("Ensembles.load: no model directories: expected at least one");
        }
        List<Module> members = new ArrayList<>();
        List<String> classes = null;
        int[] shape = inputShape;
        Path first = null;
        for (Path d : dirs) {
            Model.Loaded m = Model.read(d);
            if (classes == null) {
                classes = m.classNames();
                shape = shape != null ? shape : m.inputShape();
                first = m.dir();
            } else if (!classes.equals(m.classNames())) {
                throw new IllegalArgumentException("Ensembles.load: " + m.dir() + " has classes " + m.classNames()
                        + ": expected " + classes + " like " + first + " (members must predict the same classes)");
            } else if (shape != null && m.inputShape() != null && !Arrays.equals(shape, m.inputShape())) {
                throw new IllegalArgumentException("Ensembles.load: " + m.dir() + " takes inputs "
                        + Arrays.toString(m.inputShape()) + ": expected " + Arrays.toString(shape) + " like " + first);
            }
            members.add(m.module());
        }
        Ensemble e = new Ensemble(combiner, members, shape);
        e.eval();
        return new Loaded(e, classes);
    }

    private static void checkSameTask(String what, Dataset train, Dataset validation) {
        if (!Arrays.equals(train.exampleShape(), validation.exampleShape()) || train.numClasses() != validation.numClasses()) {
            throw new IllegalArgumentException(what + ": validation has inputs " + Arrays.toString(validation.exampleShape())
                    + " and " + validation.numClasses() + " classes: expected " + Arrays.toString(train.exampleShape())
                    + " and " + train.numClasses() + " like the training set");
        }
    }

    private static void positive(String what, String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + ": " + name + " " + v + ": expected >= 1");
        }
    }
}
