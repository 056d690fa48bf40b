package dev.jumbo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jumbo bench <name> [--json] ...}: runs the benchmark jar in a child JVM of the same JDK
 * with the flags the peers need, inheriting stdin/stdout/stderr, and returns its exit code. The
 * arguments go to the jar unchanged (its own subcommands print their tables and JSON).
 */
@Command(name = "bench", description = "Side-by-side benchmarks (gemm, conv, ...); arguments go to the benchmark jar.")
public final class BenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Benchmark name and its options, e.g. gemm --json.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("jumbo.home", ".")).toAbsolutePath().normalize();
        Path jar = home.resolve("jumbo-bench/target/jumbo-bench.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("bench: " + jar + " not found; run `./jumbo bench "
                    + String.join(" ", args) + "` from the repository root, which builds it");
        }
        Process p = new ProcessBuilder(command(jar, args, System.getenv("JAVA_OPTS"))).inheritIO().start();
        return p.waitFor();
    }

    /**
     * The child command line: same JDK, Vector API, native access for the peers, DJL offline, and
     * the user's {@code JAVA_OPTS} (split on whitespace, as the launcher does).
     */
    static List<String> command(Path jar, List<String> args, String javaOpts) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Dai.djl.offline=true");
        // DJL unpacks the PyTorch natives (~430 MB) into its cache: keep it under target/.
        if (System.getenv("DJL_CACHE_DIR") == null) {
            cmd.add("-DDJL_CACHE_DIR=" + jar.getParent().resolve("djl-cache"));
        }
        String threads = System.getProperty("jumbo.threads");
        if (threads != null) {
            cmd.add("-Djumbo.threads=" + threads);
        }
        if (javaOpts != null && !javaOpts.isBlank()) {
            cmd.addAll(List.of(javaOpts.trim().split("\\s+")));
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        return cmd;
    }
}
