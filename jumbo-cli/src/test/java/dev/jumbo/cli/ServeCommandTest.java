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
}
