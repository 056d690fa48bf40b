package dev.jumbo.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one shared pool of compute threads every kernel runs on.
 *
 * <p>Work is split into a fixed number of contiguous chunks so that results are bit-identical for a
 * given thread count (reductions combine chunk results in chunk order). The workers are persistent:
 * they spin briefly for new work, then park. An {@code ExecutorService} with futures made two
 * threads slower than one at n = 256 on this machine; a short bounded spin avoids the hand-off cost
 * without burning a core when the machine is shared (see DESIGN.md, kernel lessons).
 *
 * <p>Size it with {@code -Djumbo.threads=N} (default: all cores) or {@link #setThreads(int)}.
 *
 * <pre>{@code
 * Parallel.forRange(0, rows, 64, (from, to) -> {
 *     for (int r = from; r < to; r++) process(r);
 * });
 * }</pre>
 */
public final class Parallel {

    /** A body that processes the half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** A body that processes one chunk of a fixed partition, identified by its index. */
    @FunctionalInterface
    public interface ChunkBody {
        void run(int chunk);
    }

    private static final int SPIN_LIMIT = 20_000;
    private static volatile Pool pool = new Pool(configuredThreads());

    private Parallel() {}

    private static int configuredThreads() {
        String prop = System.getProperty("jumbo.threads");
        int cores = Runtime.getRuntime().availableProcessors();
        if (prop == null || prop.isBlank()) {
            return cores;
        }
        try {
            int n = Integer.parseInt(prop.trim());
            if (n < 1) {
                throw new IllegalArgumentException("-Djumbo.threads: got " + n + ", expected a positive thread count");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-Djumbo.threads: got '" + prop + "', expected a positive integer", e);
        }
    }

    /** Number of threads (caller included) that parallel work is spread over. */
    public static int threads() {
        return pool.size;
    }

    /**
     * Tells the workers that no parallel work follows soon, so they park now instead of spinning
     * for the next region. After each region a worker spins about 0.4 ms, which pays off between
     * the back-to-back regions of a training step; a model server that has just answered a batch
     * has HTTP work for that core instead (LeNet-5 behind the server: the spinning worker took 30%
     * of the Java CPU samples). The next region wakes them as usual. The pool is shared, so other
     * work in the same process (a training loop) pays at most one wake-up per call.
     *
     * <pre>{@code
     * float[] y = model.run(batch, rows);
     * if (queue.isEmpty()) Parallel.idle();
     * }</pre>
     */
    public static void idle() {
        pool.idleEpoch++;
    }

    /** Resizes the pool; used by benchmarks that compare 1 and 2 threads in one JVM. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Parallel.setThreads: got " + n + ", expected >= 1");
        }
        if (n == pool.size) {
            return;
        }
        Pool old = pool;
        pool = new Pool(n);
        old.shutdown();
    }

    /**
     * Runs {@code body} over {@code [from, to)}, split into at most {@link #threads()} contiguous
     * chunks of at least {@code grain} elements each. Runs inline when the range is small.
     */
    public static void forRange(int from, int to, int grain, RangeBody body) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        Pool p = pool;
        int chunks = Math.min(p.size, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || insideWorker()) {
            body.run(from, to);
            return;
        }
        p.run(chunks, c -> {
            long lo = from + (long) n * c / chunks;
            long hi = from + (long) n * (c + 1) / chunks;
            if (hi > lo) {
                body.run((int) lo, (int) hi);
            }
        });
    }

    /** Runs {@code body(c)} for every chunk {@code c} in {@code [0, chunks)}, spread over the pool. */
    public static void forChunks(int chunks, ChunkBody body) {
        if (chunks <= 0) {
            return;
        }
        if (chunks == 1 || pool.size == 1 || insideWorker()) {
            for (int c = 0; c < chunks; c++) {
                body.run(c);
            }
            return;
        }
        pool.run(chunks, body);
    }

    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /**
     * Runs {@code work} with every parallel region inside it on the calling thread alone (as nested
     * regions run), leaving the pool's workers parked. For work too small to gain from a second
     * thread, e.g. one example's forward pass in a model server, where waking the workers (and their
     * spin afterwards) costs a core that concurrent requests need.
     *
     * <pre>{@code
     * float[] y = Parallel.onCaller(() -> model.forward(x).toFloatArray());
     * }</pre>
     */
    public static <T> T onCaller(java.util.function.Supplier<T> work) {
        if (insideWorker()) {
            return work.get();
        }
        IN_WORKER.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            IN_WORKER.set(Boolean.FALSE);
        }
    }

    /** Nested parallel regions run inline, so a kernel can call another kernel safely. */
    private static boolean insideWorker() {
        return IN_WORKER.get();
    }

    /** One parallel region: immutable once published, so a late worker can never mix two jobs. */
    private static final class Job {
        final ChunkBody body;
        final int chunks;
        final Thread caller;
        final AtomicInteger nextChunk = new AtomicInteger();
        final AtomicInteger pending;
        volatile Throwable failure;

        Job(ChunkBody body, int chunks, Thread caller) {
            this.body = body;
            this.chunks = chunks;
            this.caller = caller;
            this.pending = new AtomicInteger(chunks);
        }

        /** Claims and runs chunks until none are left. */
        void drain() {
            while (true) {
                int c = nextChunk.getAndIncrement();
                if (c >= chunks) {
                    return;
                }
                try {
                    body.run(c);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    if (pending.decrementAndGet() == 0) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }
    }

    /** Persistent workers; the caller takes part as worker 0. */
    private static final class Pool {
        final int size;
        final Worker[] workers;
        final Object submitLock = new Object();
        volatile Job job;
        volatile boolean stopped;
        /** Bumped by {@link Parallel#idle()}: a spinning worker that sees it change parks at once. */
        volatile int idleEpoch;

        Pool(int size) {
            this.size = size;
            this.workers = new Worker[size - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(this, i + 1);
                workers[i].start();
            }
        }

        void run(int chunks, ChunkBody body) {
            synchronized (submitLock) {
                Job j = new Job(body, chunks, Thread.currentThread());
                job = j;
                for (Worker w : workers) {
                    LockSupport.unpark(w);
                }
                IN_WORKER.set(Boolean.TRUE);
                try {
                    j.drain();
                } finally {
                    IN_WORKER.set(Boolean.FALSE);
                }
                int spins = 0;
                while (j.pending.get() > 0) {
                    if (spins++ < SPIN_LIMIT) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.parkNanos(50_000);
                    }
                }
                job = null; // drop the finished body so its captured arrays can be collected
                Throwable t = j.failure;
                if (t != null) {
                    if (t instanceof RuntimeException re) {
                        throw re;
                    }
                    if (t instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(t);
                }
            }
        }

        void shutdown() {
            stopped = true;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
        }
    }

    private static final class Worker extends Thread {
        private final Pool pool;

        Worker(Pool pool, int index) {
            super("jumbo-compute-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            IN_WORKER.set(Boolean.TRUE);
            Job seen = null;
            int epoch = pool.idleEpoch;
            while (!pool.stopped) {
                int spins = 0;
                Job j;
                while ((j = pool.job) == seen && !pool.stopped) {
                    if (spins++ < SPIN_LIMIT && pool.idleEpoch == epoch) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                if (pool.stopped) {
                    return;
                }
                seen = j;
                epoch = pool.idleEpoch; // read before the work, so an idle() after it is never missed
                if (j != null) {
                    j.drain();
                }
            }
        }
    }
}
