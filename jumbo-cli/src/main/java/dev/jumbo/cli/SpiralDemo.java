package dev.jumbo.cli;

import dev.jumbo.nn.Losses;
import dev.jumbo.optim.Adam;
import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Profiler;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The engine stage of {@code jumbo demo}: a three-layer perceptron learns the classic three-armed
 * spiral (a problem no linear model solves) with tensors, autograd, the fused cross-entropy and
 * Adam. It reports the loss and accuracy reached, the speed, the exact work of one training
 * step from the profiler, and the bytes the step allocates.
 *
 * <pre>{@code
 * SpiralDemo.Result r = SpiralDemo.run(1, 600, new PrintWriter(System.err, true));
 * }</pre>
 */
public final class SpiralDemo {

    /** What the stage measured. */
    public record Result(int points, int parameters, int steps, double firstLoss, double finalLoss,
                         double trainAccuracy, double stepsPerSecond, long macsPerStep, long flopsPerStep,
                         long peakBytesPerStep, long allocatedBytesPerStep, String profileTable) {}

    private static final int CLASSES = 3;
    private static final int PER_CLASS = 200;
    private static final int HIDDEN = 64;

    private SpiralDemo() {}

    /** Trains for {@code steps} full-batch Adam steps from seed {@code seed}; progress goes to {@code progress}. */
    public static Result run(long seed, int steps, PrintWriter progress) {
        if (steps < 1) {
            throw new IllegalArgumentException("demo: steps " + steps + ", expected >= 1");
        }
        Rng rng = new Rng(seed);
        Tensor[] data = spirals(rng);
        Tensor x = data[0];
        Tensor y = data[1];
        Tensor[] params = {
            init(rng, HIDDEN, 2), Tensor.zeros(HIDDEN).requiresGrad(true),
            init(rng, HIDDEN, HIDDEN), Tensor.zeros(HIDDEN).requiresGrad(true),
            init(rng, CLASSES, HIDDEN), Tensor.zeros(CLASSES).requiresGrad(true),
        };
        Adam adam = new Adam(Adam.options().lr(0.01), List.of(params));
        double firstLoss = Double.NaN;
        double loss = Double.NaN;
        long start = System.nanoTime();
        for (int step = 1; step <= steps; step++) {
            Tensor l = loss(forward(params, x), y);
            l.backward();
            adam.step();
            adam.zeroGrad();
            loss = l.item();
            if (step == 1) {
                firstLoss = loss;
            }
            if (step % 50 == 0 || step == steps) {
                progress.printf("\r  spiral  step %4d/%d  loss %.4f", step, steps, loss);
                progress.flush();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.println();

        double accuracy;
        try (var ignored = Autograd.noGrad()) {
            Tensor predicted = forward(params, x).argmax(1, false);
            accuracy = predicted.eq(y).mean().item();
        }

        // One more step under the profiler: exact MACs/FLOPs and peak live tensor memory.
        Profiler.Report report;
        try (Profiler prof = Profiler.start()) {
            prof.track(params);
            Tensor l = loss(forward(params, x), y);
            l.backward();
            adam.step();
            adam.zeroGrad();
            report = prof.report();
        }
        long allocated = allocatedBytesPerStep(params, x, y, adam);
        int parameterCount = 0;
        for (Tensor p : params) {
            parameterCount += p.numel();
        }
        return new Result(x.size(0), parameterCount, steps, firstLoss, loss, accuracy, steps / seconds,
                report.totalMacs(), report.totalFlops(), report.peakLiveBytes(), allocated, report.table());
    }

    /** logits = W3 relu(W2 relu(W1 x + b1) + b2) + b3; shapes (N,2) -> (N,64) -> (N,64) -> (N,3). */
    private static Tensor forward(Tensor[] p, Tensor x) {
        Tensor h = Tensor.linear(x, p[0], p[1]).relu();
        h = Tensor.linear(h, p[2], p[3]).relu();
        return Tensor.linear(h, p[4], p[5]);
    }

    /** Mean cross-entropy of logits (N,C) against int labels (N). */
    private static Tensor loss(Tensor logits, Tensor labels) {
        return Losses.crossEntropy(logits, labels);
    }

    /** Kaiming-uniform weights for a ReLU network, as PyTorch's Linear does by default. */
    private static Tensor init(Rng rng, int out, int in) {
        float bound = (float) (1.0 / Math.sqrt(in));
        return Tensor.uniform(rng, -bound, bound, out, in).requiresGrad(true);
    }

    /** Three interleaved arms of 200 noisy points each: x (600,2) float, y (600) int labels. */
    static Tensor[] spirals(Rng rng) {
        int n = CLASSES * PER_CLASS;
        float[] xs = new float[n * 2];
        int[] ys = new int[n];
        for (int c = 0; c < CLASSES; c++) {
            for (int i = 0; i < PER_CLASS; i++) {
                double r = (double) i / PER_CLASS;
                double theta = c * 4.0 + 4.0 * r + rng.nextGaussian() * 0.2;
                int k = c * PER_CLASS + i;
                xs[2 * k] = (float) (r * Math.sin(theta));
                xs[2 * k + 1] = (float) (r * Math.cos(theta));
                ys[k] = c;
            }
        }
        return new Tensor[] {Tensor.of(xs, n, 2), Tensor.ofInts(ys, n)};
    }

    /** Heap bytes one training step allocates on the calling thread (median of a few steps). */
    private static long allocatedBytesPerStep(Tensor[] params, Tensor x, Tensor y, Adam adam) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean)
                || !bean.isThreadAllocatedMemorySupported()) {
            return -1;
        }
        long[] samples = new long[5];
        for (int i = 0; i < samples.length; i++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            Tensor l = loss(forward(params, x), y);
            l.backward();
            adam.step();
            adam.zeroGrad();
            samples[i] = bean.getCurrentThreadAllocatedBytes() - before;
        }
        java.util.Arrays.sort(samples);
        return samples[samples.length / 2];
    }
}
