package dev.jumbo.cli;

import dev.jumbo.kernels.Parallel;
import java.util.concurrent.Callable;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jumbo info}: what this machine and JVM give the engine, plus a GEMM probe. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "JDK, SIMD width, cores, threads, heap and a short SGEMM probe.")
public final class InfoCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print the figures as one JSON line.")
    boolean json;

    @Option(names = "--gemm-size", defaultValue = "512", description = "n of the n×n GEMM probe (default ${DEFAULT-VALUE}).")
    int gemmSize;

    @Option(names = "--probe-seconds", defaultValue = "1.0", description = "How long the GEMM probe runs (default ${DEFAULT-VALUE}).")
    double probeSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        VectorSpecies<Float> species = FloatVector.SPECIES_PREFERRED;
        Figures f = new Figures("jumbo " + VersionProvider.version())
                .add("jumbo_version", "jumbo", VersionProvider.version(), "")
                .add("jdk_version", "JDK", Runtime.version().toString(), "")
                .add("jdk_vendor", "JDK vendor", System.getProperty("java.vendor"), "")
                .add("vector_species", "vector species", species.toString(), "")
                .add("vector_lanes", "float lanes", species.length(), "")
                .add("vector_bits", "vector bits", species.vectorBitSize(), "")
                .add("cores", "available cores", Runtime.getRuntime().availableProcessors(), "")
                .add("threads", "compute threads", Parallel.threads(), "")
                .add("max_heap_mib", "max heap", Runtime.getRuntime().maxMemory() / (1024 * 1024), "MiB");
        if (probeSeconds > 0) {
            GemmProbe.Result r = GemmProbe.run(gemmSize, probeSeconds);
            f.add("gemm_n", "GEMM probe n", r.n(), "")
                    .add("gemm_calls", "GEMM probe calls", r.calls(), "")
                    .add("gemm_gflops", "GEMM probe", r.gflops(), "GFLOP/s");
        }
        f.print(spec.commandLine().getOut(), json);
        return 0;
    }
}
