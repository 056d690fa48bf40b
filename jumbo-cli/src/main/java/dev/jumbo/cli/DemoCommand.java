package dev.jumbo.cli;

import dev.jumbo.kernels.Parallel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jdk.incubator.vector.FloatVector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jumbo demo}: the main demo, one stage per capability as they land. Today: the engine
 * (SIMD GEMM throughput, and a network trained from scratch with autograd, profiled), then LeNet-5
 * trained on Fashion-MNIST with the real {@code jumbo train}, then what augmentation, regularization and
 * ensembles buy on a small training set, then serving with a hot swap.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The main demo: the engine's SGEMM, a network trained with autograd (profiled), LeNet-5 on Fashion-MNIST, "
                + "generalization tools compared, serving with a hot swap.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print the figures as one JSON line.")
    boolean json;

    @Option(names = "--steps", defaultValue = "600", description = "Training steps of the spiral network (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--gemm-size", defaultValue = "1024", description = "n of the n×n SGEMM probe (default ${DEFAULT-VALUE}).")
    int gemmSize;

    @Option(names = "--probe-seconds", defaultValue = "1.0", description = "How long the SGEMM probe runs (default ${DEFAULT-VALUE}).")
    double probeSeconds;

    @Option(names = "--epochs", defaultValue = "3", description = "Epochs of LeNet-5 on Fashion-MNIST (default ${DEFAULT-VALUE}; 0 skips the stage).")
    int epochs;

    @Option(names = "--limit", defaultValue = "-1", description = "Train and test on the first N images only (default: all).")
    int limit;

    @Option(names = "--out", defaultValue = "runs/demo-lenet5", description = "Run directory of the training stage (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--generalization-size", defaultValue = "500",
            description = "Training images of the generalization stage (default ${DEFAULT-VALUE}; 0 skips the stage).")
    int generalizationSize;

    @Option(names = "--serve-seconds", defaultValue = "3", description = "How long the serving stage sends requests (default ${DEFAULT-VALUE}; 0 skips the stage).")
    double serveSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int stages = 1 + (epochs > 0 ? 1 : 0) + (generalizationSize > 0 ? 1 : 0) + (serveSeconds > 0 ? 1 : 0);
        int stage = 1;
        err.println("jumbo demo: stage 1/" + stages + ", the engine (" + Parallel.threads() + " threads, "
                + FloatVector.SPECIES_PREFERRED.length() + " float lanes)");
        GemmProbe.Result gemm = GemmProbe.run(gemmSize, probeSeconds);
        err.printf("  sgemm   n=%d  %.1f GFLOP/s%n", gemm.n(), gemm.gflops());
        SpiralDemo.Result r = SpiralDemo.run(seed, steps, err);
        if (!json) {
            out.println("One training step, as the profiler counted it:");
            out.println(r.profileTable());
        }
        Figures figures = new Figures("jumbo demo")
                .add("threads", "compute threads", Parallel.threads(), "")
                .add("gemm_n", "SGEMM probe n", gemm.n(), "")
                .add("gemm_gflops", "SGEMM probe", gemm.gflops(), "GFLOP/s")
                .add("spiral_points", "spiral points (3 classes)", r.points(), "")
                .add("spiral_parameters", "network parameters", r.parameters(), "")
                .add("spiral_steps", "training steps (Adam, full batch)", r.steps(), "")
                .add("spiral_first_loss", "loss at step 1", r.firstLoss(), "")
                .add("spiral_final_loss", "final loss", r.finalLoss(), "")
                .add("spiral_train_accuracy", "train accuracy", r.trainAccuracy(), "")
                .add("spiral_steps_per_s", "training speed", r.stepsPerSecond(), "steps/s")
                .add("step_macs", "MACs per step (profiler)", r.macsPerStep(), "")
                .add("step_flops", "FLOPs per step (profiler)", r.flopsPerStep(), "")
                .add("step_peak_bytes", "peak live tensor memory per step", r.peakBytesPerStep(), "bytes")
                .add("step_allocated_bytes", "heap allocated per step (caller thread)", r.allocatedBytesPerStep(), "bytes");
        if (epochs > 0) {
            err.println("jumbo demo: stage " + (++stage) + "/" + stages + ", training LeNet-5 on Fashion-MNIST for "
                    + epochs + " epoch(s)");
            TrainingDemo.Result t = TrainingDemo.run(epochs, limit, seed, this.out, err);
            figures.add("train_epochs", "LeNet-5 epochs", t.summary().path("epochs").asInt(), "")
                    .add("train_examples", "training images", t.summary().path("train_examples").asInt(), "")
                    .add("train_images_per_s", "training throughput", t.summary().path("train_images_per_s").asDouble(), "images/s")
                    .add("test_loss", "test loss", t.summary().path("test_loss").asDouble(), "")
                    .add("test_accuracy", "test accuracy", t.summary().path("test_accuracy").asDouble(), "")
                    .add("run_dir", "run directory (model, metrics, curves.png)", t.runDir().toString(), "");
        }
        if (generalizationSize > 0) {
            err.println("jumbo demo: stage " + (++stage) + "/" + stages + ", specializing without overfitting: LeNet-5 on "
                    + generalizationSize + " images, baseline vs augmentation, regularization, ensembles");
            Path gdir = this.out.toAbsolutePath().resolveSibling("demo-generalization");
            GeneralizationDemo.Result g = GeneralizationDemo.run(generalizationSize, limit, gdir, err);
            if (!json) {
                ExperimentCommand.Generalization.printTable(out, g.results(), "What each tool buys, LeNet-5 on "
                        + generalizationSize + " Fashion-MNIST images (test: " + g.testSize() + " images)");
                out.println("plot: " + g.plot());
            }
            for (var vr : g.results()) {
                String key = "generalization_" + vr.name().replaceAll("[^a-z0-9]+", "_");
                figures.add(key + "_test_accuracy", vr.name() + ": test accuracy", vr.testMean(), "")
                        .add(key + "_gap", vr.name() + ": train-test gap", vr.gap(), "");
            }
            figures.add("generalization_plot", "generalization plot", g.plot().toString(), "");
        }
        if (serveSeconds > 0) {
            err.println("jumbo demo: stage " + (++stage) + "/" + stages + ", serving (KServe v2 REST, hot swap under load)");
            ServeDemo.Result served = ServeDemo.run(serveSeconds, err);
            figures.add("serve_requests", "served requests (8 clients)", served.requests(), "")
                    .add("serve_errors", "failed requests across the hot swap", served.errors(), "")
                    .add("serve_p50_us", "request latency p50", served.p50Micros(), "us")
                    .add("serve_p99_us", "request latency p99", served.p99Micros(), "us")
                    .add("serve_swap_ms", "hot swap v1 -> v2 (load, warm up, swap)", served.swapMillis(), "ms")
                    .add("serve_v2_answers", "requests answered by v2", served.answeredBy().getOrDefault("2", 0L), "");
        }
        figures.print(out, json);
        return 0;
    }
}
