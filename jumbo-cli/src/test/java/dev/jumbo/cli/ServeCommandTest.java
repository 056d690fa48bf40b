package dev.jumbo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
    @TempDir
    Path dir;

    private static int run(StringWriter err, String... args) {
        CommandLine cl = JumboCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void missingRepositoryIsAnErrorNamingIt() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "serve", "--repository", dir.resolve("nope").toString(), "--port", "0")).isEqualTo(1);
        assertThat(err.toString()).contains("nope").contains("not a directory");
    }

    @Test
    void repositoryOptionIsRequired() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "serve")).isEqualTo(2);
        assertThat(err.toString()).contains("--repository");
    }

    @Test
    void verifyPassesIdenticalVersionsAndFailsOnDisagreement() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.jumbo.data.FashionMnist.installed().isInstalled());
        dev.jumbo.nn.Module a = dev.jumbo.nn.zoo.Zoo.create("lenet5", new dev.jumbo.tensor.Rng(1));
        dev.jumbo.nn.Module b = dev.jumbo.nn.zoo.Zoo.create("lenet5", new dev.jumbo.tensor.Rng(2));
        dev.jumbo.io.ModelDirectory.write(dir.resolve("1"), dev.jumbo.nn.ModelSpec.of(a).toJson(), a.stateDict());
        dev.jumbo.io.ModelDirectory.write(dir.resolve("2"), dev.jumbo.nn.ModelSpec.of(a).toJson(), a.stateDict());
        dev.jumbo.io.ModelDirectory.write(dir.resolve("3"), dev.jumbo.nn.ModelSpec.of(b).toJson(), b.stateDict());
        CommandLine cl = JumboCli.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        int same = cl.execute("verify", "--candidate", dir.resolve("2").toString(), "--baseline", dir.resolve("1").toString(),
                "--limit", "128", "--max-latency-ratio", "100", "--json");
        assertThat(same).as(out.toString()).isZero();
        String[] lines = out.toString().strip().split("\\R");
        assertThat(lines[lines.length - 1]).contains("\"passed\":true", "\"agreement\":1.0");
        StringWriter err = new StringWriter();
        assertThat(run(err, "verify", "--candidate", dir.resolve("3").toString(), "--baseline", dir.resolve("1").toString(),
                "--limit", "128", "--min-agreement", "0.99", "--max-latency-ratio", "100")).isEqualTo(1);
    }
}
