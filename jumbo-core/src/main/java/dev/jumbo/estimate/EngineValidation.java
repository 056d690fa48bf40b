package dev.jumbo.estimate;

import dev.jumbo.nn.Losses;
import dev.jumbo.nn.Module;
import dev.jumbo.optim.Optimizer;
import dev.jumbo.optim.Optimizers;
import dev.jumbo.tensor.Profiler;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks the estimator against the engine (the two independent counts of DESIGN principle 1): runs
 * the model's forward pass, then one training step (forward, cross-entropy, backward, optimizer
 * step; the mean of the output for a model that is not a classifier) under the {@link Profiler}, and compares the counted conv/linear MACs with the estimate's
 * (exactly) and the measured peak live tensor memory with the estimated fp32 training memory
 * (weights + gradients + optimizer state + saved activations; within 15%).
 *
 * <p>The optimizer's state is made by one warm-up step before the session (its buffers are plain
 * arrays the profiler cannot see), then counted through {@link Profiler#track} with same-sized
 * copies, as are the weights; gradients are cleared so the step allocates them.
 *
 * <pre>{@code
 * EngineValidation.Result r = EngineValidation.run("lenet5", Zoo.create("lenet5", new Rng(1)),
 *         new int[] {1, 28, 28}, 2, OptimizerState.ADAM);
 * r.macsMatch();         // true
 * r.memoryRatio();       // measured / estimated, within 0.85..1.15
 * }</pre>
 */
public final class EngineValidation {

    /** Allowed relative difference between measured peak and estimated training memory. */
    public static final double MEMORY_TOLERANCE = 0.15;

    private EngineValidation() {}

    /**
     * @param estimatedForwardMacs   conv + linear MACs of one forward, estimated
     * @param countedForwardMacs     the same, counted by the profiler
     * @param estimatedForwardFlops  FLOPs of all the model's ops in a training-mode forward, estimated
     * @param countedForwardFlops    the same, counted (the loss excluded: it runs outside the model)
     * @param estimatedStepMacs      forward + backward MACs of one training step, estimated
     * @param countedStepMacs        the same, counted
     * @param estimatedTrainingBytes weights + gradients + optimizer + saved activations, fp32
     * @param measuredPeakBytes      peak live tensor bytes during the training step
     */
    public record Result(String model, long batch, String optimizer, long estimatedForwardMacs, long countedForwardMacs,
                         long estimatedForwardFlops, long countedForwardFlops, long estimatedStepMacs,
                         long countedStepMacs, long estimatedTrainingBytes, long measuredPeakBytes) {

        public boolean macsMatch() {
            return estimatedForwardMacs == countedForwardMacs && estimatedStepMacs == countedStepMacs;
        }

        public boolean flopsMatch() {
            return estimatedForwardFlops == countedForwardFlops;
        }

        /** Measured peak / estimated training memory. */
        public double memoryRatio() {
            return (double) measuredPeakBytes / estimatedTrainingBytes;
        }

        public boolean memoryWithinTolerance() {
            return Math.abs(memoryRatio() - 1) <= MEMORY_TOLERANCE;
        }

        public boolean ok() {
            return macsMatch() && flopsMatch() && memoryWithinTolerance();
        }

        /** One line: the four pairs of numbers and the verdict. */
        public String line() {
            return String.format(Locale.ROOT, "%s batch %d (%s): forward MACs est %,d counted %,d; step MACs est %,d counted %,d;"
                            + " forward FLOPs est %,d counted %,d; training memory est %,d measured peak %,d bytes (%.3f) -> %s",
                    model, batch, optimizer, estimatedForwardMacs, countedForwardMacs, estimatedStepMacs, countedStepMacs,
                    estimatedForwardFlops, countedForwardFlops, estimatedTrainingBytes, measuredPeakBytes, memoryRatio(),
                    ok() ? "OK" : "MISMATCH");
        }
    }

    /** Validates {@code model} (in training mode; its weights change by two optimizer steps). */
    public static Result run(String name, Module model, int[] inputShape, int batch, OptimizerState optimizer) {
        Estimate e = ModelEstimator.estimate(name, model, inputShape, new ModelEstimator.Options(batch, WeightFormat.FP32, optimizer, 0));
        model.train();
        Rng rng = new Rng(7);
        int[] shape = new int[inputShape.length + 1];
        shape[0] = batch;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        Optimizer opt = optimizer(optimizer, model.parameters());

        // warm-up step: makes the optimizer state, outside any session
        step(model, Tensor.randn(rng, shape), opt);
        opt.zeroGrad();
        model.zeroGrad();

        long fwdMacs;
        long fwdFlops;
        Tensor x = Tensor.randn(rng, shape);
        try (Profiler prof = Profiler.start(false)) {
            model.call(x);
            Profiler.Report r = prof.report();
            fwdMacs = r.totalMacs();
            fwdFlops = r.totalFlops();
        }

        List<Tensor> tracked = new ArrayList<>(model.parameters());
        for (Map.Entry<String, Tensor> s : opt.stateDict().entrySet()) {
            if (s.getKey().startsWith("state.") && !s.getKey().endsWith(".step")) {
                tracked.add(s.getValue());  // same-sized copies stand for the optimizer's own buffers
            }
        }
        long stepMacs;
        long peak;
        try (Profiler prof = Profiler.start(true)) {
            prof.track(tracked.toArray(new Tensor[0]));
            step(model, Tensor.randn(rng, shape), opt);
            Profiler.Report r = prof.report();
            stepMacs = r.totalMacs();
            peak = r.peakLiveBytes();
        }
        model.zeroGrad();
        return new Result(name, batch, optimizer.label(), e.macsForward(), fwdMacs, e.flopsForwardAllOps(), fwdFlops,
                e.macsTrainingStep(), stepMacs, e.memory().totalTrainingBytes(), peak);
    }

    private static void step(Module model, Tensor x, Optimizer opt) {
        Tensor logits = model.call(x);
        if (logits.dim() != 2) {   // not a classifier (e.g. a conv stack): the mean is the loss
            logits.mean().backward();
            opt.step();
            return;
        }
        int classes = logits.shape()[logits.dim() - 1];
        int[] labels = new int[logits.shape()[0]];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % classes;
        }
        Tensor loss = Losses.crossEntropy(logits, Tensor.ofInts(labels, labels.length));
        loss.backward();
        opt.step();
    }

    private static Optimizer optimizer(OptimizerState s, List<Tensor> params) {
        return switch (s) {
            case SGD -> Optimizers.create("sgd", params, Map.of("lr", 1e-3));
            case MOMENTUM -> Optimizers.create("sgd", params, Map.of("lr", 1e-3, "momentum", 0.9));
            case ADAM -> Optimizers.create("adam", params, Map.of("lr", 1e-4));
            case ADAMW -> Optimizers.create("adamw", params, Map.of("lr", 1e-4));
            case RMSPROP -> Optimizers.create("rmsprop", params, Map.of("lr", 1e-4));
            case RMSPROP_CENTERED -> Optimizers.create("rmsprop", params, Map.of("lr", 1e-4, "centered", 1.0));
        };
    }
}
