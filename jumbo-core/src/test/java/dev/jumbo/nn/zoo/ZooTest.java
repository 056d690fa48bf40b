package dev.jumbo.nn.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jumbo.nn.Module;
import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ZooTest {
    /** torchvision 0.28's parameter counts and state dict keys with shapes (torchvision_state_dicts.py). */
    private static JsonNode torchvision;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = ZooTest.class.getResourceAsStream("torchvision_state_dicts.json")) {
            torchvision = new ObjectMapper().readTree(in);
        }
    }

    /** Same keys in the same order with the same shapes as torchvision's state dict, so its files load. */
    private static void assertTorchvisionStateDict(String name, Module m) {
        JsonNode ref = torchvision.get(name);
        assertThat(m.parameterCount()).isEqualTo(ref.get("parameters").longValue());
        List<String> expected = new ArrayList<>();
        ref.get("state_dict").forEach(e -> {
            StringBuilder sb = new StringBuilder(e.get(0).asText()).append(' ');
            for (int i = 1; i < e.size(); i++) {
                sb.append(i > 1 ? "," : "").append(e.get(i).intValue());
            }
            expected.add(sb.toString());
        });
        List<String> actual = new ArrayList<>();
        m.stateDict().forEach((k, v) -> {
            StringBuilder sb = new StringBuilder(k).append(' ');
            int[] shape = v.shape();
            for (int i = 0; i < shape.length; i++) {
                sb.append(i > 0 ? "," : "").append(shape[i]);
            }
            actual.add(sb.toString());
        });
        assertThat(actual).as(name + " state dict").containsExactlyElementsOf(expected);
    }

    private static Tensor forwardEval(Module m, int... shape) {
        m.eval();
        try (var ignored = Autograd.noGrad()) {
            return m.forward(Tensor.randn(new Rng(1), shape));
        }
    }

    private static Map<String, int[]> shapes(Module m) {
        Map<String, int[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.shape()));
        return out;
    }

    @Test
    void smallModelsCountsShapesAndGradients() {
        assertThat(Zoo.create("lenet300100", new Rng(1)).parameterCount()).isEqualTo(266_610);
        assertThat(Zoo.create("mlp", new Rng(1)).parameterCount()).isEqualTo(266_610);
        assertThat(Zoo.create("lenet5", new Rng(1)).parameterCount()).isEqualTo(61_706);
        for (String name : new String[] {"mlp", "lenet300100", "lenet5", "vgg_small", "resnet_small"}) {
            assertThat(Zoo.inputShape(name)).containsExactly(1, 28, 28);
            Module m = Zoo.create(name, new Rng(2));
            assertThat(m.zooName()).isEqualTo(name);
            Tensor y = m.forward(Tensor.randn(new Rng(3), 2, 1, 28, 28));
            assertThat(y.shape()).as(name).containsExactly(2, 10);
            y.logSoftmax(1).sum().backward();
            m.namedParameters().forEach((k, p) -> assertThat(p.grad()).as(name + " " + k).isNotNull());
        }
    }

    @Test
    void sameSeedSameWeights() {
        float[] a = Zoo.create("resnet_small", new Rng(5)).stateDict().get("layer3.0.conv2.weight").toFloatArray();
        float[] b = Zoo.create("resnet_small", new Rng(5)).stateDict().get("layer3.0.conv2.weight").toFloatArray();
        float[] c = Zoo.create("resnet_small", new Rng(6)).stateDict().get("layer3.0.conv2.weight").toFloatArray();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void resnet18MatchesTorchvisionAndRunsOneImageNetForward() {
        Module m = Zoo.create("resnet18", new Rng(1));
        assertTorchvisionStateDict("resnet18", m);
        assertThat(m.parameterCount()).isEqualTo(11_689_512);
        Map<String, int[]> s = shapes(m);
        assertThat(s).hasSize(122);
        assertThat(s.keySet()).startsWith("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean",
                "bn1.running_var", "bn1.num_batches_tracked", "layer1.0.conv1.weight");
        assertThat(s.get("layer4.1.bn2.running_var")).containsExactly(512);
        assertThat(s.get("layer2.0.downsample.0.weight")).containsExactly(128, 64, 1, 1);
        assertThat(s.get("layer3.1.conv2.weight")).containsExactly(256, 256, 3, 3);
        assertThat(s.get("fc.weight")).containsExactly(1000, 512);
        assertThat(forwardEval(m, 1, 3, 224, 224).shape()).containsExactly(1, 1000);
    }

    @Test
    void resnet50MatchesTorchvision() {
        Module m = Zoo.create("resnet50", new Rng(1));
        assertTorchvisionStateDict("resnet50", m);
        assertThat(m.parameterCount()).isEqualTo(25_557_032);
        Map<String, int[]> s = shapes(m);
        assertThat(s).hasSize(320);
        assertThat(s.get("layer1.0.conv3.weight")).containsExactly(256, 64, 1, 1);
        assertThat(s.get("layer1.0.downsample.0.weight")).containsExactly(256, 64, 1, 1);
        assertThat(s.get("layer2.0.conv2.weight")).containsExactly(128, 128, 3, 3); // v1.5: stride on the 3x3
        assertThat(s.get("layer4.2.bn3.weight")).containsExactly(2048);
        assertThat(s.get("fc.weight")).containsExactly(1000, 2048);
        assertThat(forwardEval(m, 1, 3, 64, 64).shape()).containsExactly(1, 1000);
    }

    @Test
    void vgg16MatchesTorchvision() {
        Module m = Zoo.create("vgg16", new Rng(1));
        assertTorchvisionStateDict("vgg16", m);
        assertThat(m.parameterCount()).isEqualTo(138_357_544);
        Map<String, int[]> s = shapes(m);
        assertThat(s.get("features.0.weight")).containsExactly(64, 3, 3, 3);
        assertThat(s.get("features.28.weight")).containsExactly(512, 512, 3, 3);
        assertThat(s.get("classifier.0.weight")).containsExactly(4096, 25088);
        assertThat(s.get("classifier.6.bias")).containsExactly(1000);
        assertThat(s).hasSize(32);
        assertThat(forwardEval(m, 1, 3, 32, 32).shape()).containsExactly(1, 1000);
    }

    @Test
    void alexnetMatchesTorchvision() {
        Module m = Zoo.create("alexnet", new Rng(1));
        assertTorchvisionStateDict("alexnet", m);
        assertThat(m.parameterCount()).isEqualTo(61_100_840);
        Map<String, int[]> s = shapes(m);
        assertThat(s.keySet()).containsExactly("features.0.weight", "features.0.bias", "features.3.weight",
                "features.3.bias", "features.6.weight", "features.6.bias", "features.8.weight", "features.8.bias",
                "features.10.weight", "features.10.bias", "classifier.1.weight", "classifier.1.bias",
                "classifier.4.weight", "classifier.4.bias", "classifier.6.weight", "classifier.6.bias");
        assertThat(s.get("classifier.1.weight")).containsExactly(4096, 9216);
        assertThat(forwardEval(m, 1, 3, 64, 64).shape()).containsExactly(1, 1000);
    }

    @Test
    void mobilenetV2MatchesTorchvision() {
        Module m = Zoo.create("mobilenet_v2", new Rng(1));
        assertTorchvisionStateDict("mobilenet_v2", m);
        assertThat(m.parameterCount()).isEqualTo(3_504_872);
        Map<String, int[]> s = shapes(m);
        assertThat(s.get("features.0.0.weight")).containsExactly(32, 3, 3, 3);
        assertThat(s.get("features.1.conv.0.0.weight")).containsExactly(32, 1, 3, 3); // depthwise, no expansion
        assertThat(s.get("features.1.conv.1.weight")).containsExactly(16, 32, 1, 1);
        assertThat(s.get("features.2.conv.0.0.weight")).containsExactly(96, 16, 1, 1);
        assertThat(s.get("features.2.conv.3.running_mean")).containsExactly(24);
        assertThat(s.get("features.18.0.weight")).containsExactly(1280, 320, 1, 1);
        assertThat(s.get("features.18.1.weight")).containsExactly(1280);
        assertThat(s.get("classifier.1.weight")).containsExactly(1000, 1280);
        assertThat(forwardEval(m, 1, 3, 32, 32).shape()).containsExactly(1, 1000);
    }

    @Test
    void unknownNameListsTheModels() {
        assertThat(Zoo.names()).contains("lenet5", "resnet18", "resnet50", "vgg16", "alexnet", "mobilenet_v2");
        assertThatThrownBy(() -> Zoo.create("resnet19", new Rng(1)))
                .hasMessageStartingWith("Zoo: unknown model 'resnet19', expected one of [mlp, lenet300100");
    }
}
