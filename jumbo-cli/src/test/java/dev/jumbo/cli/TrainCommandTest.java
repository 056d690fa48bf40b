package dev.jumbo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.data.FashionMnist;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** jumbo train / eval / predict on a small slice of Fashion-MNIST (the CI installs it). */
class TrainCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
        JsonNode lastJson() throws Exception {
            String[] lines = out.strip().split("\\R");
            return new ObjectMapper().readTree(lines[lines.length - 1]);
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
    void trainEvalPredictOnASlice() throws Exception {
        Path dir = tmp.resolve("run");
        Run t = run("train", "--model", "lenet300100", "--data", "fashion-mnist", "--epochs", "2", "--batch", "32",
                "--lr", "2e-3", "--limit", "640", "--seed", "3", "--out", dir.toString(), "--json");
        assertThat(t.code()).as(t.err()).isZero();
        JsonNode j = t.lastJson();
        for (String key : new String[] {"test_accuracy", "test_loss", "epochs", "train_images_per_s"}) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(j.get("epochs").asInt()).isEqualTo(2);
        assertThat(j.get("test_accuracy").asDouble()).isGreaterThan(0.3); // 10 classes, 576 training images
        for (String f : new String[] {"run.json", "metrics.csv", "metrics.json", "curves.png", "model/spec.json",
            "model/model.safetensors", "model/classes.txt", "best/model.safetensors", "checkpoints/backup.safetensors"}) {
            assertThat(dir.resolve(f)).as(f).isRegularFile();
        }
        assertThat(Files.readAllLines(dir.resolve("metrics.csv"))).hasSize(3);

        // resuming a finished run trains nothing more and reports the same epochs
        Run again = run("train", "--model", "lenet300100", "--epochs", "2", "--batch", "32", "--lr", "2e-3",
                "--limit", "640", "--seed", "3", "--out", dir.toString(), "--resume", "--json");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.lastJson().get("resumed").asBoolean()).isTrue();
        assertThat(again.lastJson().get("test_accuracy").asDouble()).isEqualTo(j.get("test_accuracy").asDouble());

        Run e = run("eval", "--run", dir.toString(), "--limit", "640", "--json");
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.lastJson().get("accuracy").asDouble()).isEqualTo(j.get("test_accuracy").asDouble());
        assertThat(e.lastJson().get("confusion_matrix").size()).isEqualTo(10);
        Run table = run("eval", "--run", dir.toString(), "--data", "fashion-mnist", "--limit", "200");
        assertThat(table.out()).contains("accuracy").contains("Trouser").contains("precision");

        Path png = tmp.resolve("trouser.png");
        BufferedImage img = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(18, 4, 8, 48);
        g.fillRect(30, 4, 8, 48);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
        Run p = run("predict", "--run", dir.toString(), png.toString(), "--top", "3", "--json");
        assertThat(p.code()).as(p.err()).isZero();
        JsonNode top = p.lastJson().get("predictions").get(0).get("top");
        assertThat(top.size()).isEqualTo(3);
        assertThat(top.get(0).get("probability").asDouble()).isGreaterThanOrEqualTo(top.get(1).get("probability").asDouble());
        assertThat(FashionMnist.CLASSES).contains(top.get(0).get("class").asText());
        Run text = run("predict", "--run", dir.toString(), png.toString());
        assertThat(text.out()).contains("%");
    }

    @Test
    void missingDatasetPrintsTheInstallCommandAndBadInputIsNamed() throws Exception {
        String old = System.getProperty("jumbo.fashion_mnist.dir");
        System.setProperty("jumbo.fashion_mnist.dir", tmp.toString());
        try {
            Run r = run("train", "--epochs", "1", "--out", tmp.resolve("x").toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("install it with: " + FashionMnist.INSTALL_COMMAND);
        } finally {
            if (old == null) {
                System.clearProperty("jumbo.fashion_mnist.dir");
            } else {
                System.setProperty("jumbo.fashion_mnist.dir", old);
            }
        }
        Run bad = run("train", "--model", "resnet18", "--epochs", "1", "--limit", "10", "--out", tmp.resolve("y").toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("[1, 28, 28]").contains("[3, 224, 224]");
        Run opt = run("train", "--optimizer", "lbfgs", "--limit", "10", "--out", tmp.resolve("z").toString());
        assertThat(opt.err()).contains("'lbfgs'");
        Path notImage = Files.writeString(tmp.resolve("x.png"), "hello");
        Files.createDirectories(tmp.resolve("none"));
        Run p = run("predict", "--run", tmp.resolve("none").toString(), notImage.toString());
        assertThat(p.code()).isEqualTo(1);
        assertThat(p.err()).contains("spec.json");
    }
}
