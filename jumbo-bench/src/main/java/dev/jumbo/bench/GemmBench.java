package dev.jumbo.bench;

import picocli.CommandLine.Command;

/** Placeholder until the gemm benchmark lands; it exits non-zero so nothing mistakes it for a result. */
@Command(name = "gemm", description = "Gemm benchmark (not yet built).")
public final class GemmBench implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("jumbo bench gemm: not built yet");
        return 2;
    }
}
