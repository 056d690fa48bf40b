package dev.jumbo.serve;

import dev.jumbo.kernels.Parallel;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching for one model version: requests wait in a bounded queue; one worker thread takes
 * the oldest, then keeps collecting until the batch holds {@code maxBatchSize} examples or the oldest
 * has waited {@code maxQueueDelay}, runs one forward pass over the stacked inputs and hands each
 * request its rows. A full queue is refused at once (429); a request whose deadline passes while
 * queued is answered 503 without being computed.
 *
 * <p>When waiting could not change the batch (the queue is empty, nothing is computing, and either
 * the delay is 0 or the request alone fills a batch, e.g. {@code max_batch_size} 1) {@link #submit}
 * computes on the caller's thread instead of handing the job to the worker and back: the same batch
 * and order, two thread hand-offs fewer. Only one batch computes at a time either way.
 *
 * <pre>{@code
 * Batcher b = new Batcher("m", "1", loaded, config, metrics);
 * Batcher.Job job = b.submit(rows, 2, System.nanoTime() + 5_000_000_000L);
 * float[] out = job.result().get();      // 2 * outputSize values
 * b.close();                             // runs what is queued, then stops
 * }</pre>
 */
public final class Batcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);

    /** One queued request: its stacked input rows, its deadline and the future its output rows complete. */
    public static final class Job {
        final float[] input;
        final int rows;
        final long enqueuedNanos = System.nanoTime();
        final long deadlineNanos;
        final CompletableFuture<float[]> result = new CompletableFuture<>();
        volatile long queueNanos;
        volatile long computeNanos;
        volatile int batchSize;

        Job(float[] input, int rows, long deadlineNanos) {
            this.input = input;
            this.rows = rows;
            this.deadlineNanos = deadlineNanos;
        }

        public CompletableFuture<float[]> result() {
            return result;
        }

        public long queueNanos() {
            return queueNanos;
        }

        public long computeNanos() {
            return computeNanos;
        }

        /** Examples in the batch this job ran in. */
        public int batchSize() {
            return batchSize;
        }
    }

    private final String model;
    private final String version;
    private final ModelLoader.Loaded loaded;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final BlockingQueue<Job> queue;
    private final GaugeDataPoint queueDepth;
    private final DistributionDataPoint batchSize;
    private final DistributionDataPoint computeSeconds;
    private final DistributionDataPoint queueSeconds;
    /** One permit: held by whoever runs a batch (the worker, or a caller computing inline). */
    private final Semaphore computing = new Semaphore(1);
    private final Thread worker;
    private volatile boolean closed;
    /** A job taken but left for the next batch (it did not fit); read by {@link #submit} too. */
    private volatile Job carried;

    public Batcher(String model, String version, ModelLoader.Loaded loaded, ModelConfig config, ServeMetrics metrics) {
        this.model = model;
        this.version = version;
        this.loaded = loaded;
        this.maxBatch = config.maxBatchSize();
        this.maxDelayNanos = config.maxQueueDelayMicros() * 1000;
        this.queue = new ArrayBlockingQueue<>(config.maxQueueSize());
        this.queueDepth = metrics.queueDepth.labelValues(model, version);
        this.batchSize = metrics.batchSize.labelValues(model, version);
        this.computeSeconds = metrics.computeSeconds.labelValues(model, version);
        this.queueSeconds = metrics.queueSeconds.labelValues(model, version);
        this.worker = Thread.ofPlatform().daemon().name("jumbo-batcher-" + model + "-" + version).start(this::loop);
    }

    /**
     * Queues {@code rows} examples; refuses at once when the queue is full (429, {@code queue_full})
     * or the batcher is closing (503, {@code unavailable}). The job may already be answered on return
     * (computed inline, see the class comment).
     */
    public Job submit(float[] input, int rows, long deadlineNanos) {
        if (closed) {
            throw ServeException.unavailable("model '" + model + "' version " + version + " is unloading");
        }
        Job job = new Job(input, rows, deadlineNanos);
        if ((maxDelayNanos == 0 || rows >= maxBatch) && queue.isEmpty() && carried == null && computing.tryAcquire()) {
            try {
                if (queue.isEmpty() && carried == null) {
                    run(List.of(job));
                    idleIfNothingWaits();
                    return job;
                }
            } finally {
                computing.release();
            }
        }
        if (!queue.offer(job)) {
            throw new ServeException(429, "queue_full", "model '" + model + "' version " + version
                    + ": queue full (" + queue.size() + " requests waiting); retry later");
        }
        queueDepth.inc();
        return job;
    }

    private Job take(long timeoutNanos) throws InterruptedException {
        Job j = queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        if (j != null) {
            queueDepth.dec();
        }
        return j;
    }

    private void loop() {
        while (!closed || !queue.isEmpty() || carried != null) {
            try {
                Job first = carried != null ? carried : take(50_000_000L);
                carried = null;
                if (first == null) {
                    continue;
                }
                List<Job> batch = new ArrayList<>();
                batch.add(first);
                int rows = first.rows;
                long flushAt = first.enqueuedNanos + maxDelayNanos;
                while (rows < maxBatch) {
                    long wait = flushAt - System.nanoTime();
                    Job next = wait > 0 ? take(wait) : queue.isEmpty() ? null : take(0);
                    if (next == null) {
                        break;
                    }
                    if (rows + next.rows > maxBatch) {
                        carried = next;
                        break;
                    }
                    batch.add(next);
                    rows += next.rows;
                }
                computing.acquireUninterruptibly();
                try {
                    run(batch);
                } finally {
                    computing.release();
                }
                idleIfNothingWaits();
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } catch (RuntimeException | Error e) {
                LOG.error("batcher {} v{}: worker error: {}", model, version, e.toString(), e);
            }
        }
    }

    /**
     * With no batch waiting, the compute pool's workers park now rather than spin for a next region
     * that is at least a round of HTTP away: the core goes to answering and reading requests.
     */
    private void idleIfNothingWaits() {
        if (queue.isEmpty() && carried == null) {
            Parallel.idle();
        }
    }

    private void run(List<Job> batch) {
        long start = System.nanoTime();
        List<Job> live = new ArrayList<>(batch.size());
        int rows = 0;
        for (Job j : batch) {
            j.queueNanos = start - j.enqueuedNanos;
            if (j.result.isDone()) {
                continue; // the client gave up (deadline passed while it waited)
            }
            if (start > j.deadlineNanos) {
                j.result.completeExceptionally(new ServeException(503, "deadline_exceeded", "model '" + model
                        + "': request deadline passed after " + j.queueNanos / 1000 + " µs in the queue"));
                continue;
            }
            live.add(j);
            rows += j.rows;
        }
        if (live.isEmpty()) {
            return;
        }
        int inSize = loaded.inputSize();
        float[] input;
        if (live.size() == 1) {
            input = live.getFirst().input;
        } else {
            input = new float[rows * inSize];
            int at = 0;
            for (Job j : live) {
                System.arraycopy(j.input, 0, input, at, j.input.length);
                at += j.input.length;
            }
        }
        float[] out;
        try {
            out = loaded.run(input, rows);
        } catch (RuntimeException e) {
            LOG.error("model {} v{}: forward over {} examples failed: {}", model, version, rows, e.toString(), e);
            for (Job j : live) {
                j.result.completeExceptionally(new ServeException(500, "internal", "model '" + model
                        + "' failed to compute: " + e.getMessage(), e));
            }
            return;
        }
        long computed = System.nanoTime() - start;
        batchSize.observe(rows);
        computeSeconds.observe(computed / 1e9);
        int outSize = out.length / rows;
        int at = 0;
        for (Job j : live) {
            float[] mine = new float[j.rows * outSize];
            System.arraycopy(out, at, mine, 0, mine.length);
            at += mine.length;
            j.computeNanos = computed;
            j.batchSize = rows;
            queueSeconds.observe(j.queueNanos / 1e9);
            j.result.complete(mine);
        }
    }

    /** Stops taking requests, runs what is already queued, and waits for the worker to end. */
    @Override
    public void close() {
        closed = true;
        try {
            worker.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Job j;
        while ((j = queue.poll()) != null) {
            j.result.completeExceptionally(ServeException.unavailable("model '" + model + "' unloaded"));
        }
    }
}
