package dev.jumbo.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jumbo.autograd.GradCheck;
import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayersTest {

    private static Tensor[] withParams(Tensor x, Module m) {
        List<Tensor> all = new ArrayList<>();
        all.add(x.requiresGrad(true));
        all.addAll(m.parameters());
        return all.toArray(new Tensor[0]);
    }

    @Test
    void gradientsReachEveryParameterOfATinyMlp() {
        Rng rng = new Rng(3);
        Sequential m = new Sequential(new Linear(4, 5, rng), new Tanh(), new Linear(5, 3, rng), new SiLU(),
                new LayerNorm(3), new Linear(3, 2, rng), new LogSoftmax(1));
        Tensor x = Tensor.randn(rng, 3, 4);
        GradCheck.check("tiny mlp", in -> m.forward(in[0]), withParams(x, m));
        for (Tensor p : m.parameters()) {
            assertThat(p.grad()).as("gradient of a parameter").isNotNull();
        }
    }

    @Test
    void gradientsReachEveryParameterOfATinyCnn() {
        Rng rng = new Rng(4);
        Sequential m = new Sequential(new Conv2d(2, 3, 3, 1, 1, true, rng), new BatchNorm2d(3), new GELU(),
                new AvgPool2d(2), new Conv2d(3, 4, 2, rng), new Flatten(), new Linear(4, 2, rng));
        m.parameters().get(2).data()[0] = 1.3f; // a non-trivial BN weight
        Tensor x = Tensor.randn(rng, 3, 2, 5, 5);
        GradCheck.check("tiny cnn", in -> m.forward(in[0]), withParams(x, m));
        Rng rng2 = new Rng(5);
        Sequential seq1d = new Sequential(new Conv1d(2, 3, 3, 1, 1, 1, 1, true, rng2), new BatchNorm1d(3),
                new LeakyReLU(0.1), new RMSNorm(6), new Flatten(), new Linear(18, 2, rng2));
        GradCheck.check("tiny conv1d", in -> seq1d.forward(in[0]), withParams(Tensor.randn(rng2, 4, 2, 6), seq1d));
    }

    @Test
    void residualBlocksHaveGradientsAndShapes() {
        Rng rng = new Rng(6);
        BasicBlock b = new BasicBlock(2, 3, 2, rng);
        assertThat(b.stateDict().keySet()).contains("downsample.0.weight", "downsample.1.running_var");
        GradCheck.check("basic block", in -> b.forward(in[0]), 1e-3, 3e-2, withParams(Tensor.randn(rng, 2, 2, 4, 4), b));
        Bottleneck n = new Bottleneck(8, 2, 1, rng);
        assertThat(n.downsample).isNull();
        assertThat(n.forward(Tensor.randn(rng, 2, 8, 3, 3)).shape()).containsExactly(2, 8, 3, 3);
        assertThat(new Bottleneck(4, 2, 2, rng).forward(Tensor.randn(rng, 1, 4, 5, 5)).shape()).containsExactly(1, 8, 3, 3);
    }

    @Test
    void layersForwardExactlyTheEngineOps() {
        Rng rng = new Rng(7);
        Tensor x = Tensor.randn(rng, 2, 4, 6, 6);
        Conv2d c = new Conv2d(4, 6, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 2, true, rng);
        assertThat(c.forward(x).toFloatArray()).isEqualTo(
                x.conv2d(c.weight, c.bias, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 2).toFloatArray());
        assertThat(new MaxPool2d(3, 2, 1).forward(x).toFloatArray()).isEqualTo(x.maxPool2d(3, 2, 1).toFloatArray());
        assertThat(new AdaptiveAvgPool2d(1, 1).forward(x).shape()).containsExactly(2, 4, 1, 1);
        assertThat(new Softmax(1).forward(x).toFloatArray()).isEqualTo(x.softmax(1).toFloatArray());
        assertThat(new Identity().forward(x)).isSameAs(x);
        assertThat(new ReLU6().forward(Tensor.vector(-1, 3, 9)).toFloatArray()).containsExactly(0, 3, 6);
        Embedding e = new Embedding(5, 3, rng);
        Tensor rows = e.forward(Tensor.ofInts(new int[] {4, 0}, 2));
        assertThat(rows.shape()).containsExactly(2, 3);
        assertThat(rows.select(0, 0).toFloatArray()).isEqualTo(e.weight.select(0, 4).toFloatArray());
    }

    @Test
    void dropoutDropsOnlyInTraining() {
        Dropout d = new Dropout(0.5, 11);
        Tensor x = Tensor.ones(1000);
        float[] y = d.forward(x).toFloatArray();
        int zeros = 0;
        for (float v : y) {
            zeros += v == 0 ? 1 : 0;
            assertThat(v).isIn(0f, 2f);
        }
        assertThat(zeros).isBetween(400, 600);
        d.eval();
        assertThat(d.forward(x)).isSameAs(x);
        // same seed, same mask
        assertThat(new Dropout(0.5, 11).forward(x).toFloatArray()).isEqualTo(y);
    }

    @Test
    void batchNormUsesBatchStatisticsInTrainingAndRunningOnesInEval() {
        BatchNorm2d bn = new BatchNorm2d(2);
        Tensor x = Tensor.randn(new Rng(8), 4, 2, 3, 3).mul(3f).add(5f);
        Tensor yTrain = bn.forward(x);
        assertThat(yTrain.mean().item()).isCloseTo(0f, within(1e-4f));
        assertThat(bn.numBatchesTracked.toIntArray()).containsExactly(1);
        float[] rm = bn.runningMean.toFloatArray();
        float[] batchMean = x.mean(new int[] {0, 2, 3}, false).toFloatArray();
        for (int c = 0; c < 2; c++) {
            assertThat(rm[c]).isCloseTo(0.1f * batchMean[c], within(1e-4f)); // momentum 0.1 from 0
        }
        bn.eval();
        Tensor yEval = bn.forward(x);
        assertThat(bn.numBatchesTracked.toIntArray()).containsExactly(1);
        assertThat(yEval.toFloatArray()).isNotEqualTo(yTrain.toFloatArray());
        assertThat(bn.runningMean.toFloatArray()).isEqualTo(rm);
        assertThatThrownBy(() -> bn.forward(Tensor.zeros(2, 3, 4, 4)))
                .hasMessage("BatchNorm2d: input [2,3,4,4], expected [N,C,H,W] with C = 2");
    }

    @Test
    void defaultInitMatchesPyTorchBounds() {
        Rng rng = new Rng(9);
        Linear l = new Linear(400, 300, rng);
        double bound = 1 / Math.sqrt(400); // kaiming_uniform(a=√5) = U(±1/√fan_in)
        assertUniform(l.weight.toFloatArray(), bound);
        assertUniform(l.bias.toFloatArray(), bound);
        Conv2d c = new Conv2d(16, 32, 3, rng);
        assertUniform(c.weight.toFloatArray(), 1 / Math.sqrt(16 * 9));
        Tensor w = Tensor.zeros(256, 128, 3, 3);
        Init.kaimingNormal(w, 0, Init.Mode.FAN_OUT, "relu", rng);
        assertThat(std(w.toFloatArray())).isCloseTo(Math.sqrt(2.0 / (256 * 9)), within(2e-4));
        Init.kaimingUniform(w, 0, Init.Mode.FAN_IN, "relu", rng);
        assertUniform(w.toFloatArray(), Math.sqrt(2) * Math.sqrt(3.0 / (128 * 9)));
        Init.xavierUniform(w, 1, rng);
        assertUniform(w.toFloatArray(), Math.sqrt(6.0 / (128 * 9 + 256 * 9)));
        Init.xavierNormal(w, 1, rng);
        assertThat(std(w.toFloatArray())).isCloseTo(Math.sqrt(2.0 / (128 * 9 + 256 * 9)), within(2e-4));
        assertThat(std(new Embedding(1000, 100, rng).weight.toFloatArray())).isCloseTo(1.0, within(0.01));
        BatchNorm1d bn = new BatchNorm1d(3);
        assertThat(bn.weight.toFloatArray()).containsExactly(1, 1, 1);
        assertThat(bn.runningVar.toFloatArray()).containsExactly(1, 1, 1);
        assertThat(Init.gain("leaky_relu", Math.sqrt(5))).isCloseTo(Math.sqrt(1.0 / 3), within(1e-12));
        assertThatThrownBy(() -> Init.gain("swish", 0)).hasMessageContaining("nonlinearity 'swish'");
    }

    private static void assertUniform(float[] v, double bound) {
        double max = 0;
        for (float x : v) {
            assertThat(Math.abs(x)).isLessThanOrEqualTo((float) bound);
            max = Math.max(max, Math.abs(x));
        }
        assertThat(max).isGreaterThan(0.98 * bound);
        assertThat(std(v)).isCloseTo(bound / Math.sqrt(3), within(0.02 * bound));
    }

    private static double std(float[] v) {
        double s = 0, s2 = 0;
        for (float x : v) {
            s += x;
            s2 += (double) x * x;
        }
        double m = s / v.length;
        return Math.sqrt(s2 / v.length - m * m);
    }

    @Test
    void sameSeedSameModelDifferentSeedDifferentModel() {
        assertThat(ModuleTest.cnn(3).parameters().get(0).toFloatArray())
                .isEqualTo(ModuleTest.cnn(3).parameters().get(0).toFloatArray())
                .isNotEqualTo(ModuleTest.cnn(4).parameters().get(0).toFloatArray());
    }

    @Test
    void forwardAddsNoCopyForContiguousFlatten() {
        Tensor x = Tensor.zeros(2, 3, 4, 4);
        try (var ignored = Autograd.noGrad()) {
            assertThat(new Flatten().forward(x).sharesStorage(x)).isTrue();
        }
    }

    @Test
    void badArgumentsNameLayerFieldAndValue() {
        Rng rng = new Rng(1);
        assertThatThrownBy(() -> new Conv2d(3, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1},
                2, true, rng)).hasMessage("Conv2d: groups 2 with in_channels 3 and out_channels 4, expected both divisible by groups");
        assertThatThrownBy(() -> new Linear(0, 3, rng)).hasMessage("Linear: in_features 0, expected >= 1");
        assertThatThrownBy(() -> new Dropout(1.0, rng)).hasMessage("Dropout: p 1.0, expected a probability in [0, 1)");
        assertThatThrownBy(() -> new GELU("fast")).hasMessageContaining("approximate 'fast'");
    }
}
