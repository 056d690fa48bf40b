package dev.jumbo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    /** n examples of shape [2]: example i is (i, -i), label i % 3. */
    static TensorDataset toy(int n) {
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i % 3;
        }
        return new TensorDataset("toy", x, y, new int[] {2}, 3, List.of());
    }

    /** A random augmentation: adds noise from the per-example stream. */
    static final Transform NOISE = (x, off, shape, rng) -> {
        for (int i = 0; i < 2; i++) {
            x[off + i] += rng.nextFloat();
        }
    };

    private static List<float[]> epochs(DataLoader loader, int epochs) {
        List<float[]> out = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            for (Batch b : loader.epoch(e)) {
                out.add(b.inputs().toFloatArray());
                int[] labels = b.labels().toIntArray();
                float[] y = new float[labels.length];
                for (int k = 0; k < y.length; k++) {
                    y[k] = labels[k];
                }
                out.add(y);
            }
        }
        return out;
    }

    @Test
    void sameSeedGivesTheSameBatchesWhateverTheWorkersAndPrefetch() {
        TensorDataset d = toy(103);
        List<float[]> reference = null;
        for (int[] wp : new int[][] {{0, 1}, {1, 1}, {1, 4}, {3, 2}, {4, 8}}) {
            try (DataLoader l = DataLoader.builder(d).batchSize(10).shuffle(true).seed(7).transform(NOISE)
                    .workers(wp[0]).prefetch(wp[1]).build()) {
                List<float[]> got = epochs(l, 3);
                if (reference == null) {
                    reference = got;
                } else {
                    assertThat(got).as("workers %d prefetch %d", wp[0], wp[1]).hasSameSizeAs(reference);
                    for (int i = 0; i < got.size(); i++) {
                        assertThat(got.get(i)).containsExactly(reference.get(i));
                    }
                }
            }
        }
    }

    @Test
    void eachEpochIsANewPermutationOfEveryExampleAndResumeMatches() {
        TensorDataset d = toy(50);
        try (DataLoader l = DataLoader.builder(d).batchSize(8).shuffle(true).seed(3).build();
                DataLoader other = DataLoader.builder(d).batchSize(8).shuffle(true).seed(3).build();
                DataLoader seed4 = DataLoader.builder(d).batchSize(8).shuffle(true).seed(4).build()) {
            int[] e0 = order(l, 0);
            int[] e1 = order(l, 1);
            assertThat(e0).isNotEqualTo(e1);
            assertThat(Arrays.stream(e0).sorted().toArray()).isEqualTo(Arrays.stream(e1).sorted().toArray())
                    .isEqualTo(java.util.stream.IntStream.range(0, 50).toArray());
            // Resuming at epoch 1 on a fresh loader sees exactly epoch 1's batches.
            assertThat(order(other, 1)).isEqualTo(e1);
            assertThat(order(seed4, 0)).isNotEqualTo(e0);
        }
    }

    /** The example indices an epoch visits (recovered from the toy inputs). */
    private static int[] order(DataLoader l, int epoch) {
        List<Integer> out = new ArrayList<>();
        for (Batch b : l.epoch(epoch)) {
            float[] x = b.inputs().toFloatArray();
            for (int k = 0; k < b.size(); k++) {
                out.add((int) x[2 * k]);
                assertThat(b.labels().toIntArray()[k]).isEqualTo((int) x[2 * k] % 3);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void noShuffleKeepsDatasetOrderAndBatchShapes() {
        try (DataLoader l = DataLoader.builder(toy(7)).batchSize(3).build()) {
            List<Batch> batches = new ArrayList<>();
            l.epoch(0).forEach(batches::add);
            assertThat(batches).hasSize(3);
            assertThat(batches.get(0).inputs().shape()).containsExactly(3, 2);
            assertThat(batches.get(2).inputs().shape()).containsExactly(1, 2);
            assertThat(batches.get(2).labels().shape()).containsExactly(1);
            assertThat(batches.get(1).inputs().toFloatArray()).containsExactly(3, -3, 4, -4, 5, -5);
            assertThat(batches.get(1).labels().toIntArray()).containsExactly(0, 1, 2);
        }
    }

    @Test
    void dropLastDropsOnlyThePartialBatch() {
        try (DataLoader keep = DataLoader.builder(toy(23)).batchSize(5).build();
                DataLoader drop = DataLoader.builder(toy(23)).batchSize(5).dropLast(true).shuffle(true).build();
                DataLoader exact = DataLoader.builder(toy(20)).batchSize(5).dropLast(true).build()) {
            assertThat(keep.batchesPerEpoch()).isEqualTo(5);
            assertThat(drop.batchesPerEpoch()).isEqualTo(4);
            assertThat(exact.batchesPerEpoch()).isEqualTo(4);
            int n = 0;
            Set<Integer> seen = new HashSet<>();
            for (Batch b : drop.epoch(0)) {
                assertThat(b.size()).isEqualTo(5);
                for (float v : b.inputs().toFloatArray()) {
                    if (v >= 0) {
                        seen.add((int) v);
                    }
                }
                n++;
            }
            assertThat(n).isEqualTo(4);
            assertThat(seen).hasSize(20);
        }
    }

    @Test
    void transformsRunOnEveryExample() {
        Transform plusOne = (x, off, shape, rng) -> {
            x[off] += 1;
            x[off + 1] += 1;
        };
        try (DataLoader l = DataLoader.builder(toy(4)).batchSize(4).transform(plusOne.andThen(Transform.scale(2))).build()) {
            assertThat(l.epoch(0).next().inputs().toFloatArray()).containsExactly(2, 2, 4, 0, 6, -2, 8, -4);
        }
    }

    @Test
    void workerErrorsReachTheConsumerWithBatchAndEpoch() {
        Transform boom = (x, off, shape, rng) -> {
            if (x[off] == 5) {
                throw new IllegalArgumentException("bad example 5");
            }
        };
        try (DataLoader l = DataLoader.builder(toy(10)).batchSize(2).transform(boom).workers(2).build()) {
            DataLoader.Epoch e = l.epoch(0);
            e.next();
            e.next();
            assertThatThrownBy(e::next).hasMessage("DataLoader: batch 2 of epoch 0: bad example 5");
        }
    }

    @Test
    void badOptionsAndEmptyDatasetsAreRejected() {
        assertThatThrownBy(() -> DataLoader.builder(toy(3)).batchSize(0).build()).hasMessageContaining("batch size 0");
        TensorDataset empty = new TensorDataset("empty.csv", new float[0], new int[0], new int[] {2}, 3, List.of());
        assertThatThrownBy(() -> DataLoader.builder(empty).build())
                .hasMessageContaining("empty.csv").hasMessageContaining("is empty");
    }

    private static long dataThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("jumbo-data-") && t.isAlive()).count();
    }

    private static void awaitNoDataThreads(long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        while (dataThreads() > 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    @Test
    void closingOrAbandoningLeavesNoThreads() throws InterruptedException {
        awaitNoDataThreads(5000);
        long before = dataThreads();
        // Closed mid-epoch with batches in flight.
        DataLoader l = DataLoader.builder(toy(1000)).batchSize(4).workers(3).prefetch(6).build();
        DataLoader.Epoch e = l.epoch(0);
        e.next();
        assertThat(dataThreads()).isGreaterThan(before);
        l.close();
        assertThat(dataThreads()).isEqualTo(before);
        assertThatThrownBy(() -> l.epoch(1)).hasMessageContaining("closed");

        // Abandoned (break out of for-each, never closed): idle workers exit by themselves.
        DataLoader abandoned = DataLoader.builder(toy(1000)).batchSize(4).workers(2).prefetch(4).build();
        for (Batch b : abandoned.epoch(0)) {
            if (b.size() > 0) {
                break;
            }
        }
        awaitNoDataThreads(10_000);
        assertThat(dataThreads()).as("threads left by an abandoned epoch").isEqualTo(before);

        // A finished epoch of a try-with-resources loader.
        try (DataLoader done = DataLoader.builder(toy(20)).batchSize(4).workers(2).build()) {
            done.epoch(0).forEach(b -> {});
        }
        assertThat(dataThreads()).isEqualTo(before);
    }

    @Test
    void prefetchOverlapsDataWorkWithTheStep() {
        // Each batch takes ~4 ms to build (sleeping, so the test needs no free core) and the
        // consumer ~4 ms per step: sequential is ~8 ms per batch; prefetch should approach ~4 ms.
        int batches = 40;
        Transform slow = (x, off, shape, rng) -> sleep(4);
        long seq = timeEpoch(DataLoader.builder(toy(batches)).batchSize(1).transform(slow).workers(0), 4);
        long pre = timeEpoch(DataLoader.builder(toy(batches)).batchSize(1).transform(slow).workers(2).prefetch(4), 4);
        System.out.printf("prefetch: %d batches, sequential %.0f ms, prefetched %.0f ms (ratio %.2f)%n",
                batches, seq / 1e6, pre / 1e6, (double) pre / seq);
        assertThat((double) pre / seq).as("prefetched / sequential time").isLessThan(0.85);
    }

    private static long timeEpoch(DataLoader.Builder b, int stepMs) {
        try (DataLoader l = b.build()) {
            long t0 = System.nanoTime();
            for (Batch ignored : l.epoch(0)) {
                sleep(stepMs);
            }
            return System.nanoTime() - t0;
        }
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
