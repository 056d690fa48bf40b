package dev.jumbo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.data.FashionMnist;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentCommandTest {

    @Test
    void previewWritesAGridOfOriginalsAndAugmentedVersions(@TempDir Path tmp) throws Exception {
        assumeTrue(FashionMnist.installed().isInstalled(), "Fashion-MNIST is not installed");
        Path png = tmp.resolve("grid.png");
        CliRun r = CliRun.of("augment", "--data", "fashion-mnist", "--preview", png.toString(), "--n", "3", "--versions", "2",
                "--zoom", "1", "--seed", "5", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertThat(j.get("images").asInt()).isEqualTo(3);
        assertThat(j.get("versions").asInt()).isEqualTo(2);
        assertThat(j.get("pipeline").asText()).contains("randomCrop").contains("hflip");
        assertThat(j.get("mean_abs_change").asDouble()).isPositive();
        BufferedImage img = ImageIO.read(png.toFile());
        // 3 columns of 28 + gaps of 2; 3 rows of 28 + gaps, one more gap under the originals
        assertThat(img.getWidth()).isEqualTo(3 * 30 + 2).isEqualTo(j.get("width").asInt());
        assertThat(img.getHeight()).isEqualTo(3 * 30 + 4).isEqualTo(j.get("height").asInt());
        // the top-left cell is the first training image
        float[] first = new float[784];
        FashionMnist.train().read(0, first, 0);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertThat(img.getRaster().getSample(2 + x, 2 + y, 0)).isEqualTo(Math.round(first[y * 28 + x] * 255));
            }
        }
        assertThat(Files.list(tmp)).containsExactly(png);   // no temp file left behind
        // the same seed draws the same grid; the table names the figures
        Path again = tmp.resolve("again.png");
        CliRun table = CliRun.of("augment", "--preview", again.toString(), "--n", "3", "--versions", "2", "--zoom", "1", "--seed", "5");
        assertThat(table.out()).contains("augmented rows").contains("pipeline");
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(png));
    }

    @Test
    void badOptionsAreNamed(@TempDir Path tmp) {
        CliRun r = CliRun.of("augment", "--preview", tmp.resolve("g.png").toString(), "--n", "0");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--n 0").doesNotContain("\tat ");
        assumeTrue(FashionMnist.installed().isInstalled(), "Fashion-MNIST is not installed");
        CliRun p = CliRun.of("augment", "--preview", tmp.resolve("g.png").toString(), "--pipeline", "wild");
        assertThat(p.err()).contains("pipeline 'wild'").contains("standard");
    }

    @Test
    void trainTakesAugmentationAndMixing(@TempDir Path tmp) throws Exception {
        assumeTrue(FashionMnist.installed().isInstalled(), "Fashion-MNIST is not installed");
        Path dir = tmp.resolve("run");
        CliRun r = CliRun.of("train", "--model", "lenet300100", "--data", "fashion-mnist", "--epochs", "1", "--batch", "32",
                "--limit", "256", "--augment", "strong", "--mixup", "0.4", "--val-fraction", "0", "--backup-every", "0",
                "--out", dir.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertThat(j.get("train_loss").asDouble()).isFinite().isPositive();
        JsonNode run = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertThat(run.get("augment").asText()).isEqualTo("strong");
        assertThat(run.get("mixup").asDouble()).isEqualTo(0.4);
        CliRun bad = CliRun.of("train", "--limit", "64", "--epochs", "1", "--mixup", "0.2", "--cutmix", "1",
                "--out", tmp.resolve("bad").toString());
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("mixup 0.2 and cutmix 1.0").doesNotContain("\tat ");
        assertThat(tmp.resolve("bad")).doesNotExist();   // rejected before the run directory is made
    }
}
