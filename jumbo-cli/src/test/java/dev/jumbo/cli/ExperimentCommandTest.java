package dev.jumbo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentCommandTest {

    private static String[] run(int expectedCode, String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.code()).as(r.err()).isEqualTo(expectedCode);
        return new String[] {r.out(), r.err()};
    }

    @Test
    void generalizationPrintsATableAPlotAndOneJsonEntryPerVariant(@TempDir Path tmp) throws Exception {
        assumeTrue(FashionMnist.installed().isInstalled(), "Fashion-MNIST is not installed");
        String[] r = run(0, "experiment", "generalization", "--train-size", "100", "--seeds", "1", "--epochs", "1",
                "--test-limit", "100", "--members", "2", "--snapshot-cycles", "1", "--variants", "baseline,ensemble-2",
                "--workers", "0", "--out", tmp.toString(), "--json");
        String[] lines = r[0].strip().split("\\R");
        assertThat(r[0]).contains("variant").contains("baseline").contains("ensemble-2").contains("best member accuracy");
        assertThat(r[1]).contains("[1/2] baseline, seed 1").contains("[2/2] ensemble-2, seed 1: test accuracy");
        JsonNode j = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(j.get("train_size").asInt()).isEqualTo(100);
        assertThat(j.get("test_size").asInt()).isEqualTo(100);
        assertThat(j.get("variants")).hasSize(2);
        for (JsonNode v : j.get("variants")) {
            assertThat(v.has("name") && v.has("test_accuracy_mean") && v.has("test_accuracy_std")
                    && v.has("train_test_gap") && v.has("seconds")).as(v.toString()).isTrue();
            assertThat(v.get("test_accuracy_mean").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(j.get("variants").get(0).get("name").asText()).isEqualTo("baseline");
        Path png = tmp.resolve("generalization.png");
        assertThat(ImageIO.read(png.toFile()).getHeight()).isPositive();
        assertThat(Files.readString(tmp.resolve("results.json")).strip()).isEqualTo(lines[lines.length - 1]);
    }

    @Test
    void anUnknownVariantIsAnErrorNamingIt(@TempDir Path tmp) {
        assumeTrue(FashionMnist.installed().isInstalled(), "Fashion-MNIST is not installed");
        String[] r = run(1, "experiment", "generalization", "--train-size", "100", "--variants", "dropout",
                "--out", tmp.toString());
        assertThat(r[1]).contains("variant 'dropout'").doesNotContain("Exception");
    }
}
