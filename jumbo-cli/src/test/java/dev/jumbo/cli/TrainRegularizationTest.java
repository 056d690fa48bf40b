package dev.jumbo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.data.FashionMnist;
import dev.jumbo.nn.Model;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.zoo.ResNet;
import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jumbo train --l2/--l1/--label-smoothing/--max-norm/--stochastic-depth on small slices. */
class TrainRegularizationTest {
    @TempDir
    Path tmp;

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    private CliRun train(String model, String name, int limit, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--model", model, "--epochs", "1", "--batch", "32",
                "--limit", String.valueOf(limit), "--val-fraction", "0", "--workers", "0", "--seed", "2",
                "--out", tmp.resolve(name).toString(), "--json"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** Σ w² over the parameters of 2+ dimensions. */
    private static double weightSquares(Module m) {
        double s = 0;
        for (String n : RegularizationOptions.weightNames(m)) {
            for (float v : m.namedParameters().get(n).toFloatArray()) {
                s += (double) v * v;
            }
        }
        return s;
    }

    @Test
    void penaltiesSmoothingAndMaxNormAreAppliedAndRecorded() throws Exception {
        assumeTrue(FashionMnist.installed().isInstalled(), "Fashion-MNIST is not installed");
        CliRun base = train("lenet300100", "base", 256, "--lr", "1e-2");
        assertThat(base.code()).as(base.err()).isZero();
        CliRun reg = train("lenet300100", "reg", 256, "--lr", "1e-2", "--l2", "0.05", "--l1", "1e-5",
                "--label-smoothing", "0.1", "--max-norm", "0.5");
        assertThat(reg.code()).as(reg.err()).isZero();
        assertThat(json(reg.lastLine()).get("test_accuracy").asDouble()).isBetween(0.0, 1.0);

        JsonNode run = new ObjectMapper().readTree(tmp.resolve("reg/run.json").toFile());
        assertThat(run.get("l2").asDouble()).isEqualTo(0.05);
        assertThat(run.get("l1").asDouble()).isEqualTo(1e-5);
        assertThat(run.get("label_smoothing").asDouble()).isEqualTo(0.1);
        assertThat(run.get("max_norm").asDouble()).isEqualTo(0.5);
        assertThat(run.get("stochastic_depth").asDouble()).isZero();
        assertThat(new ObjectMapper().readTree(tmp.resolve("base/run.json").toFile()).get("l2").asDouble()).isZero();

        Module b = Model.load(tmp.resolve("base"));
        Module r = Model.load(tmp.resolve("reg"));
        assertThat(weightSquares(r)).isLessThan(weightSquares(b));
        for (String n : RegularizationOptions.weightNames(r)) { // every row of every weight within the max norm
            Tensor w = r.namedParameters().get(n);
            float[] d = w.toFloatArray();
            int len = d.length / w.size(0);
            for (int row = 0; row < w.size(0); row++) {
                double s = 0;
                for (int i = row * len; i < (row + 1) * len; i++) {
                    s += (double) d[i] * d[i];
                }
                assertThat(Math.sqrt(s)).as(n + " row " + row).isLessThanOrEqualTo(0.5 + 1e-5);
            }
        }
    }

    @Test
    void stochasticDepthTrainsAResNetAndIsSavedInTheSpec() throws Exception {
        assumeTrue(FashionMnist.installed().isInstalled(), "Fashion-MNIST is not installed");
        CliRun t = train("resnet_small", "sd", 32, "--stochastic-depth", "0.2");
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(new ObjectMapper().readTree(tmp.resolve("sd/run.json").toFile()).get("stochastic_depth").asDouble())
                .isEqualTo(0.2);
        Module m = Model.load(tmp.resolve("sd"));
        assertThat(((ResNet) m).stochasticDepthProb()).isEqualTo(0.2);
        CliRun e = CliRun.of("eval", "--run", tmp.resolve("sd").toString(), "--limit", "32", "--json");
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(json(e.lastLine()).get("accuracy").asDouble()).isEqualTo(json(t.lastLine()).get("test_accuracy").asDouble());
    }

    @Test
    void badValuesNameTheOptionAndCreateNoRunDirectory() {
        String[][] cases = {
            {"--label-smoothing", "1.5", "--label-smoothing 1.5: expected 0..1"},
            {"--label-smoothing", "-0.1", "--label-smoothing -0.1: expected 0..1"},
            {"--l2", "-1", "--l2 -1.0: expected a finite value >= 0"},
            {"--l1", "NaN", "--l1 NaN: expected a finite value >= 0"},
            {"--max-norm", "-2", "--max-norm -2.0: expected a finite value >= 0"},
            {"--stochastic-depth", "1", "--stochastic-depth 1.0: expected a probability in [0, 1)"},
            {"--stochastic-depth", "0.1", "--stochastic-depth 0.1: model 'lenet5' has no residual blocks: expected a ResNet zoo model (resnet_small"},
        };
        for (String[] c : cases) {
            Path dir = tmp.resolve("bad");
            CliRun r = CliRun.of("train", "--model", "lenet5", "--limit", "10", "--out", dir.toString(), c[0], c[1]);
            assertThat(r.code()).as(c[0] + " " + c[1]).isEqualTo(1);
            assertThat(r.err()).contains("jumbo: " + c[2]).doesNotContain("Exception");
            assertThat(dir).doesNotExist();
        }
    }

    @Test
    void theWeightsAreTheParametersOfTwoOrMoreDimensions() {
        Module net = Zoo.create("resnet_small", new Rng(1));
        List<String> w = RegularizationOptions.weightNames(net);
        assertThat(w).contains("conv1.weight", "fc.weight").noneMatch(n -> n.contains("bn") || n.endsWith("bias"));
        assertThat(w).allMatch(n -> net.namedParameters().get(n).dim() >= 2);
        assertThat(net.namedParameters().keySet()).filteredOn(n -> n.contains("bn")).isNotEmpty();
    }
}
