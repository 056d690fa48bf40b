package dev.jumbo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EstimateCommandTest {

    private static final String LLAMA = Path.of("..", "examples", "configs", "llama2-7b.json").toString();

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cl = JumboCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void jsonLastLineHasTheRequiredFigures() throws Exception {
        Run r = run("estimate", "--config", LLAMA, "--seq", "4096", "--batch", "1", "--dtype", "bf16",
                "--devices", "8xH100", "--tokens", "2e12", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\\R");
        JsonNode j = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(j.get("params_total").asLong()).isEqualTo(6_738_415_616L);
        assertThat(j.get("memory").get("kv_cache_bytes_per_token").asLong()).isEqualTo(262_144L * 2);
        assertThat(j.get("plan").get("best").get("tp").asInt()).isPositive();
    }

    @Test
    void tableAndHtml(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("out.html");
        Run r = run("estimate", "--config", LLAMA, "--seq", "128", "--devices", "8xA100-80GB", "--html", html.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("850,000,871,424").contains("Parallelism plan");
        assertThat(Files.readString(html)).contains("<svg");
    }

    @Test
    void badConfigIsOneLineError(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"model_type\": \"t5\"}");
        Run r = run("estimate", "--config", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("jumbo: config " + bad + ": model_type 't5' is not supported; supported: bert, gpt2");
    }

    private static JsonNode lastJson(Run r) throws Exception {
        String[] lines = r.out().strip().split("\\R");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @Test
    void zooModelJsonHasTheOracles() throws Exception {
        Run r = run("estimate", "--model", "resnet50", "--input", "3x224x224", "--batch", "1", "--optimizer", "adam",
                "--dtype", "fp32", "--images-per-s", "1000", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = lastJson(r);
        assertThat(j.get("params_total").asLong()).isEqualTo(25_557_032L);
        assertThat(j.get("macs_forward").asLong()).isEqualTo(4_089_184_256L);
        assertThat(j.get("flops_forward").asLong()).isEqualTo(2 * 4_089_184_256L);
        assertThat(j.get("flops_forward_all_ops").asLong()).isGreaterThan(2 * 4_089_184_256L);
        assertThat(j.get("memory").get("optimizer_bytes").asLong()).isEqualTo(8 * 25_557_032L);
        assertThat(j.get("input").get("bytes_per_s_uint8").asDouble()).isEqualTo(3 * 224 * 224 * 1000.0);
    }

    @Test
    void specTableAndValidation() {
        Run r = run("estimate", "--spec", Path.of("..", "examples", "specs", "conv3x32-same-nobias.json").toString(),
                "--batch", "64");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("19,296").contains("61,964,550,144").contains("[64,32,224,224]");
        Run v = run("estimate", "--model", "lenet5", "--batch", "2", "--validate");
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).contains("Validation against the engine").contains("833,040 MACs");
    }

    @Test
    void badModelInputsAreOneLineErrors() {
        Run r = run("estimate", "--model", "resnet5");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--model 'resnet5': unknown model; expected one of").contains("resnet50, resnet101");
        Run shape = run("estimate", "--model", "lenet5", "--input", "1x28");
        assertThat(shape.code()).isEqualTo(1);
        assertThat(shape.err()).contains("estimate: layer '0' (Conv2d): input [1,1,28]: expected [N,1,H,W]");
        Run none = run("estimate");
        assertThat(none.err()).contains("expected exactly one of --config FILE, --model NAME, --spec FILE");
        Run opt = run("estimate", "--model", "lenet5", "--optimizer", "lion");
        assertThat(opt.err()).contains("optimizer: 'lion'");
    }
}
