package dev.jumbo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.data.DataLoader;
import dev.jumbo.nn.BasicBlock;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.Model;
import dev.jumbo.nn.ModelSpec;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.ReLU;
import dev.jumbo.nn.Sequential;
import dev.jumbo.nn.StochasticDepth;
import dev.jumbo.nn.zoo.ResNet;
import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.optim.MaxNorm;
import dev.jumbo.optim.Regularizer;
import dev.jumbo.optim.SGD;
import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegularizationTest {
    @TempDir
    Path tmp;

    private static Sequential mlp(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(Run.FEATURES, 6, rng), new ReLU(), new Linear(6, Run.CLASSES, rng));
    }

    @Test
    void penaltyGradientsAreExactAgainstAutogradAndFiniteDifferences() {
        Sequential m = mlp(1);
        Regularizer reg = Regularizer.none().l2(0.03, "*.weight").l1(0.02, "2.*");
        // autograd of the penalty tensor
        reg.penalty(m).backward();
        Map<String, float[]> auto = new java.util.LinkedHashMap<>();
        m.namedParameters().forEach((k, t) -> auto.put(k, t.grad() == null ? null : t.grad().toFloatArray()));
        m.zeroGrad();
        reg.addGradients(m);
        assertThat(m.namedParameters().get("0.bias").grad()).as("no term selects 0.bias").isNull();
        m.namedParameters().forEach((name, w) -> {
            if (w.grad() == null) {
                return;
            }
            float[] g = w.grad().toFloatArray();
            float[] v = w.toFloatArray();
            assertThat(g).as(name).containsExactly(auto.get(name), within(1e-6f));
            for (int i = 0; i < g.length; i++) {
                double analytic = (name.endsWith("weight") ? 2 * 0.03 * v[i] : 0) + (name.startsWith("2.") ? 0.02 * Math.signum(v[i]) : 0);
                assertThat((double) g[i]).as(name + "[" + i + "]").isCloseTo(analytic, within(1e-7));
                // central finite difference of the double-precision value
                float keep = v[i];
                float h = 1e-3f;
                w.data()[w.offset() + i] = keep + h;
                double up = reg.value(m);
                w.data()[w.offset() + i] = keep - h;
                double down = reg.value(m);
                w.data()[w.offset() + i] = keep;
                assertThat((up - down) / (2 * h)).as("finite difference " + name + "[" + i + "]").isCloseTo(g[i], within(2e-4));
            }
        });
        assertThat(reg.value(m)).isCloseTo(reg.penalty(m).item(), within(1e-5));
    }

    @Test
    void trainerAddsTheL2GradientBeforeTheStep() {
        // one plain SGD step: w1 = w0 - lr (g_data + 2 λ w0)
        Tensor x = Tensor.randn(new Rng(3), 5, Run.FEATURES);
        Tensor y = Tensor.ofInts(new int[] {0, 1, 2, 0, 1}, 5);
        Sequential a = mlp(2);
        a.call(x).logSoftmax(-1);
        dev.jumbo.nn.Losses.crossEntropy(a.call(x), y).backward();
        Tensor w0 = a.namedParameters().get("0.weight").copy();
        Tensor g = a.namedParameters().get("0.weight").grad().copy();
        Sequential b = mlp(2);
        Trainer t = Trainer.builder().optimizer(new SGD(SGD.options().lr(0.1), b.parameters()))
                .regularizer(Regularizer.none().l2(0.5)).build();
        try (DataLoader dl = DataLoader.builder(dev.jumbo.data.TensorDataset.of(x, y, Run.CLASSES)).batchSize(5).build()) {
            t.fit(b, dl, null, 1);
        }
        float[] expected = w0.sub(g.add(w0.mul(1f)).mul(0.1f)).toFloatArray(); // 2 λ = 1
        assertThat(b.namedParameters().get("0.weight").toFloatArray()).containsExactly(expected, within(1e-6f));
    }

    @Test
    void maxNormHoldsAfterEverySteps() {
        Run run = new Run(4, 96);
        MaxNorm mn = new MaxNorm(0.5);
        Trainer t = Trainer.builder().optimizer(new SGD(SGD.options().lr(0.5), run.model.parameters())).constraint(mn).build();
        List<Double> worst = new java.util.ArrayList<>();
        Callback check = new Callback() {
            @Override
            public void onBatchEnd(int batch, Map<String, Double> logs) {
                double max = 0;
                for (var e : run.model.namedParameters().entrySet()) {
                    Tensor w = e.getValue();
                    if (w.dim() < 2) {
                        continue;
                    }
                    max = Math.max(max, w.square().sum(1, false).sqrt().max().item());
                }
                worst.add(max);
            }
        };
        t.fit(run.model, run.train, null, 2, check);
        assertThat(worst).hasSize(12).allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(0.5 + 1e-5));
        assertThat(worst).anySatisfy(v -> assertThat(v).isGreaterThan(0.49)); // the constraint was active
        assertThatThrownBy(() -> new MaxNorm(-1)).hasMessageContaining("maxValue -1.0");
    }

    @Test
    void stochasticDepthIsIdentityInEvalAndUnbiasedInTraining() {
        Tensor ones = Tensor.ones(20000, 3);
        Tensor out = StochasticDepth.apply(ones, 0.3, true, new Rng(5));
        float[] o = out.toFloatArray();
        int dropped = 0;
        for (int i = 0; i < 20000; i++) {
            assertThat(o[i * 3]).isEqualTo(o[i * 3 + 2]); // whole rows
            dropped += o[i * 3] == 0 ? 1 : 0;
        }
        assertThat(dropped / 20000.0).isCloseTo(0.3, within(0.015));
        assertThat(out.mean().item()).isCloseTo(1f, within(0.02f));
        assertThat(StochasticDepth.apply(ones, 0.3, false, new Rng(5))).isSameAs(ones);
        assertThatThrownBy(() -> StochasticDepth.apply(ones, 1.5, true, new Rng(5))).hasMessageContaining("p 1.5");

        Rng rng = new Rng(6);
        BasicBlock plain = new BasicBlock(4, 4, 1, new Rng(7));
        BasicBlock sd = new BasicBlock(4, 4, 1, new Rng(7));
        sd.stochasticDepth(0.5, rng);
        Tensor x = Tensor.randn(new Rng(8), 6, 4, 5, 5);
        plain.eval();
        sd.eval();
        assertThat(sd.forward(x).toFloatArray()).containsExactly(plain.forward(x).toFloatArray());
        assertThatThrownBy(() -> new BasicBlock(4, 4, 1, rng).stochasticDepth(1.0, rng))
                .hasMessageContaining("stochastic_depth_prob 1.0");
    }

    @Test
    void resnetStochasticDepthGrowsLinearlyAndRoundTrips() throws Exception {
        ResNet net = ((ResNet) Zoo.create("resnet_small", new Rng(1))).stochasticDepth(0.3, new Rng(2));
        List<Double> ps = net.namedModules().values().stream().filter(m -> m instanceof BasicBlock)
                .map(m -> ((BasicBlock) m).stochasticDepthProb()).toList();
        assertThat(ps).hasSize(3);
        assertThat(ps.get(0)).isCloseTo(0.1, within(1e-12));
        assertThat(ps.get(1)).isCloseTo(0.2, within(1e-12));
        assertThat(ps.get(2)).isCloseTo(0.3, within(1e-12));
        Model.save(tmp.resolve("m"), net, List.of());
        Model.Loaded back = Model.read(tmp.resolve("m"));
        assertThat(back.spec().toJson()).contains("\"stochastic_depth_prob\" : 0.3");
        assertThat(((ResNet) back.module()).stochasticDepthProb()).isEqualTo(0.3);
        Tensor x = Tensor.randn(new Rng(3), 2, 1, 28, 28);
        net.eval();
        try (Autograd.Scope s = Autograd.noGrad()) {
            assertThat(back.module().forward(x).toFloatArray()).containsExactly(net.forward(x).toFloatArray());
        }
        // and per block in a layer list
        Module seq = new Sequential(new BasicBlock(1, 2, 1, new Rng(4)).stochasticDepth(0.25, new Rng(5)));
        ModelSpec spec = ModelSpec.fromJson(ModelSpec.of(seq).toJson());
        assertThat(((BasicBlock) ((Sequential) spec.build(new Rng(0))).get(0)).stochasticDepthProb()).isEqualTo(0.25);
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"zoo\": \"resnet_small\", \"stochastic_depth_prob\": 2}"))
                .hasMessageContaining("stochastic_depth_prob: 2.0");
    }
}
