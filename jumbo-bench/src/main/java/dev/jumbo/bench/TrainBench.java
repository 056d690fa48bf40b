package dev.jumbo.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.kernels.Parallel;
import dev.jumbo.nn.Losses;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.optim.Adam;
import dev.jumbo.tensor.Autograd;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training and inference speed of the zoo's LeNet-300-100 and LeNet-5 in Jumbo against the same
 * networks in PyTorch CPU through DJL, in one JVM, with the same weights, batches and thread count.
 *
 * <p>Per model and thread count three cases: a training step at batch 64 (forward, mean
 * cross-entropy, backward, Adam step; images/s), inference at batch 1 (calls/s, so higher is
 * better like every row) and inference at batch 256 (images/s). Before timing, the logits, loss and
 * every gradient are checked against PyTorch. Then both sides warm up, and {@code --pairs}
 * interleaved timings (Jumbo, PyTorch, ...) are taken, each after waiting for an idle machine; the
 * table gives the medians and the median of the per-pair ratios with its spread. Each section also
 * records the process's CPU time, so a per-CPU-second rate and ratio are reported beside the wall
 * clock ones: on a machine shared with other processes they show the work each side needs, while
 * the wall clock rates mostly show who lost the fight for the cores.
 *
 * <p>The PyTorch side is the fairest DJL offers: parameter NDArrays, one native op per layer
 * ({@link TorchTwin}), {@code log_softmax}+{@code gather} for the loss, autograd's backward and
 * DJL's fused Adam update ({@code JniUtils.adamUpdate}), intermediates closed as soon as used.
 *
 * <pre>
 * ./jumbo bench train --json
 * </pre>
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "LeNet training images/s and inference of Jumbo vs PyTorch (DJL), interleaved.")
public final class TrainBench implements Callable<Integer> {

    @Option(names = "--threads", split = ",", description = "Thread counts for both sides. Default: 2,1.")
    List<Integer> threadCounts = List.of(2, 1);

    @Option(names = "--models", split = ",", description = "Zoo models. Default: lenet300100,lenet5.")
    List<String> models = List.of("lenet300100", "lenet5");

    @Option(names = "--cases", split = ",", description = "Cases (train, infer1, infer256). Default: all.")
    List<String> cases = List.of("train", "infer1", "infer256");

    @Option(names = "--pairs", description = "Interleaved Jumbo/PyTorch timing pairs. Default: ${DEFAULT-VALUE}.")
    int pairs = 5;

    @Option(names = "--min-time", description = "Seconds each timed section lasts at least. Default: ${DEFAULT-VALUE}.")
    double minTime = 0.5;

    @Option(names = "--warmup", description = "Least seconds of warm-up per side and case; it goes on until the JIT is quiet. Default: ${DEFAULT-VALUE}.")
    double warmup = 2;

    @Option(names = "--idle-wait", description = "Seconds to wait for an idle machine before each timed section. Default: ${DEFAULT-VALUE}.")
    double idleWait = 3;

    @Option(names = "--idle-busy", description = "CPU busy fraction counted as idle. Default: ${DEFAULT-VALUE}.")
    double idleBusy = 0.15;

    @Option(names = "--lr", description = "Adam learning rate on both sides. Default: ${DEFAULT-VALUE}.")
    float lr = 1e-3f;

    @Option(names = "--json", description = "Print the results as a JSON array on the last stdout line.")
    boolean json;

    static final int TRAIN_BATCH = 64;
    private static final int BATCHES = 8;

    private PairedTimer timer;
    private Engine engine;

    @Override
    public Integer call() throws Exception {
        timer = new PairedTimer(minTime, idleBusy, idleWait);
        int maxThreads = threadCounts.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (threadCounts.isEmpty() || threadCounts.stream().anyMatch(t -> t < 1) || pairs < 1) {
            System.err.println("train: --threads " + threadCounts + " and --pairs " + pairs + ", expected positive values");
            return 2;
        }
        configurePyTorch(maxThreads);
        engine = Engine.getEngine("PyTorch");
        List<Map<String, Object>> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(engine.defaultDevice(), "PyTorch")) {
            for (int threads : threadCounts) {
                Parallel.setThreads(threads);
                JniUtils.setNumThreads(threads);
                System.err.printf("train: threads jumbo %d, pytorch intra-op %d inter-op %d%n", Parallel.threads(),
                        JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
                for (String model : models) {
                    rows.addAll(measureModel(model, threads, manager));
                }
            }
        }
        System.out.printf("%-26s %7s %11s %11s %7s %13s %11s %11s %7s%n", "case", "unit", "jumbo/s", "pytorch/s",
                "ratio", "pair ratios", "jumbo/cpu-s", "torch/cpu-s", "ratio");
        for (Map<String, Object> r : rows) {
            System.out.printf("%-26s %7s %11.1f %11.1f %7.3f %13s %11.1f %11.1f %7.3f%n", r.get("case"), r.get("unit"),
                    (double) r.get("jumbo_per_s"), (double) r.get("pytorch_per_s"), (double) r.get("ratio"),
                    r.get("ratio_min") + "-" + r.get("ratio_max"), (double) r.get("jumbo_per_cpu_s"),
                    (double) r.get("pytorch_per_cpu_s"), (double) r.get("cpu_ratio"));
        }
        if (timer.busySections() > 0) {
            System.err.println("train: the machine never became idle before " + timer.busySections()
                    + " timed section(s) (waited " + idleWait + " s each); those numbers are noisy");
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(rows));
        }
        return 0;
    }

    /** Offline, cache under target/, and the thread counts, before the engine starts (as ConvBench). */
    private static void configurePyTorch(int threads) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR", Path.of("jumbo-bench", "target", "djl-cache").toAbsolutePath().toString());
        }
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", String.valueOf(threads));
    }

    private List<Map<String, Object>> measureModel(String name, int threads, NDManager manager) {
        Module model = Zoo.create(name, new Rng(1));
        int[] in = Zoo.inputShape(name);
        TorchTwin twin = TorchTwin.of(model, manager);
        Adam jopt = new Adam(Adam.options().lr(lr), model.parameters());
        ai.djl.training.optimizer.Optimizer popt = ai.djl.training.optimizer.Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed(lr)).build();
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        Batches train = new Batches(rnd, TRAIN_BATCH, in, manager);
        Batches one = new Batches(rnd, 1, in, manager);
        Batches big = new Batches(rnd, 256, in, manager);
        verify(name, model, twin, train, manager);

        NDArray ones = manager.ones(new Shape());
        List<Map<String, Object>> rows = new ArrayList<>();
        int[] next = new int[1];
        for (String c : cases) {
            PairedTimer.Side jumbo;
            PairedTimer.Side torch;
            int perCall;
            String unit;
            switch (c) {
                case "train" -> {
                    model.train();
                    jumbo = () -> {
                        int i = next[0]++ % BATCHES;
                        jopt.zeroGrad();
                        Losses.crossEntropy(model.call(train.jx[i]), train.jy[i]).backward();
                        jopt.step();
                    };
                    torch = () -> {
                        int i = next[0]++ % BATCHES;
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray loss = torchLoss(twin, train.px[i], train.py[i]);
                            JniUtils.backward((PtNDArray) loss, (PtNDArray) ones, false, false);
                            loss.close();
                        }
                        for (int p = 0; p < twin.params.size(); p++) {
                            NDArray w = twin.params.get(p);
                            try (NDArray g = w.getGradient()) {
                                popt.update("p" + p, w, g); // DJL's adamUpdate also zeroes the gradient
                            }
                        }
                    };
                    perCall = TRAIN_BATCH;
                    unit = "images";
                }
                case "infer1", "infer256" -> {
                    Batches b = c.equals("infer1") ? one : big;
                    model.eval();
                    jumbo = () -> {
                        int i = next[0]++ % BATCHES;
                        try (Autograd.Scope s = Autograd.noGrad()) {
                            model.call(b.jx[i]);
                        }
                    };
                    torch = () -> twin.forward(b.px[next[0]++ % BATCHES]).close();
                    perCall = b.n;
                    unit = b.n == 1 ? "calls" : "images";
                }
                default -> throw new IllegalArgumentException("train: unknown case '" + c
                        + "', expected train, infer1 or infer256");
            }
            String label = String.format("%s %s t%d", name, c.equals("train") ? "train b64" : c.equals("infer1")
                    ? "infer b1" : "infer b256", threads);
            rows.add(measure(label, threads, unit, perCall, jumbo, torch));
        }
        ones.close();
        train.close();
        one.close();
        big.close();
        for (NDArray p : twin.params) {
            p.close();
        }
        return rows;
    }

    /** Mean cross-entropy the way torch's F.cross_entropy computes it: log_softmax, pick, mean. */
    private static NDArray torchLoss(TorchTwin twin, NDArray x, NDArray labels) {
        NDArray logits = twin.forward(x);
        NDArray logp = logits.logSoftmax(1);
        logits.close();
        NDArray picked = logp.gather(labels, 1);
        logp.close();
        NDArray mean = picked.mean();
        picked.close();
        NDArray loss = mean.neg();
        mean.close();
        return loss;
    }

    private Map<String, Object> measure(String label, int threads, String unit, int perCall, PairedTimer.Side jumbo, PairedTimer.Side torch) {
        System.err.printf("train: %s: warming up%n", label);
        PairedTimer.warmUp(jumbo, warmup);
        PairedTimer.warmUp(torch, warmup);
        long bytes = allocatedBytes();
        jumbo.run();
        bytes = allocatedBytes() - bytes;
        PairedTimer.Result r = timer.measure(jumbo, torch, pairs, (i, j, t, jc, tc) -> System.err.printf(
                "train: %s pair %d: jumbo %.1f, pytorch %.1f %s/s (ratio %.3f); per CPU-second"
                        + " jumbo %.1f, pytorch %.1f (ratio %.3f)%n", label, i + 1, perCall * j, perCall * t, unit,
                j / t, perCall * jc, perCall * tc, jc / tc));
        System.err.printf("train: %s: jumbo allocates %d bytes per call on the calling thread%n", label, bytes);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("case", label);
        row.put("unit", unit);
        row.put("threads", threads);
        row.put("jumbo_per_s", round(perCall * r.jumboPerSecond()));
        row.put("pytorch_per_s", round(perCall * r.peerPerSecond()));
        row.put("ratio", round3(r.pairRatio()));
        row.put("ratio_min", round3(r.pairRatioMin()));
        row.put("ratio_max", round3(r.pairRatioMax()));
        row.put("jumbo_per_cpu_s", round(perCall * r.jumboPerCpuSecond()));
        row.put("pytorch_per_cpu_s", round(perCall * r.peerPerCpuSecond()));
        row.put("cpu_ratio", round3(r.cpuRatio()));
        row.put("jumbo_bytes_per_call", bytes);
        return row;
    }

    /** Logits, loss and every parameter gradient must agree before anything is timed. */
    private static void verify(String name, Module model, TorchTwin twin, Batches b, NDManager manager) {
        model.train();
        model.zeroGrad();
        Tensor jlogits = model.call(b.jx[0]);
        Tensor jloss = Losses.crossEntropy(jlogits, b.jy[0]);
        jloss.backward();
        float[] plogits;
        float ploss;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray logits = twin.forward(b.px[0]);
            plogits = logits.toFloatArray();
            logits.close();
            NDArray loss = torchLoss(twin, b.px[0], b.py[0]);
            ploss = loss.getFloat();
            gc.backward(loss);
            loss.close();
        }
        compare(name, "logits", jlogits.toFloatArray(), plogits);
        compare(name, "loss", new float[] {jloss.item()}, new float[] {ploss});
        List<Tensor> jp = model.parameters();
        for (int p = 0; p < jp.size(); p++) {
            NDArray w = twin.params.get(p);
            try (NDArray g = w.getGradient()) {
                compare(name, "gradient of parameter " + p, jp.get(p).grad().toFloatArray(), g.toFloatArray());
            }
            JniUtils.zeroGrad((PtNDArray) w);
        }
        model.zeroGrad();
        System.err.printf("train: %s: logits, loss and gradients agree with PyTorch%n", name);
    }

    private static void compare(String name, String what, float[] jumbo, float[] torch) {
        if (jumbo.length != torch.length) {
            throw new IllegalStateException("train: " + name + ": " + what + " has " + jumbo.length
                    + " values in Jumbo and " + torch.length + " in PyTorch");
        }
        double maxDiff = 0;
        double maxAbs = 0;
        for (int i = 0; i < jumbo.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(jumbo[i] - torch[i]));
            maxAbs = Math.max(maxAbs, Math.abs(torch[i]));
        }
        if (!(maxDiff <= 1e-4 * maxAbs + 1e-6)) {
            throw new IllegalStateException("train: " + name + ": " + what + " differs from PyTorch by " + maxDiff
                    + " (largest value " + maxAbs + "), expected agreement to float32 rounding");
        }
    }

    /** {@link #BATCHES} random batches (images U(0,1), labels 0-9) on both sides. */
    private static final class Batches implements AutoCloseable {
        final int n;
        final Tensor[] jx = new Tensor[BATCHES];
        final Tensor[] jy = new Tensor[BATCHES];
        final NDArray[] px = new NDArray[BATCHES];
        final NDArray[] py = new NDArray[BATCHES];

        Batches(SplittableRandom rnd, int n, int[] in, NDManager manager) {
            this.n = n;
            int[] shape = new int[in.length + 1];
            shape[0] = n;
            System.arraycopy(in, 0, shape, 1, in.length);
            int size = n * Arrays.stream(in).reduce(1, (a, b) -> a * b);
            for (int i = 0; i < BATCHES; i++) {
                float[] x = new float[size];
                for (int k = 0; k < size; k++) {
                    x[k] = (float) rnd.nextDouble();
                }
                int[] y = new int[n];
                long[] y64 = new long[n];
                for (int k = 0; k < n; k++) {
                    y[k] = rnd.nextInt(10);
                    y64[k] = y[k];
                }
                jx[i] = Tensor.of(x, shape);
                jy[i] = Tensor.ofInts(y, n);
                px[i] = manager.create(x, new Shape(TorchTwin.toLongs(shape)));
                py[i] = manager.create(y64, new Shape(n, 1));
                if (py[i].getDataType() != DataType.INT64) {
                    throw new IllegalStateException("train: labels are " + py[i].getDataType() + ", expected int64");
                }
            }
        }

        @Override
        public void close() {
            for (int i = 0; i < BATCHES; i++) {
                px[i].close();
                py[i].close();
            }
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
