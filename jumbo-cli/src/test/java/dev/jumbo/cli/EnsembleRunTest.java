package dev.jumbo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.data.DataLoader;
import dev.jumbo.data.Dataset;
import dev.jumbo.data.Datasets;
import dev.jumbo.data.FashionMnist;
import dev.jumbo.nn.Ensemble;
import dev.jumbo.nn.Flatten;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.Model;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.Sequential;
import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.optim.AdamW;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import dev.jumbo.train.Trainer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ensemble saved with Model.save is a run like any other for jumbo eval and jumbo predict. */
class EnsembleRunTest {
    private static final int LIMIT = 256;

    @TempDir
    Path tmp;

    private static Module trained(Module m, Dataset train, long seed) {
        try (DataLoader dl = DataLoader.builder(train).batchSize(32).shuffle(true).seed(seed).build()) {
            Trainer.builder().optimizer(new AdamW(AdamW.options().lr(2e-3), m.parameters())).seed(seed).build()
                    .fit(m, dl, null, 1);
        }
        return m;
    }

    @Test
    void aSoftVotingEnsembleEvaluatesAndPredictsThroughTheCommands() throws Exception {
        assumeTrue(FashionMnist.installed().isInstalled(), "Fashion-MNIST is not installed");
        Dataset train = Datasets.train("fashion-mnist", LIMIT);
        Dataset test = Datasets.test("fashion-mnist", LIMIT);
        // two zoo members and one that is not a zoo model (a Sequential of spec layers)
        List<Module> members = List.of(
                trained(Zoo.create("lenet300100", new Rng(1)), train, 1),
                trained(Zoo.create("lenet300100", new Rng(2)), train, 2),
                trained(new Sequential(new Flatten(), new Linear(784, 10, new Rng(3))), train, 3));
        Ensemble ens = new Ensemble(Ensemble.Combiner.SOFT, members, new int[] {1, 28, 28});
        Path run = tmp.resolve("ens");
        Model.save(run.resolve(Model.RUN_MODEL), ens, FashionMnist.CLASSES);

        double expected;
        try (DataLoader dl = DataLoader.builder(test).batchSize(256).build()) {
            expected = Trainer.evaluateWith(ens, dl).accuracy();
        }
        CliRun e = CliRun.of("eval", "--run", run.toString(), "--data", "fashion-mnist", "--limit",
                String.valueOf(LIMIT), "--json");
        assertThat(e.code()).as(e.err()).isZero();
        JsonNode ej = new ObjectMapper().readTree(e.lastLine());
        assertThat(ej.get("accuracy").asDouble()).isEqualTo(expected);
        assertThat(ej.get("examples").asInt()).isEqualTo(LIMIT);

        // a test image as a PNG: predict's probabilities sum to 1 and its class is the in-process one
        float[] px = test.get(0).input().toFloatArray();
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < px.length; i++) {
            img.getRaster().setSample(i % 28, i / 28, 0, Math.round(px[i] * 255));
        }
        Path png = tmp.resolve("test0.png");
        ImageIO.write(img, "png", png.toFile());
        CliRun p = CliRun.of("predict", "--run", run.toString(), png.toString(), "--top", "10", "--json");
        assertThat(p.code()).as(p.err()).isZero();
        JsonNode top = new ObjectMapper().readTree(p.lastLine()).get("predictions").get(0).get("top");
        assertThat(top).hasSize(10);
        double sum = 0;
        for (JsonNode t : top) {
            sum += t.get("probability").asDouble();
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        float[] probs = Trainer.predictWith(ens, Tensor.of(PredictCommand.pixels(png, 1, 28, 28, false), 1, 1, 28, 28))
                .toFloatArray();
        int argmax = 0;
        for (int c = 1; c < probs.length; c++) {
            argmax = probs[c] > probs[argmax] ? c : argmax;
        }
        assertThat(top.get(0).get("index").asInt()).isEqualTo(argmax);
        assertThat(top.get(0).get("class").asText()).isEqualTo(FashionMnist.CLASSES.get(argmax));
        assertThat(top.get(0).get("probability").asDouble()).isCloseTo(probs[argmax], org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void theEnsembleCommandCombinesTrainedRunsIntoARun() throws Exception {
        assumeTrue(FashionMnist.installed().isInstalled(), "Fashion-MNIST is not installed");
        List<String> runs = new java.util.ArrayList<>();
        for (String seed : new String[] {"1", "2"}) {
            Path dir = tmp.resolve("m" + seed);
            CliRun t = CliRun.of("train", "--model", "lenet300100", "--epochs", "1", "--batch", "32", "--limit",
                    String.valueOf(LIMIT), "--seed", seed, "--workers", "0", "--out", dir.toString());
            assertThat(t.code()).as(t.err()).isZero();
            runs.add(dir.toString());
        }
        Path out = tmp.resolve("ens");
        List<String> args = new java.util.ArrayList<>(List.of("ensemble", "--combiner", "weighted", "--limit",
                String.valueOf(LIMIT), "--out", out.toString(), "--json", "--runs"));
        args.addAll(runs);
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains(runs.get(1) + " was not trained with --seed 1").doesNotContain(runs.get(0) + " was not");
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertThat(j.get("combiner").asText()).isEqualTo("weighted");
        assertThat(j.get("members")).hasSize(2);
        double wsum = 0;
        double best = 0;
        for (JsonNode m : j.get("members")) {
            wsum += m.get("weight").asDouble();
            best = Math.max(best, m.get("test_accuracy").asDouble());
        }
        assertThat(wsum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(j.get("best_member_accuracy").asDouble()).isEqualTo(best);
        CliRun e = CliRun.of("eval", "--run", out.toString(), "--limit", String.valueOf(LIMIT), "--json");
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(new ObjectMapper().readTree(e.lastLine()).get("accuracy").asDouble())
                .isEqualTo(j.get("test_accuracy").asDouble());
        CliRun table = CliRun.of("ensemble", "--combiner", "soft", "--limit", "64", "--out", tmp.resolve("soft").toString(),
                "--runs", runs.get(0), runs.get(1));
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).contains("ensemble test accuracy").contains("member 2");

        CliRun stacking = CliRun.of("ensemble", "--combiner", "stacking", "--out", tmp.resolve("x").toString(),
                "--runs", runs.get(0));
        assertThat(stacking.code()).isEqualTo(1);
        assertThat(stacking.err()).contains("--combiner stacking: expected soft, hard or weighted");
        CliRun unknown = CliRun.of("ensemble", "--combiner", "mean", "--out", tmp.resolve("x").toString(), "--runs", runs.get(0));
        assertThat(unknown.err()).contains("combiner 'mean'");
        assertThat(tmp.resolve("x")).doesNotExist();
    }
}
