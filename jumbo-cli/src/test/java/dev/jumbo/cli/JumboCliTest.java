package dev.jumbo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JumboCliTest {

    /** One in-process run: exit code, stdout and stderr. */
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
    void versionNamesJumboAndTheJdk() {
        Run r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("jumbo \\d+\\.\\d+\\.\\d+").contains("JDK " + Runtime.version().feature());
    }

    @Test
    void infoPrintsATable() {
        Run r = run("info", "--gemm-size", "32", "--probe-seconds", "0.02");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("float lanes").contains("compute threads").contains("GFLOP/s");
    }

    @Test
    void infoJsonLastLineHasTheFigures() throws Exception {
        Run r = run("info", "--json", "--gemm-size", "32", "--probe-seconds", "0.02");
        assertThat(r.code()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertThat(j.isObject()).isTrue();
        for (String key : List.of("jumbo_version", "jdk_version", "jdk_vendor", "vector_species", "vector_lanes",
                "vector_bits", "cores", "threads", "max_heap_mib", "gemm_n", "gemm_gflops")) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(j.get("vector_lanes").asInt()).isPositive();
        assertThat(j.get("vector_bits").asInt()).isEqualTo(32 * j.get("vector_lanes").asInt());
        assertThat(j.get("gemm_n").asInt()).isEqualTo(32);
        assertThat(j.get("gemm_gflops").asDouble()).isPositive();
    }

    @Test
    void benchWithoutItsJarSaysHowToBuildItWithoutAStackTrace(@TempDir Path home) {
        String old = System.getProperty("jumbo.home");
        System.setProperty("jumbo.home", home.toString());
        try {
            Run r = run("bench", "gemm", "--json");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).startsWith("jumbo: bench: ").contains("jumbo-bench.jar not found")
                    .contains("./jumbo bench gemm --json").doesNotContain("\tat ");
            Run debug = run("--debug", "bench", "gemm");
            assertThat(debug.err()).contains("\tat dev.jumbo.cli.BenchCommand");
        } finally {
            if (old == null) {
                System.clearProperty("jumbo.home");
            } else {
                System.setProperty("jumbo.home", old);
            }
        }
    }

    @Test
    void benchPassesArgumentsAndFlagsToTheChildJvm() {
        List<String> cmd = BenchCommand.command(Path.of("/r/jumbo-bench/target/jumbo-bench.jar"), List.of("conv", "--json"),
                " -Xmx2g  -Djumbo.threads=1 ");
        assertThat(cmd.getFirst()).endsWith("/bin/java");
        assertThat(cmd).contains("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dai.djl.offline=true");
        assertThat(cmd.subList(cmd.size() - 6, cmd.size() - 4)).containsExactly("-Xmx2g", "-Djumbo.threads=1");
        assertThat(cmd.subList(cmd.size() - 4, cmd.size()))
                .containsExactly("-jar", "/r/jumbo-bench/target/jumbo-bench.jar", "conv", "--json");
    }

    @Test
    void benchRunsTheJarAndReturnsItsExitCode(@TempDir Path home) throws Exception {
        // A stand-in benchmark jar: a one-class program that echoes its arguments and exits with 3.
        Path src = home.resolve("Echo.java");
        Files.writeString(src, "public class Echo { public static void main(String[] a) {"
                + " System.out.println(String.join(\",\", a)); System.exit(3); } }");
        Path classes = Files.createDirectories(home.resolve("classes"));
        Path jar = Files.createDirectories(home.resolve("jumbo-bench/target")).resolve("jumbo-bench.jar");
        javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, "Echo");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), mf)) {
            out.putNextEntry(new java.util.jar.JarEntry("Echo.class"));
            out.write(Files.readAllBytes(classes.resolve("Echo.class")));
            out.closeEntry();
        }
        String old = System.getProperty("jumbo.home");
        System.setProperty("jumbo.home", home.toString());
        try {
            assertThat(run("bench", "gemm", "--json").code()).isEqualTo(3);
        } finally {
            if (old == null) {
                System.clearProperty("jumbo.home");
            } else {
                System.setProperty("jumbo.home", old);
            }
        }
    }

    @Test
    void unknownCommandIsAUsageErrorNotATrace() {
        Run r = run("frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument").doesNotContain("\tat ");
    }

    @Test
    void demoTrainsTheSpiralNetworkAndReportsTheProfile() throws Exception {
        Run r = run("demo", "--json", "--steps", "150", "--gemm-size", "64", "--probe-seconds", "0.05",
                "--epochs", "0", "--generalization-size", "0", "--serve-seconds", "1");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertThat(j.get("spiral_first_loss").asDouble()).isBetween(0.9, 1.3); // about ln 3 at the start
        assertThat(j.get("spiral_final_loss").asDouble()).isLessThan(0.5 * j.get("spiral_first_loss").asDouble());
        assertThat(j.get("spiral_train_accuracy").asDouble()).isGreaterThan(0.8);
        // 600 points through 2->64->64->3: forward MACs 600*(2*64+64*64+64*3), backward twice that minus dX of layer 1
        long forward = 600L * (2 * 64 + 64 * 64 + 64 * 3);
        assertThat(j.get("step_macs").asLong()).isEqualTo(forward + 2 * forward - 600L * 2 * 64);
        assertThat(j.get("step_peak_bytes").asLong()).isPositive();
        assertThat(j.get("serve_requests").asLong()).isPositive();
        assertThat(j.get("serve_errors").asLong()).as("failed requests across the hot swap").isZero();
        assertThat(j.get("serve_v2_answers").asLong()).as("requests answered by v2 after the swap").isPositive();
    }

    @Test
    void demoTrainingStageRunsTheRealTrainCommand(@TempDir Path tmp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.jumbo.data.FashionMnist.installed().isInstalled(),
                "Fashion-MNIST is not installed; .ci/run installs it");
        Path out = tmp.resolve("demo-run");
        Run r = run("demo", "--json", "--steps", "20", "--gemm-size", "64", "--probe-seconds", "0.05",
                "--epochs", "1", "--limit", "640", "--out", out.toString(), "--generalization-size", "20",
                "--serve-seconds", "0");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertThat(j.get("train_epochs").asInt()).isEqualTo(1);
        assertThat(j.get("test_accuracy").asDouble()).isBetween(0.2, 1.0); // 640 images, one epoch: well above chance
        assertThat(out.resolve("metrics.csv")).exists();
        assertThat(out.resolve("curves.png")).exists();
        // Stage 3 at tiny settings (20 images): every variant reported, the plot beside the training run.
        assertThat(j.get("generalization_baseline_test_accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(j.get("generalization_ensemble_3_test_accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(j.get("generalization_snapshot_ensemble_gap")).isNotNull();
        assertThat(tmp.resolve("demo-generalization").resolve("generalization.png")).exists();
    }
}
