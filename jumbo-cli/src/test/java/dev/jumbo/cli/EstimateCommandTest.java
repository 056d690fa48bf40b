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
}
