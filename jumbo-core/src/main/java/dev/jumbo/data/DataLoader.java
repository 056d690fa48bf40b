package dev.jumbo.data;

import dev.jumbo.tensor.Rng;
import dev.jumbo.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches a {@link Dataset}: seeded shuffling, drop-last, per-example {@link Transform}s, an
 * optional {@link BatchTransform} (mixup, cutmix) and background prefetch on a small pool of worker threads.
 *
 * <p>Every batch is a pure function of (seed, epoch, batch index): epoch {@code e} visits the
 * examples in a permutation drawn from {@code seed} and {@code e} alone, and each example's
 * transform gets a random stream seeded by (seed, epoch, position). So the batches are the same
 * for any number of workers, and a run resumed at epoch {@code e} sees exactly the batches an
 * uninterrupted run would. Workers build up to {@code prefetch} batches ahead of the consumer;
 * batches come back in order.
 *
 * <pre>{@code
 * try (DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(1)
 *         .dropLast(true).transform(Transform.normalize(new float[] {0.286f}, new float[] {0.353f}))
 *         .workers(1).prefetch(4).build()) {
 *     for (int epoch = 0; epoch < 10; epoch++) {
 *         for (Batch b : loader.epoch(epoch)) {      // b.inputs() [64,1,28,28], b.labels() int32 [64]
 *             step(b);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Threads: the workers are daemon threads named {@code jumbo-data-<loader>-<n>}. Opening a new
 * epoch, closing an epoch or closing the loader cancels the batches not yet taken; idle workers
 * exit after a second, so an abandoned epoch leaves no threads behind either; {@link #close()}
 * stops them at once.
 */
public final class DataLoader implements Iterable<Batch>, AutoCloseable {
    private static final AtomicInteger LOADERS = new AtomicInteger();
    /** Separates the batch transforms' random streams from the per-example ones. */
    private static final long BATCH_STREAM = 0x6A09E667F3BCC909L;

    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final Transform transform;
    private final BatchTransform batchTransform;
    private final int prefetch;
    private final int[] shape;
    private final int exampleSize;
    private final ThreadPoolExecutor pool;
    /** Every worker thread started, so close() can join them: the pool terminates a moment before its last thread ends. */
    private final java.util.Queue<Thread> workers = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private Epoch open;
    private int nextEpoch;
    private boolean closed;

    private DataLoader(Builder b) {
        if (b.batchSize <= 0) {
            throw new IllegalArgumentException("DataLoader: batch size " + b.batchSize + ": expected at least 1");
        }
        if (b.workers < 0 || b.prefetch < 1) {
            throw new IllegalArgumentException("DataLoader: workers " + b.workers + ", prefetch " + b.prefetch
                    + ": expected workers >= 0 and prefetch >= 1");
        }
        if (b.data.size() == 0) {
            throw new IllegalArgumentException("DataLoader: the dataset " + b.data + " is empty: expected at least one example");
        }
        this.data = b.data;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.transform = b.transform;
        this.batchTransform = b.batchTransform;
        this.prefetch = b.prefetch;
        this.shape = data.exampleShape();
        this.exampleSize = data.exampleSize();
        if (b.workers == 0) {
            this.pool = null;
        } else {
            String prefix = "jumbo-data-" + LOADERS.incrementAndGet() + "-";
            AtomicInteger n = new AtomicInteger();
            this.pool = new ThreadPoolExecutor(b.workers, b.workers, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, prefix + n.incrementAndGet());
                t.setDaemon(true);
                workers.removeIf(w -> !w.isAlive() && w.getState() == Thread.State.TERMINATED);
                workers.add(t);
                return t;
            });
            pool.allowCoreThreadTimeOut(true);
        }
    }

    /** A builder over {@code data}: batch 32, no shuffling, seed 0, keep the last partial batch, 1 worker, 2 ahead. */
    public static Builder builder(Dataset data) {
        return new Builder(data);
    }

    /** The dataset this loader batches. */
    public Dataset dataset() {
        return data;
    }

    /** The batch size B. */
    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch: {@code size / B}, rounded up unless dropping the last partial batch. */
    public int batchesPerEpoch() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * The batches of epoch {@code epoch} (0-based), in order. Opening it cancels the batches not yet
     * taken from the previously opened epoch.
     */
    public synchronized Epoch epoch(int epoch) {
        if (closed) {
            throw new IllegalStateException("DataLoader: closed: open epochs before close()");
        }
        if (open != null) {
            open.close();
        }
        open = new Epoch(epoch);
        nextEpoch = epoch + 1;
        return open;
    }

    /** The next epoch (0 first, then one after the last epoch opened). */
    @Override
    public synchronized Iterator<Batch> iterator() {
        return epoch(nextEpoch);
    }

    /** Cancels pending batches and stops the worker threads (waiting up to 5 s for them). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (open != null) {
            open.close();
        }
        if (pool != null) {
            pool.shutdownNow();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                pool.awaitTermination(5, TimeUnit.SECONDS);
                for (Thread t : workers) {
                    long leftMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                    t.join(leftMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The order epoch {@code epoch} visits the examples in. */
    int[] order(int epoch) {
        int n = data.size();
        if (shuffle) {
            return Splits.permutation(n, new Rng(mix(seed, epoch) ^ 0x5DEECE66DL));
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    private Batch build(int[] order, int epoch, int b) {
        int from = b * batchSize;
        int count = Math.min(batchSize, order.length - from);
        float[] x = new float[count * exampleSize];
        int[] y = new int[count];
        long epochSeed = mix(seed, epoch);
        for (int k = 0; k < count; k++) {
            int idx = order[from + k];
            data.read(idx, x, k * exampleSize);
            y[k] = data.label(idx);
            transform.apply(x, k * exampleSize, shape, new Rng(mix(epochSeed, from + k)));
        }
        int[] bshape = new int[shape.length + 1];
        bshape[0] = count;
        System.arraycopy(shape, 0, bshape, 1, shape.length);
        Batch batch = new Batch(Tensor.of(x, bshape), Tensor.ofInts(y, count));
        return batchTransform == null ? batch : batchTransform.apply(batch, new Rng(mix(epochSeed ^ BATCH_STREAM, b)));
    }

    private static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * One pass over the data: an iterator (and iterable, for for-each) of batches that keeps up to
     * {@code prefetch} batches in flight on the workers. Close it to cancel what is in flight when
     * leaving early; finishing the epoch closes it.
     */
    public final class Epoch implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final int batches;
        private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
        private int submitted;
        private int taken;
        private boolean done;

        private Epoch(int epoch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.batches = batchesPerEpoch();
            if (pool != null) {
                while (submitted < Math.min(prefetch, batches)) {
                    submitNext();
                }
            }
        }

        private void submitNext() {
            int b = submitted++;
            ahead.add(pool.submit(() -> build(order, epoch, b)));
        }

        /** The epoch number. */
        public int number() {
            return epoch;
        }

        @Override
        public Iterator<Batch> iterator() {
            return this;
        }

        @Override
        public synchronized boolean hasNext() {
            return !done && taken < batches;
        }

        @Override
        public synchronized Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: epoch " + epoch + " has no batch " + taken
                        + (done && taken < batches ? " (the epoch was closed)" : " (it has " + batches + ")"));
            }
            int b = taken++;
            Batch batch;
            if (pool == null) {
                batch = build(order, epoch, b);
            } else {
                Future<Batch> f = ahead.poll();
                if (submitted < batches) {
                    submitNext();           // keep `prefetch` batches in flight while we wait
                }
                batch = await(f, b);
            }
            if (taken == batches) {
                close();
            }
            return batch;
        }

        private Batch await(Future<Batch> f, int b) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + b + " of epoch " + epoch, e);
            } catch (CancellationException e) {
                close();
                throw new IllegalStateException("DataLoader: batch " + b + " of epoch " + epoch
                        + " was cancelled (the loader was closed or another epoch opened)", e);
            } catch (ExecutionException e) {
                close();
                Throwable c = e.getCause();
                String msg = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
                throw new IllegalStateException("DataLoader: batch " + b + " of epoch " + epoch + ": " + msg, c);
            }
        }

        /** Cancels the batches in flight; the iterator then has no next batch. */
        @Override
        public synchronized void close() {
            done = true;
            for (Future<Batch> f : ahead) {
                f.cancel(true);
            }
            ahead.clear();
        }
    }

    /** Options of a {@link DataLoader}. */
    public static final class Builder {
        private final Dataset data;
        private int batchSize = 32;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private Transform transform = Transform.identity();
        private BatchTransform batchTransform;
        private int workers = 1;
        private int prefetch = 2;

        private Builder(Dataset data) {
            this.data = data;
        }

        /** Examples per batch. */
        public Builder batchSize(int b) {
            this.batchSize = b;
            return this;
        }

        /** Visit the examples in a new seeded permutation each epoch. */
        public Builder shuffle(boolean s) {
            this.shuffle = s;
            return this;
        }

        /** The seed of the permutations and of the transforms' random streams. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Drop the last batch when it is smaller than the batch size. */
        public Builder dropLast(boolean d) {
            this.dropLast = d;
            return this;
        }

        /** The per-example transform (applied on the workers). */
        public Builder transform(Transform t) {
            this.transform = t;
            return this;
        }

        /**
         * A transform of each whole batch (mixup, cutmix), applied on the workers after the
         * per-example transforms, with a random stream seeded by (seed, epoch, batch index); null: none.
         */
        public Builder batchTransform(BatchTransform t) {
            this.batchTransform = t;
            return this;
        }

        /** Worker threads building batches; 0 builds them on the caller's thread. */
        public Builder workers(int w) {
            this.workers = w;
            return this;
        }

        /** Batches built ahead of the consumer (the bound of the prefetch queue). */
        public Builder prefetch(int p) {
            this.prefetch = p;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }
}
