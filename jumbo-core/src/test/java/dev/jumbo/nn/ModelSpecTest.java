package dev.jumbo.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    private static final String LENET = """
            {"layers": [
              {"type": "Conv2d", "in_channels": 1, "out_channels": 6, "kernel_size": 5, "padding": 2},
              {"type": "ReLU"},
              {"type": "MaxPool2d", "kernel_size": 2},
              {"type": "Conv2d", "in_channels": 6, "out_channels": 16, "kernel_size": [5, 5]},
              {"type": "ReLU"},
              {"type": "MaxPool2d", "kernel_size": 2},
              {"type": "Flatten"},
              {"type": "Linear", "in_features": 400, "out_features": 120},
              {"type": "ReLU"},
              {"type": "Linear", "in_features": 120, "out_features": 84},
              {"type": "ReLU"},
              {"type": "Linear", "in_features": 84, "out_features": 10}
            ], "input_shape": [1, 28, 28]}""";

    @Test
    void layerListBuildsTheSameModelAsTheZoo() {
        Module fromSpec = ModelSpec.fromJson(LENET, "spec.json").build(new Rng(1));
        Module zoo = Zoo.create("lenet5", new Rng(1));
        assertThat(fromSpec.parameterCount()).isEqualTo(61_706);
        assertThat(fromSpec.stateDict().keySet()).isEqualTo(zoo.stateDict().keySet());
        Tensor x = Tensor.randn(new Rng(2), 2, 1, 28, 28);
        try (var ignored = Autograd.noGrad()) {
            assertThat(fromSpec.forward(x).toFloatArray()).isEqualTo(zoo.forward(x).toFloatArray());
        }
    }

    @Test
    void specRoundTripsThroughJsonAndModules() {
        ModelSpec spec = ModelSpec.fromJson(LENET, "spec.json");
        assertThat(ModelSpec.fromJson(spec.toJson())).isEqualTo(spec);
        assertThat(spec.inputShape()).containsExactly(1, 28, 28);
        Module built = spec.build(new Rng(3));
        assertThat(ModelSpec.of(built).inputShape()).isNull();
        assertThat(ModelSpec.of(built).withInputShape(1, 28, 28)).isEqualTo(spec);
        // every layer type survives module -> spec -> module with its configuration
        Rng rng = new Rng(4);
        Sequential all = new Sequential(new Conv1d(2, 4, 3, 2, 1, 1, 2, false, rng), new BatchNorm1d(4, 1e-3, 0.2, false),
                new Sequential(new Conv2d(1, 2, new int[] {3, 1}, new int[] {1, 2}, new int[] {1, 0}, new int[] {2, 1}, 1,
                        true, rng), new BatchNorm2d(2), new AvgPool2d(2, 1, 1), new MaxPool2d(3, 2, 1),
                        new AdaptiveAvgPool2d(2, 3)),
                new LayerNorm(new int[] {3, 4}, 1e-6, false), new RMSNorm(8, 1e-5), new Dropout(0.1, rng),
                new Embedding(10, 4, rng), new Flatten(2), new ReLU(), new ReLU6(), new LeakyReLU(0.2), new GELU("tanh"),
                new SiLU(), new Tanh(), new Sigmoid(), new Softmax(-1), new LogSoftmax(1), new Identity(),
                new BasicBlock(4, 8, 2, rng), new Bottleneck(8, 2, 1, rng), new Linear(3, 2, false, rng));
        String json = ModelSpec.of(all).toJson();
        Module rebuilt = ModelSpec.fromJson(json).build(new Rng(5));
        assertThat(rebuilt.toString()).isEqualTo(all.toString());
        assertThat(ModelSpec.of(rebuilt).toJson()).isEqualTo(json);
        assertThat(json).contains("\"type\" : \"Conv2d\"").contains("\"kernel_size\" : [ 3, 1 ]")
                .contains("\"approximate\" : \"tanh\"");
    }

    @Test
    void zooSpecs() {
        Module m = Zoo.create("resnet_small", new Rng(1));
        ModelSpec spec = ModelSpec.of(m);
        assertThat(spec.toJson()).contains("\"zoo\" : \"resnet_small\"").contains("\"input_shape\" : [ 1, 28, 28 ]");
        Module again = ModelSpec.fromJson(spec.toJson()).build(new Rng(1));
        assertThat(again.stateDict().get("fc.weight").toFloatArray()).isEqualTo(m.stateDict().get("fc.weight").toFloatArray());
        assertThat(ModelSpec.fromJson("{\"zoo\": \"lenet5\"}").inputShape()).containsExactly(1, 28, 28);
    }

    @Test
    void errorsNameSourceFieldAndValue() {
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"layers\": [{\"type\": \"ReLU\"}, {\"type\": \"ReLU\"}, "
                + "{\"type\": \"ReLU\"}, {\"type\": \"Conv3d\"}]}", "spec.json"))
                .hasMessageStartingWith("spec.json: layers[3].type: unknown layer 'Conv3d', expected one of [Linear, Conv1d, Conv2d");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"layers\": [{\"type\": \"Conv2d\", \"in_channels\": 1, "
                + "\"out_channels\": 2, \"kernal_size\": 3}]}", "spec.json"))
                .hasMessageStartingWith("spec.json: layers[0].kernal_size: unknown field of Conv2d, expected one of [in_channels");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"layers\": [{\"type\": \"Linear\", \"in_features\": 4}]}", "m.json"))
                .hasMessage("m.json: layers[0].out_features: missing, Linear requires it");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"layers\": [{\"type\": \"Sequential\", \"layers\": "
                + "[{\"type\": \"MaxPool2d\", \"kernel_size\": \"two\"}]}]}", "m.json"))
                .hasMessage("m.json: layers[0].layers[0].kernel_size: \"two\" is not an integer");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"layers\": [{\"type\": \"Conv2d\", \"in_channels\": 1, "
                + "\"out_channels\": 2, \"kernel_size\": [3, 3, 3]}]}", "m.json"))
                .hasMessage("m.json: layers[0].kernel_size: [3,3,3] has 3 values, expected one integer or two [h, w]");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"layers\": [{\"type\": \"Linear\", \"in_features\": 4, "
                + "\"out_features\": 2, \"bias\": 1}]}", "m.json"))
                .hasMessage("m.json: layers[0].bias: 1 is not true or false");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"layers\": [{\"type\": \"Linear\", \"in_features\": -4, "
                + "\"out_features\": 2}]}", "m.json").build(new Rng(1)))
                .hasMessage("m.json: layers[0]: Linear: in_features -4, expected >= 1");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"zoo\": \"resnet19\"}", "m.json"))
                .hasMessageStartingWith("m.json: zoo: unknown model \"resnet19\", expected one of [mlp");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"zoo\": \"lenet5\", \"layers\": []}", "m.json"))
                .hasMessage("m.json: expected exactly one of \"zoo\", \"layers\" and \"ensemble\"");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"zoo\": \"lenet5\", \"seed\": 1}", "m.json"))
                .hasMessage("m.json: seed: unknown field, expected one of [zoo, layers, ensemble, input_shape, stochastic_depth_prob]");
        assertThatThrownBy(() -> ModelSpec.fromJson("{\"layers\": [", "m.json"))
                .hasMessageStartingWith("m.json: not valid JSON at line 1");
        class Custom extends Module {
            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        assertThatThrownBy(() -> ModelSpec.of(new Sequential(new ReLU(), new Custom())))
                .hasMessageStartingWith("ModelSpec.of: layers[1]: Custom is not a spec layer type");
        assertThatThrownBy(() -> ModelSpec.of(new Custom()))
                .hasMessage("ModelSpec.of: Custom is neither a zoo model nor a Sequential of spec layers");
    }
}
