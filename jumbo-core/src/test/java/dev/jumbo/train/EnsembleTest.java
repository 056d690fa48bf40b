package dev.jumbo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.data.DataLoader;
import dev.jumbo.data.Dataset;
import dev.jumbo.data.Subset;
import dev.jumbo.data.TensorDataset;
import dev.jumbo.nn.Ensemble;
import dev.jumbo.nn.Ensemble.Combiner;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.Model;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.ReLU;
import dev.jumbo.nn.Sequential;
import dev.jumbo.optim.AdamW;
import dev.jumbo.optim.CyclicCosineLR;
import dev.jumbo.optim.SGD;
import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleTest {
    private static final int[] SHAPE = {Run.FEATURES};

    @TempDir
    Path tmp;

    private static Sequential mlp(Rng rng) {
        return new Sequential(new Linear(Run.FEATURES, 8, rng), new ReLU(), new Linear(8, Run.CLASSES, rng));
    }

    private static final EnsembleRecipe RECIPE = EnsembleRecipe.of((i, rng) -> mlp(rng), (model, data, rng) -> {
        try (DataLoader dl = DataLoader.builder(data).batchSize(16).shuffle(true).seed(rng.nextLong()).build()) {
            Trainer.builder().optimizer(new AdamW(AdamW.options().lr(0.02), model.parameters())).build().fit(model, dl, null, 2);
        }
    });

    private static Tensor inputs(Dataset d) {
        float[] x = new float[d.size() * d.exampleSize()];
        for (int i = 0; i < d.size(); i++) {
            d.read(i, x, i * d.exampleSize());
        }
        return Tensor.of(x, d.size(), Run.FEATURES);
    }

    private static float[] out(Module m, Tensor x) {
        m.eval();
        try (Autograd.Scope s = Autograd.noGrad()) {
            return m.call(x).toFloatArray();
        }
    }

    private void assertRoundTrip(Ensemble e, String name) throws Exception {
        Tensor x = inputs(Run.blobs(40, 21));
        Model.save(tmp.resolve(name), e, List.of("a", "b", "c"));
        Model.Loaded back = Model.read(tmp.resolve(name));
        assertThat(back.module()).isInstanceOf(Ensemble.class);
        assertThat(((Ensemble) back.module()).combiner()).isEqualTo(e.combiner());
        assertThat(back.classNames()).containsExactly("a", "b", "c");
        assertThat(out(back.module(), x)).as(name).containsExactly(out(e, x));
        // log-probabilities: every row's exponentials sum to 1
        float[] lp = out(back.module(), x);
        for (int i = 0; i < 40; i++) {
            double s = 0;
            for (int c = 0; c < Run.CLASSES; c++) {
                s += Math.exp(lp[i * Run.CLASSES + c]);
            }
            assertThat(s).as(name + " row " + i).isCloseTo(1, within(1e-4));
        }
    }

    @Test
    void votingAndBaggingTrainEvaluateAndRoundTrip() throws Exception {
        TensorDataset train = Run.blobs(96, 11);
        Ensemble soft = Ensembles.train(Combiner.SOFT, 3, RECIPE, train, 1);
        Ensemble hard = Ensembles.train(Combiner.HARD, 3, RECIPE, train, 1);
        Ensemble bag = Ensembles.bagging(Combiner.SOFT, 3, RECIPE, train, 1);
        assertRoundTrip(soft, "soft");
        assertRoundTrip(hard, "hard");
        assertRoundTrip(bag, "bag");
        // same seed: same members; the members differ from each other
        assertThat(out(Ensembles.train(Combiner.SOFT, 3, RECIPE, train, 1), inputs(train))).containsExactly(out(soft, inputs(train)));
        assertThat(out(soft.members().get(0), inputs(train))).isNotEqualTo(out(soft.members().get(1), inputs(train)));

        // Trainer.evaluate on the ensemble: accuracy of argmax of the mean probabilities, loss = its NLL
        TensorDataset test = Run.blobs(64, 12);
        Evaluation ev;
        try (DataLoader dl = DataLoader.builder(test).batchSize(20).build()) {
            ev = Trainer.builder().optimizer(new SGD(SGD.options().lr(0.1), soft.parameters())).build().evaluate(soft, dl);
        }
        float[][] probs = new float[3][];
        for (int m = 0; m < 3; m++) {
            probs[m] = out(soft.members().get(m), inputs(test));
        }
        int correct = 0;
        double nll = 0;
        for (int i = 0; i < 64; i++) {
            double[] mean = new double[Run.CLASSES];
            for (int m = 0; m < 3; m++) {
                double z = 0;
                for (int c = 0; c < Run.CLASSES; c++) {
                    z += Math.exp(probs[m][i * Run.CLASSES + c]);
                }
                for (int c = 0; c < Run.CLASSES; c++) {
                    mean[c] += Math.exp(probs[m][i * Run.CLASSES + c]) / z / 3;
                }
            }
            int best = 0;
            for (int c = 1; c < Run.CLASSES; c++) {
                best = mean[c] > mean[best] ? c : best;
            }
            correct += best == test.label(i) ? 1 : 0;
            nll -= Math.log(mean[test.label(i)]);
        }
        assertThat(ev.accuracy()).isEqualTo(correct / 64.0);
        assertThat(ev.loss()).isCloseTo(nll / 64, within(1e-4));
        assertThat(ev.accuracy()).isGreaterThan(0.6);
    }

    @Test
    void softVotingOfIdenticalMembersIsTheMemberAndHardVotingIsTheMajority() {
        Module a = mlp(new Rng(3));
        Module b = mlp(new Rng(3));
        Module c = mlp(new Rng(4));
        Tensor x = inputs(Run.blobs(30, 5));
        float[] member = Trainer.predictWith(a, x).toFloatArray();
        float[] ens = Trainer.predictWith(new Ensemble(Combiner.SOFT, List.of(a, b), SHAPE), x).toFloatArray();
        assertThat(ens).containsExactly(member, within(1e-6f));
        // two identical members outvote the third
        Tensor hard = Trainer.predictWith(new Ensemble(Combiner.HARD, List.of(a, b, c), SHAPE), x);
        assertThat(hard.argmax(1, false).toIntArray()).containsExactly(Trainer.predictWith(a, x).argmax(1, false).toIntArray());
    }

    @Test
    void weightedWeightsAreOnTheSimplexAndDoNotLoseToUniform() throws Exception {
        TensorDataset train = Run.blobs(96, 11);
        TensorDataset val = Run.blobs(64, 13);
        Ensemble w = Ensembles.weighted(3, RECIPE, train, val, 2);
        double[] weights = w.weights();
        assertThat(Arrays.stream(weights).sum()).isCloseTo(1, within(1e-6));
        assertThat(Arrays.stream(weights).min().getAsDouble()).isGreaterThanOrEqualTo(0);
        assertRoundTrip(w, "weighted");
        assertThat(((Ensemble) Model.read(tmp.resolve("weighted")).module()).weights()).containsExactly(weights, within(1e-7));
        // a bad member gets (almost) no weight: a constant predictor of class 0
        Sequential bad = mlp(new Rng(9));
        bad.namedParameters().values().forEach(t -> Arrays.fill(t.data(), 0f));
        bad.namedParameters().get("2.bias").data()[0] = 5f;
        List<Module> members = new ArrayList<>(w.members());
        members.add(bad);
        double[] fit = Ensembles.fitWeights(members, val);
        assertThat(fit[3]).isLessThan(0.05);
        assertThat(nll(members, fit, val)).isLessThanOrEqualTo(nll(members, new double[] {0.25, 0.25, 0.25, 0.25}, val));
        assertThatThrownBy(() -> w.weights(new double[] {0.5, 0.6, -0.1})).hasMessageContaining("weights[2] -0.1");
    }

    private static double nll(List<Module> members, double[] w, Dataset val) {
        double s = 0;
        List<float[]> lps = members.stream().map(m -> Ensembles.logProbs(m, val)).toList();
        for (int i = 0; i < val.size(); i++) {
            double p = 0;
            for (int m = 0; m < w.length; m++) {
                p += w[m] * Math.exp(lps.get(m)[i * Run.CLASSES + val.label(i)]);
            }
            s -= Math.log(p);
        }
        return s / val.size();
    }

    @Test
    void stackingUsesOnlyOutOfFoldPredictions() throws Exception {
        TensorDataset train = Run.blobs(60, 11);
        // A recipe that records what each fit trained on and makes the model predict the number of
        // the fit call (mod 3) everywhere, so out-of-fold features reveal which model produced them.
        List<int[]> seen = new ArrayList<>();
        EnsembleRecipe marking = EnsembleRecipe.of((i, rng) -> mlp(rng), (model, data, rng) -> {
            seen.add(data instanceof Subset s ? s.indices() : null);
            model.namedParameters().values().forEach(t -> Arrays.fill(t.data(), 0f));
            model.namedParameters().get("2.bias").data()[(seen.size() - 1) % Run.CLASSES] = 4f;
        });
        Ensembles.Stacking st = Ensembles.stacking(2, marking, train, 3, 5);
        assertThat(seen).hasSize(3 * 2 + 2);
        int[] foldOf = st.foldOf();
        for (int f = 0; f < 3; f++) {
            for (int m = 0; m < 2; m++) {
                int call = f * 2 + m;
                Set<Integer> trained = new HashSet<>();
                for (int i : seen.get(call)) {
                    trained.add(i);
                }
                for (int i = 0; i < 60; i++) {
                    assertThat(trained.contains(i)).as("fold " + f + " example " + i).isEqualTo(foldOf[i] != f);
                    if (foldOf[i] == f) {
                        // example i's feature block of member m came from this call's model, which never saw it
                        float[] block = Arrays.copyOfRange(st.outOfFold(), (i * 2 + m) * 3, (i * 2 + m) * 3 + 3);
                        int arg = block[0] >= block[1] && block[0] >= block[2] ? 0 : block[1] >= block[2] ? 1 : 2;
                        assertThat(arg).isEqualTo(call % 3);
                    }
                }
            }
        }
        assertThat(seen.get(6)).isNull(); // the final members train on the whole set
        long[] sizes = new long[3];
        for (int f : foldOf) {
            sizes[f]++;
        }
        assertThat(sizes).containsExactly(20, 20, 20);

        Ensembles.Stacking real = Ensembles.stacking(2, RECIPE, train, 3, 5);
        assertRoundTrip(real.ensemble(), "stacking");
        try (DataLoader dl = DataLoader.builder(Run.blobs(64, 12)).batchSize(32).build()) {
            double acc = Trainer.builder().optimizer(new SGD(SGD.options().lr(0.1), real.ensemble().parameters())).build()
                    .evaluate(real.ensemble(), dl).accuracy();
            assertThat(acc).isGreaterThan(0.6);
        }
    }

    @Test
    void bootstrapSamplesDependOnSeedAndMember() {
        int[] a = Ensembles.bootstrap(200, 1, 0);
        assertThat(Ensembles.bootstrap(200, 1, 0)).containsExactly(a);
        assertThat(Ensembles.bootstrap(200, 2, 0)).isNotEqualTo(a);
        assertThat(Ensembles.bootstrap(200, 1, 1)).isNotEqualTo(a);
        assertThat(Arrays.stream(a).min().getAsInt()).isGreaterThanOrEqualTo(0);
        assertThat(Arrays.stream(a).max().getAsInt()).isLessThan(200);
        long distinct = Arrays.stream(a).distinct().count();
        assertThat(distinct).isBetween(100L, 150L); // about 1 - 1/e = 63% of 200
    }

    @Test
    void snapshotEnsembleHasOneMemberPerCycleAndTheLrRestarts() throws Exception {
        Run run = new Run(7, 96);
        SnapshotEnsemble.Result r = SnapshotEnsemble.builder().cycles(3).epochsPerCycle(2)
                .optimizer(m -> new SGD(SGD.options().lr(0.1).momentum(0.9), m.parameters())).seed(1)
                .train(run.model, run.train, null);
        assertThat(r.ensemble().members()).hasSize(3);
        assertThat(r.history().epochs()).hasSize(6);
        Tensor x = inputs(Run.blobs(20, 3));
        assertThat(out(r.ensemble().members().get(0), x)).isNotEqualTo(out(r.ensemble().members().get(2), x));
        assertThat(out(r.ensemble().members().get(2), x)).containsExactly(out(run.model, x)); // the last snapshot = the end
        assertRoundTrip(r.ensemble(), "snapshot");
        // epoch lrs: start of each cycle is the base lr again
        List<Double> lrs = r.history().epochs().stream().map(e -> e.get("lr")).toList();
        assertThat(lrs.get(0)).isCloseTo(0.1, within(1e-7));
        assertThat(lrs.get(2)).isCloseTo(0.1, within(1e-7));
        assertThat(lrs.get(4)).isCloseTo(0.1, within(1e-7));
        assertThat(lrs.get(1)).isLessThan(0.1);
        SGD opt = new SGD(SGD.options().lr(1.0), List.of(Tensor.zeros(1).requiresGrad(true)));
        CyclicCosineLR s = new CyclicCosineLR(opt, 4, 0.0);
        List<Double> seq = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            seq.add(opt.lr());
            s.step();
        }
        assertThat(seq.get(2)).isCloseTo(0.5, within(1e-7));
        assertThat(seq.get(4)).isCloseTo(1.0, within(1e-7));
        assertThat(seq.get(8)).isCloseTo(1.0, within(1e-7));
    }

    @Test
    void mismatchedMembersAreRejectedBeforeAnyWork() throws Exception {
        Rng rng = new Rng(1);
        Module three = mlp(rng);
        Module four = new Sequential(new Linear(Run.FEATURES, 4, rng));
        assertThatThrownBy(() -> new Ensemble(Combiner.SOFT, List.of(three, four), SHAPE))
                .hasMessage("Ensemble: member 1 outputs [1,4]: expected [1,3] like member 0 (members must predict the same classes)");
        assertThatThrownBy(() -> new Ensemble(Combiner.SOFT, List.of(), SHAPE)).hasMessageContaining("no members");
        assertThatThrownBy(() -> new Ensemble(Combiner.SOFT, List.of(three), new int[] {5}))
                .hasMessageContaining("member 0 (Sequential) fails on an input [1,5]");
        int[] fits = {0};
        EnsembleRecipe mixed = EnsembleRecipe.of((i, r) -> i == 2 ? new Sequential(new Linear(Run.FEATURES, 4, r)) : mlp(r),
                (m, d, r) -> fits[0]++);
        assertThatThrownBy(() -> Ensembles.train(Combiner.SOFT, 3, mixed, Run.blobs(10, 1), 1))
                .hasMessageContaining("member 2 outputs [1,4]");
        assertThat(fits[0]).as("no member trained").isZero();
        // saved models with different classes
        Model.save(tmp.resolve("a"), mlp(rng), List.of("x", "y", "z"));
        Model.save(tmp.resolve("b"), mlp(rng), List.of("x", "y", "w"));
        assertThatThrownBy(() -> Ensembles.load(Combiner.SOFT, List.of(tmp.resolve("a"), tmp.resolve("b")), SHAPE))
                .hasMessageContaining("has classes [x, y, w]: expected [x, y, z]");
        Model.save(tmp.resolve("c"), mlp(rng), List.of("x", "y", "z"));
        assertThat(Ensembles.load(Combiner.HARD, List.of(tmp.resolve("a"), tmp.resolve("c")), SHAPE).ensemble().members()).hasSize(2);
    }
}
