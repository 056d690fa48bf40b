package dev.jumbo.bench;

import picocli.CommandLine.Command;

/** Placeholder until the conv benchmark lands; it exits non-zero so nothing mistakes it for a result. */
@Command(name = "conv", description = "Conv benchmark (not yet built).")
public final class ConvBench implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("jumbo bench conv: not built yet");
        return 2;
    }
}
