package dev.jumbo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jumbo.data.Batch;
import dev.jumbo.data.DataLoader;
import dev.jumbo.data.Dataset;
import dev.jumbo.data.FashionMnist;
import dev.jumbo.data.TensorDataset;
import dev.jumbo.data.Transform;
import dev.jumbo.data.augment.Augment;
import dev.jumbo.nn.Losses;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.zoo.Zoo;
import dev.jumbo.optim.Adam;
import dev.jumbo.tensor.Rng;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training images/s of LeNet-5 with the standard image augmentation ({@link Augment#standard}:
 * random crop with 2 pixels of zero padding and a horizontal flip, run on the loader's prefetch
 * thread) against the same training without augmentation, interleaved in one JVM with
 * {@link PairedTimer}: the target is a ratio of at least 0.9. Each side trains its own copy of the
 * model from its own loader (batch 64, 1 worker, 4 batches ahead) over the first {@code --examples}
 * Fashion-MNIST training images (random images when it is not installed).
 *
 * <pre>
 * ./jumbo bench augment --json
 * </pre>
 */
@Command(name = "augment", mixinStandardHelpOptions = true,
        description = "LeNet-5 training images/s with the standard augmentation vs without, interleaved.")
public final class AugmentBench implements Callable<Integer> {

    @Option(names = "--pairs", description = "Interleaved timing pairs. Default: ${DEFAULT-VALUE}.")
    int pairs = 5;

    @Option(names = "--min-time", description = "Seconds each timed section lasts at least. Default: ${DEFAULT-VALUE}.")
    double minTime = 1;

    @Option(names = "--warmup", description = "Least seconds of warm-up per side; it goes on until the JIT is quiet. Default: ${DEFAULT-VALUE}.")
    double warmup = 3;

    @Option(names = "--examples", description = "Training images in the loaders. Default: ${DEFAULT-VALUE}.")
    int examples = 4096;

    @Option(names = "--idle-wait", description = "Seconds to wait for an idle machine before each timed section. Default: ${DEFAULT-VALUE}.")
    double idleWait = 3;

    @Option(names = "--idle-busy", description = "CPU busy fraction counted as idle. Default: ${DEFAULT-VALUE}.")
    double idleBusy = 0.15;

    @Option(names = "--json", description = "Print the results as a JSON object on the last stdout line.")
    boolean json;

    static final int BATCH = 64;

    @Override
    public Integer call() throws Exception {
        if (pairs < 1 || examples < BATCH) {
            System.err.println("augment: --pairs " + pairs + " and --examples " + examples
                    + ", expected pairs >= 1 and examples >= " + BATCH);
            return 2;
        }
        Dataset data = data(examples);
        Transform aug = Augment.standard(28, 28);
        PairedTimer timer = new PairedTimer(minTime, idleBusy, idleWait);
        PairedTimer.Result r;
        try (Side with = new Side(data, aug); Side without = new Side(data, Transform.identity())) {
            System.err.printf("augment: %s, %d images, warming up%n", aug, data.size());
            PairedTimer.warmUp(with::step, warmup);
            PairedTimer.warmUp(without::step, warmup);
            r = timer.measure(with::step, without::step, pairs, (i, a, b, ac, bc) -> System.err.printf(
                    "augment: pair %d: augmented %.1f, plain %.1f images/s (ratio %.3f); per CPU-second %.1f, %.1f (ratio %.3f)%n",
                    i + 1, BATCH * a, BATCH * b, a / b, BATCH * ac, BATCH * bc, ac / bc));
        }
        if (timer.busySections() > 0) {
            System.err.println("augment: the machine never became idle before " + timer.busySections()
                    + " timed section(s) (waited " + idleWait + " s each); those numbers are noisy");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("case", "lenet5 train b64, standard augmentation vs none");
        row.put("data", FashionMnist.installed().isInstalled() ? "fashion-mnist" : "random");
        row.put("augmented_images_per_s", Math.round(BATCH * r.jumboPerSecond() * 10) / 10.0);
        row.put("plain_images_per_s", Math.round(BATCH * r.peerPerSecond() * 10) / 10.0);
        row.put("ratio", Math.round(r.pairRatio() * 1000) / 1000.0);
        row.put("ratio_min", Math.round(r.pairRatioMin() * 1000) / 1000.0);
        row.put("ratio_max", Math.round(r.pairRatioMax() * 1000) / 1000.0);
        row.put("augmented_per_cpu_s", Math.round(BATCH * r.jumboPerCpuSecond() * 10) / 10.0);
        row.put("plain_per_cpu_s", Math.round(BATCH * r.peerPerCpuSecond() * 10) / 10.0);
        row.put("cpu_ratio", Math.round(r.cpuRatio() * 1000) / 1000.0);
        row.put("augment_us_per_image", Math.round(augmentMicros(data, aug) * 100) / 100.0);
        row.put("target", 0.9);
        row.put("busy_sections", timer.busySections());
        System.out.printf("%-48s %12s %12s %7s %13s %9s%n", "case", "augmented/s", "plain/s", "ratio", "pair ratios",
                "cpu ratio");
        System.out.printf("%-48s %12.1f %12.1f %7.3f %13s %9.3f%n", row.get("case"), (double) row.get("augmented_images_per_s"),
                (double) row.get("plain_images_per_s"), (double) row.get("ratio"), row.get("ratio_min") + "-" + row.get("ratio_max"),
                (double) row.get("cpu_ratio"));
        System.out.printf("standard augmentation alone: %.2f us per image on one thread%n", (double) row.get("augment_us_per_image"));
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(row));
        }
        return 0;
    }

    /** Microseconds per image of {@code aug} alone on the calling thread (median of 5 passes over the data). */
    private static double augmentMicros(Dataset data, Transform aug) {
        int size = data.exampleSize();
        int[] shape = data.exampleShape();
        float[] x = new float[size];
        double[] us = new double[5];
        for (int pass = -2; pass < us.length; pass++) {        // two passes of warm-up
            long t0 = System.nanoTime();
            for (int i = 0; i < data.size(); i++) {
                data.read(i, x, 0);
                aug.apply(x, 0, shape, new Rng(i + 31L * pass));
            }
            long dt = System.nanoTime() - t0;
            if (pass >= 0) {
                us[pass] = dt / 1e3 / data.size();
            }
        }
        return PairedTimer.median(us);
    }

    private static Dataset data(int n) {
        if (FashionMnist.installed().isInstalled()) {
            Dataset full = FashionMnist.train();
            float[] x = new float[n * 784];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                full.read(i, x, i * 784);
                y[i] = full.label(i);
            }
            return new TensorDataset("fashion-mnist", x, y, new int[] {1, 28, 28}, 10, List.of());
        }
        Rng rng = new Rng(7);
        float[] x = new float[n * 784];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(10);
        }
        return new TensorDataset("random", x, y, new int[] {1, 28, 28}, 10, List.of());
    }

    /** One model, optimizer and loader; {@link #step} trains on the loader's next batch. */
    private static final class Side implements AutoCloseable {
        final Module model = Zoo.create("lenet5", new Rng(1));
        final Adam opt = new Adam(Adam.options().lr(1e-3), model.parameters());
        final DataLoader loader;
        Iterator<Batch> it;
        int epoch;

        Side(Dataset data, Transform t) {
            loader = DataLoader.builder(data).batchSize(BATCH).shuffle(true).seed(1).dropLast(true).transform(t)
                    .workers(1).prefetch(4).build();
            it = loader.epoch(0);
            model.train();
        }

        void step() {
            if (!it.hasNext()) {
                it = loader.epoch(++epoch);
            }
            Batch b = it.next();
            opt.zeroGrad();
            Losses.crossEntropy(model.call(b.inputs()), b.labels()).backward();
            opt.step();
        }

        @Override
        public void close() {
            loader.close();
        }
    }
}
