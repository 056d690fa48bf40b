package dev.jumbo.train;

import dev.jumbo.data.DataLoader;
import dev.jumbo.data.TensorDataset;
import dev.jumbo.io.Safetensors;
import dev.jumbo.nn.Dropout;
import dev.jumbo.nn.Linear;
import dev.jumbo.nn.Module;
import dev.jumbo.nn.ReLU;
import dev.jumbo.nn.Sequential;
import dev.jumbo.optim.AdamW;
import dev.jumbo.optim.StepLR;
import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, fully seeded training run for the tests: three Gaussian blobs in 8 dimensions, an MLP
 * with dropout, AdamW with a per-epoch StepLR, a shuffled loader with drop-last off. Also the main
 * class of the child JVM of the SIGKILL test: {@code Run <dir> <epochs> <resume> <sleepMs>} trains
 * with a backup every 2 batches, prints {@code step <n>} after each batch and writes the final
 * weights to {@code <dir>/final.safetensors}.
 */
final class Run {
    static final int CLASSES = 3;
    static final int FEATURES = 8;

    final Module model;
    final AdamW optimizer;
    final Trainer trainer;
    final DataLoader train;
    final DataLoader val;

    Run(long seed, int examples) {
        Rng rng = new Rng(seed);
        model = new Sequential(new Linear(FEATURES, 16, rng), new ReLU(), new Dropout(0.2, rng.split()),
                new Linear(16, CLASSES, rng));
        optimizer = new AdamW(AdamW.options().lr(0.02), model.parameters());
        trainer = Trainer.builder().optimizer(optimizer).scheduler(new StepLR(optimizer, 2, 0.5), false)
                .clipGradNorm(5).seed(seed).build();
        train = DataLoader.builder(blobs(examples, 11)).batchSize(16).shuffle(true).seed(seed).build();
        val = DataLoader.builder(blobs(64, 12)).batchSize(32).build();
    }

    /** {@code n} examples: class c centred at 1.5 * e_c, unit noise. */
    static TensorDataset blobs(int n, long seed) {
        Rng r = new Rng(seed);
        float[] x = new float[n * FEATURES];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(CLASSES);
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = (float) r.nextGaussian() + (j == y[i] ? 1.5f : 0f);
            }
        }
        return TensorDataset.of(Tensor.of(x, n, FEATURES), Tensor.ofInts(y, n), CLASSES);
    }

    /** Weights as float arrays by name (copies). */
    static Map<String, float[]> weights(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, t) -> out.put(k, t.toFloatArray()));
        return out;
    }

    /** A callback recording every batch loss. */
    static final class Losses implements Callback {
        final List<Double> values = new ArrayList<>();

        @Override
        public void onBatchEnd(int batch, Map<String, Double> logs) {
            values.add(logs.get("batch_loss"));
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int epochs = Integer.parseInt(args[1]);
        boolean resume = Boolean.parseBoolean(args[2]);
        long sleepMs = Long.parseLong(args[3]);
        PrintStream out = System.out;
        Callback pace = new Callback() {
            long steps;

            @Override
            public void onBatchEnd(int batch, Map<String, Double> logs) {
                out.println("step " + ++steps);
                out.flush();
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Run run = new Run(7, 128);
        run.fit(dir, epochs, resume, pace);
        out.println("done");
    }

    /** Trains with a backup in {@code dir} (every 2 batches) and writes the final weights there. */
    Map<String, float[]> fit(Path dir, int epochs, boolean resume, Callback... extra) throws Exception {
        Files.createDirectories(dir);
        List<Callback> cbs = new ArrayList<>(List.of(extra));
        cbs.add(new BackupAndRestore(dir, 2, resume));
        cbs.add(new CsvLogger(dir.resolve("metrics.csv")));
        trainer.fit(model, train, val, epochs, cbs.toArray(Callback[]::new));
        Safetensors.write(dir.resolve("final.safetensors"), model.stateDict());
        train.close();
        val.close();
        return weights(model);
    }
}
