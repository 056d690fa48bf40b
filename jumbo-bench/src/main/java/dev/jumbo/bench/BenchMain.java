package dev.jumbo.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the benchmark jar: {@code ./jumbo bench <name>} runs it. Each benchmark is its own
 * subcommand class and measures Jumbo against a peer in the same JVM, interleaved.
 */
@Command(name = "jumbo bench", mixinStandardHelpOptions = true,
        description = "Side-by-side benchmarks of Jumbo against OpenBLAS and PyTorch.",
        subcommands = {
            GemmBench.class,
            ConvBench.class,
            TrainBench.class,
            AugmentBench.class,
            ServeBench.class,
            ConformanceBench.class,
        })
public final class BenchMain implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
