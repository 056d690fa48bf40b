package dev.jumbo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.data.FashionMnist;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AugmentCommandTest {

    private record Run(int code, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\\R");
            return lines[lines.length - 1];
        }
    }

    private static Run run(String... args) {
        CommandLine cl = JumboCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void previewWritesAGridOfOriginalsAndAugmentedVersions(@TempDir Path tmp) throws Exception {
        assumeTrue(FashionMnist.installed().isInstalled(), "Fashion-MNIST is not installed");
        Path png = tmp.resolve("grid.png");
        Run r = run("augment", "--data", "fashion-mnist", "--preview", png.toString(), "--n", "3", "--versions", "2",
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
        Run table = run("augment", "--preview", again.toString(), "--n", "3", "--versions", "2", "--zoom", "1", "--seed", "5");
        assertThat(table.out()).contains("augmented rows").contains("pipeline");
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(png));
    }

    @Test
    void badOptionsAreNamed(@TempDir Path tmp) {
        Run r = run("augment", "--preview", tmp.resolve("g.png").toString(), "--n", "0");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--n 0").doesNotContain("\tat ");
        assumeTrue(FashionMnist.installed().isInstalled(), "Fashion-MNIST is not installed");
        Run p = run("augment", "--preview", tmp.resolve("g.png").toString(), "--pipeline", "wild");
        assertThat(p.err()).contains("--pipeline 'wild'");
    }
}
