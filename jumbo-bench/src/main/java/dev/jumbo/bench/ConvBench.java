package dev.jumbo.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.kernels.Parallel;
import dev.jumbo.tensor.ConvOps;
import dev.jumbo.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * conv2d training steps (forward, then grad input, grad weight and grad bias) per second of Jumbo
 * against PyTorch CPU driven through DJL, in one JVM, on the same inputs and output gradient.
 *
 * <p>Both sides run with the same thread count. For each layer the forward outputs and the three
 * gradients are compared first; then {@code --pairs} interleaved timings (Jumbo, PyTorch, ...) are
 * taken, each after waiting for an idle machine and each lasting at least {@code --min-time}
 * seconds. Gradients accumulate across steps on both sides (as in training without zeroing).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true \
 *      -jar jumbo-bench/target/jumbo-bench.jar conv --json
 * </pre>
 */
@Command(name = "conv", mixinStandardHelpOptions = true,
        description = "conv2d forward+backward steps/s of Jumbo vs PyTorch (DJL), interleaved.")
public final class ConvBench implements Callable<Integer> {

    @Option(names = "--threads", description = "Threads for both sides. Default: all cores.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--pairs", description = "Interleaved Jumbo/PyTorch timing pairs. Default: ${DEFAULT-VALUE}.")
    int pairs = 5;

    @Option(names = "--min-time", description = "Seconds each timed section lasts at least. Default: ${DEFAULT-VALUE}.")
    double minTime = 0.5;

    @Option(names = "--warmup", description = "Least seconds of warm-up per side and layer; it goes on until the JIT is quiet. Default: ${DEFAULT-VALUE}.")
    double warmup = 2;

    @Option(names = "--idle-wait", description = "Seconds to wait for an idle machine before each timed section. Default: ${DEFAULT-VALUE}.")
    double idleWait = 20;

    @Option(names = "--idle-busy", description = "CPU busy fraction counted as idle. Default: ${DEFAULT-VALUE}.")
    double idleBusy = 0.15;

    @Option(names = "--cases", split = ",", description = "Layers to run (lenet-conv1, lenet-conv2, resnet-3x3). Default: all.")
    List<String> only;

    @Option(names = "--json", description = "Print the results as a JSON array on the last stdout line.")
    boolean json;

    /** One benchmarked layer: batch n, input cin x h x w, cout filters k x k, stride 1, padding pad. */
    record Case(String name, int n, int cin, int h, int w, int cout, int k, int pad) {}

    static final List<Case> CASES = List.of(
            new Case("lenet-conv1", 64, 1, 28, 28, 6, 5, 2),
            new Case("lenet-conv2", 64, 6, 14, 14, 16, 5, 0),
            new Case("resnet-3x3", 32, 64, 56, 56, 64, 3, 1));

    private PairedTimer timer;

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || pairs < 1) {
            System.err.println("conv: --threads " + threads + " and --pairs " + pairs + ", expected positive values");
            return 2;
        }
        configurePyTorch();
        Parallel.setThreads(threads);
        timer = new PairedTimer(minTime, idleBusy, idleWait);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
            JniUtils.setNumThreads(threads);
            if (JniUtils.getNumInteropThreads() != threads) { // DJL applies the property at engine start
                try {
                    JniUtils.setNumInteropThreads(threads);
                } catch (RuntimeException e) {
                    System.err.println("conv: could not set PyTorch inter-op threads: " + e.getMessage());
                }
            }
            System.err.printf("conv: threads jumbo %d, pytorch intra-op %d inter-op %d%n", Parallel.threads(),
                    JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
            for (Case c : CASES) {
                if (only != null && !only.contains(c.name())) {
                    continue;
                }
                rows.add(measure(c, manager));
            }
        }
        System.out.printf("%-12s %-28s %12s %14s %7s%n", "case", "shape", "jumbo it/s", "pytorch it/s", "ratio");
        for (Map<String, Object> r : rows) {
            System.out.printf("%-12s %-28s %12.1f %14.1f %7.3f%n", r.get("case"), r.get("shape"),
                    (double) r.get("jumbo_per_s"), (double) r.get("pytorch_per_s"), (double) r.get("ratio"));
        }
        if (timer.busySections() > 0) {
            System.err.println("conv: the machine never became idle before " + timer.busySections()
                    + " timed section(s) (waited " + idleWait + " s each); those numbers are noisy");
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(rows));
        }
        return 0;
    }

    /** Offline, cache under target/, and the thread counts, before the engine starts. */
    private void configurePyTorch() {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR", Path.of("jumbo-bench", "target", "djl-cache").toAbsolutePath().toString());
        }
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", String.valueOf(threads));
    }

    private Map<String, Object> measure(Case c, NDManager manager) {
        SplittableRandom rnd = new SplittableRandom(c.name().hashCode());
        int oh = c.h() + 2 * c.pad() - c.k() + 1;
        int ow = c.w() + 2 * c.pad() - c.k() + 1;
        float[] x = random(rnd, c.n() * c.cin() * c.h() * c.w(), 1f);
        float[] w = random(rnd, c.cout() * c.cin() * c.k() * c.k(), (float) (1 / Math.sqrt(c.cin() * c.k() * c.k())));
        float[] b = random(rnd, c.cout(), 0.1f);
        float[] dy = random(rnd, c.n() * c.cout() * oh * ow, 1f);
        int[] one = {1, 1};
        int[] pad = {c.pad(), c.pad()};

        Tensor jx = Tensor.of(x.clone(), c.n(), c.cin(), c.h(), c.w()).requiresGrad(true);
        Tensor jw = Tensor.of(w.clone(), c.cout(), c.cin(), c.k(), c.k()).requiresGrad(true);
        Tensor jb = Tensor.of(b.clone(), c.cout()).requiresGrad(true);
        Tensor jdy = Tensor.of(dy, c.n(), c.cout(), oh, ow);
        PairedTimer.Side jumbo = () -> ConvOps.conv2d(jx, jw, jb, one, pad, one, 1).backward(jdy);

        NDArray px = manager.create(x, new Shape(c.n(), c.cin(), c.h(), c.w()));
        NDArray pw = manager.create(w, new Shape(c.cout(), c.cin(), c.k(), c.k()));
        NDArray pb = manager.create(b, new Shape(c.cout()));
        NDArray pdy = manager.create(dy, new Shape(c.n(), c.cout(), oh, ow));
        px.setRequiresGradient(true);
        pw.setRequiresGradient(true);
        pb.setRequiresGradient(true);
        Shape s1 = new Shape(1, 1);
        Shape sp = new Shape(c.pad(), c.pad());
        PairedTimer.Side torch = () -> {
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = px.getNDArrayInternal().convolution(px, pw, pb, s1, sp, s1, 1).singletonOrThrow();
                JniUtils.backward((PtNDArray) y, (PtNDArray) pdy, false, false);
                y.close();
            }
        };

        verify(c, jx, jw, jb, px, pw, pb, pdy, one, pad, s1, sp);
        // verify() left gradients behind; the timed steps accumulate on top of them on both sides.
        System.err.printf("conv: %s: warming up%n", c.name());
        double jumboWarm = PairedTimer.warmUp(jumbo, warmup);
        double torchWarm = PairedTimer.warmUp(torch, warmup);
        System.err.printf("conv: %s: warm after %.1f s (Jumbo), %.1f s (PyTorch)%n", c.name(), jumboWarm, torchWarm);
        PairedTimer.Result r = timer.measure(jumbo, torch, pairs, (i, j, t, jc, tc) -> System.err.printf(
                "conv: %s pair %d: jumbo %.1f, pytorch %.1f steps/s (ratio %.3f)%n", c.name(), i + 1, j, t, j / t));
        px.close();
        pw.close();
        pb.close();
        pdy.close();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("case", c.name());
        row.put("shape", String.format("%dx%dx%dx%d->%d@%dx%d p%d", c.n(), c.cin(), c.h(), c.w(), c.cout(), c.k(),
                c.k(), c.pad()));
        row.put("threads", threads);
        row.put("jumbo_per_s", round(r.jumboPerSecond()));
        row.put("pytorch_per_s", round(r.peerPerSecond()));
        row.put("ratio", Math.round(r.pairRatio() * 1000) / 1000.0);
        return row;
    }

    /** Forward values and all three gradients must agree before anything is timed. */
    private static void verify(Case c, Tensor jx, Tensor jw, Tensor jb, NDArray px, NDArray pw, NDArray pb,
                               NDArray pdy, int[] one, int[] pad, Shape s1, Shape sp) {
        Tensor jy = ConvOps.conv2d(jx, jw, jb, one, pad, one, 1);
        jy.backward(Tensor.of(pdy.toFloatArray(), jy.shape()));
        float[] py;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray y = px.getNDArrayInternal().convolution(px, pw, pb, s1, sp, s1, 1).singletonOrThrow();
            JniUtils.backward((PtNDArray) y, (PtNDArray) pdy, false, false);
            py = y.toFloatArray();
            y.close();
        }
        compare(c, "forward", jy.toFloatArray(), py);
        compare(c, "grad input", jx.grad().toFloatArray(), grad(px));
        compare(c, "grad weight", jw.grad().toFloatArray(), grad(pw));
        compare(c, "grad bias", jb.grad().toFloatArray(), grad(pb));
        System.err.printf("conv: %s: forward and gradients agree with PyTorch%n", c.name());
    }

    private static float[] grad(NDArray a) {
        try (NDArray g = a.getGradient()) {
            return g.toFloatArray();
        }
    }

    private static void compare(Case c, String what, float[] jumbo, float[] torch) {
        if (jumbo.length != torch.length) {
            throw new IllegalStateException("conv: " + c.name() + ": " + what + " has " + jumbo.length
                    + " values in Jumbo and " + torch.length + " in PyTorch");
        }
        double maxDiff = 0;
        double maxAbs = 0;
        for (int i = 0; i < jumbo.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(jumbo[i] - torch[i]));
            maxAbs = Math.max(maxAbs, Math.abs(torch[i]));
        }
        if (!(maxDiff <= 1e-4 * Math.max(1, maxAbs))) {
            throw new IllegalStateException("conv: " + c.name() + ": " + what + " differs from PyTorch by " + maxDiff
                    + " (largest value " + maxAbs + "), expected agreement to float32 rounding");
        }
    }

    private static float[] random(SplittableRandom rnd, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
