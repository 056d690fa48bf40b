package dev.jumbo.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.nn.Conv2d;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.Sequential;
import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelEstimatorTest {

    private static Estimate estimate(String model, long batch) {
        return ModelEstimator.estimate(model, ModelEstimator.zooModel(model), Zoo.inputShape(model),
                new ModelEstimator.Options(batch, WeightFormat.FP32, OptimizerState.ADAM, 0));
    }

    @Test
    void resnetOraclesMatchTorchvision() {
        Estimate r50 = estimate("resnet50", 1);
        assertThat(r50.paramsTotal()).isEqualTo(25_557_032L);
        assertThat(r50.macsForward()).isEqualTo(4_089_184_256L);
        Estimate r18 = estimate("resnet18", 1);
        assertThat(r18.paramsTotal()).isEqualTo(11_689_512L);
        assertThat(r18.macsForward()).isEqualTo(1_814_073_344L);
        // the other ops' FLOPs are reported on top of 2 x MACs, not folded into them
        assertThat(r18.flopsForward()).isEqualTo(2 * 1_814_073_344L);
        assertThat(r18.flopsForwardAllOps()).isGreaterThan(r18.flopsForward());
    }

    @Test
    void macsScaleWithBatch() {
        assertThat(estimate("resnet18", 64).macsForward()).isEqualTo(64 * 1_814_073_344L);
    }

    @Test
    void lenet5RowsByHand() {
        List<LayerRow> rows = estimate("lenet5", 2).rows();
        assertThat(rows).extracting(LayerRow::type).containsExactly("Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU",
                "MaxPool2d", "Flatten", "Linear", "ReLU", "Linear", "ReLU", "Linear");
        // conv1: 6 filters 1x5x5 + bias, padding 2 keeps 28x28; 2*6*28*28 outputs x 25 MACs
        LayerRow c1 = rows.get(0);
        assertThat(c1.outputShape()).containsExactly(2, 6, 28, 28);
        assertThat(c1.params()).isEqualTo(6 * 25 + 6);
        assertThat(c1.macs()).isEqualTo(2L * 6 * 28 * 28 * 25);
        assertThat(c1.flops()).isEqualTo(2 * c1.macs() + 2L * 6 * 28 * 28);
        assertThat(c1.backwardMacs()).as("first layer: weight gradient only").isEqualTo(c1.macs());
        // relu: one FLOP per element; max pool 2x2: a 4-element window per output
        assertThat(rows.get(1).flops()).isEqualTo(2L * 6 * 28 * 28);
        assertThat(rows.get(2).outputShape()).containsExactly(2, 6, 14, 14);
        assertThat(rows.get(2).flops()).isEqualTo(2L * 6 * 14 * 14 * 4);
        // conv2: 16 filters 6x5x5, no padding: 14 -> 10; input gradient now needed
        LayerRow c2 = rows.get(3);
        assertThat(c2.outputShape()).containsExactly(2, 16, 10, 10);
        assertThat(c2.params()).isEqualTo(16 * 6 * 25 + 16);
        assertThat(c2.macs()).isEqualTo(2L * 16 * 10 * 10 * 150);
        assertThat(c2.backwardMacs()).isEqualTo(2 * c2.macs());
        assertThat(rows.get(6).outputShape()).containsExactly(2, 400);
        assertThat(rows.get(6).activationBytes()).as("flatten is a view").isZero();
        LayerRow fc1 = rows.get(7);
        assertThat(fc1.params()).isEqualTo(400 * 120 + 120);
        assertThat(fc1.macs()).isEqualTo(2L * 400 * 120);
        assertThat(fc1.activationBytes()).isEqualTo(2L * 120 * 4);
        Estimate e = estimate("lenet5", 2);
        assertThat(e.paramsTotal()).isEqualTo(61_706);
        // adam, fp32: weights, grads, two moments
        assertThat(e.memory().weightsBytes()).isEqualTo(4L * 61_706);
        assertThat(e.memory().optimizerBytes()).isEqualTo(8L * 61_706);
    }

    @Test
    void optimizerAndDtypeChangeTrainingMemory() {
        Module m = ModelEstimator.zooModel("lenet300100");
        long p = 266_610;
        long sgd = ModelEstimator.estimate("m", m, new int[] {1, 28, 28},
                new ModelEstimator.Options(1, WeightFormat.FP32, OptimizerState.SGD, 0)).memory().optimizerBytes();
        long mom = ModelEstimator.estimate("m", m, new int[] {1, 28, 28},
                new ModelEstimator.Options(1, WeightFormat.FP32, OptimizerState.MOMENTUM, 0)).memory().optimizerBytes();
        Memory bf16 = ModelEstimator.estimate("m", m, new int[] {1, 28, 28},
                new ModelEstimator.Options(1, WeightFormat.BF16, OptimizerState.ADAMW, 0)).memory();
        assertThat(sgd).isZero();
        assertThat(mom).isEqualTo(4 * p);
        assertThat(bf16.weightsBytes()).isEqualTo(2 * p);
        assertThat(bf16.optimizerBytes()).as("fp32 master + 2 moments").isEqualTo(12 * p);
    }

    @Test
    void badInputNamesTheValue() {
        assertThatThrownBy(() -> ModelEstimator.zooModel("resnet5"))
                .hasMessageContaining("'resnet5'").hasMessageContaining("resnet50").hasMessageContaining("lenet5");
        assertThatThrownBy(() -> ModelEstimator.parseShape("3x224xabc")).hasMessageContaining("'3x224xabc'");
        assertThatThrownBy(() -> OptimizerState.parse("lion")).hasMessageContaining("'lion'").hasMessageContaining("adamw");
        Module net = new Sequential(new Conv2d(3, 8, 3, new Rng(1)));
        assertThatThrownBy(() -> ModelEstimator.estimate("x", net, new int[] {1, 28, 28},
                new ModelEstimator.Options(1, WeightFormat.FP32, OptimizerState.SGD, 0)))
                .hasMessage("estimate: layer '0' (Conv2d): input [1,1,28,28]: expected [N,3,H,W]");
    }
}
