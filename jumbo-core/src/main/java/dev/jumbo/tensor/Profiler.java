package dev.jumbo.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the work the engine actually does, per op kind: calls, multiply-accumulates (MACs),
 * floating-point operations (FLOPs; 1 MAC = 2 FLOPs, plus each op's own elementwise work), and the
 * peak bytes of live tensor storage. The resource estimator is validated against these counts, so
 * every op reports exactly what its kernels execute, computed from shapes at the call site.
 *
 * <pre>{@code
 * try (Profiler prof = Profiler.start()) {
 *     Tensor loss = model.forward(x).crossEntropy(y);
 *     loss.backward();
 *     System.out.println(prof.report().table());
 * }
 * }</pre>
 *
 * <p>One session is open at a time (the engine is driven from one thread per model); counts from
 * kernels running on the compute pool are recorded by the op that launched them.
 */
public final class Profiler implements AutoCloseable {

    private static volatile Profiler active;

    private final Map<String, long[]> counts = new LinkedHashMap<>(); // op -> {calls, macs, flops}
    private final MemoryTracker.Session memory;
    private final long startNanos = System.nanoTime();
    private long endNanos;

    private Profiler(boolean exactMemory) {
        this.memory = MemoryTracker.open(exactMemory);
    }

    /** Opens a session with exact peak-memory accounting (forces a GC at each new peak). */
    public static Profiler start() {
        return start(true);
    }

    /**
     * Opens a session. With {@code exactMemory = false} the peak is an upper bound that counts a
     * storage as live until the collector has noticed it is gone, and no GC is forced.
     */
    public static synchronized Profiler start(boolean exactMemory) {
        if (active != null) {
            throw new IllegalStateException("Profiler.start: a session is already open; close it first");
        }
        Profiler p = new Profiler(exactMemory);
        active = p;
        return p;
    }

    /** True when a session is open; ops may skip computing counts otherwise. */
    public static boolean enabled() {
        return active != null;
    }

    /** Records one execution of {@code op}. Called by ops; a no-op when no session is open. */
    public static void record(String op, long macs, long flops) {
        Profiler p = active;
        if (p != null) {
            p.add(op, macs, flops);
        }
    }

    private synchronized void add(String op, long macs, long flops) {
        long[] c = counts.computeIfAbsent(op, k -> new long[3]);
        c[0]++;
        c[1] += macs;
        c[2] += flops;
    }

    /** Counts tensors that existed before the session (weights, optimizer state) as live memory. */
    public void track(Tensor... tensors) {
        for (Tensor t : tensors) {
            memory.track(t.storage());
        }
    }

    @Override
    public void close() {
        synchronized (Profiler.class) {
            if (active == this) {
                active = null;
            }
        }
        MemoryTracker.close(memory);
        endNanos = System.nanoTime();
    }

    /** A snapshot of the counts so far. */
    public synchronized Report report() {
        List<OpCount> ops = new ArrayList<>();
        for (var e : counts.entrySet()) {
            long[] c = e.getValue();
            ops.add(new OpCount(e.getKey(), c[0], c[1], c[2]));
        }
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        return new Report(Collections.unmodifiableList(ops), memory.peakBytes(), memory.liveBytes(),
                memory.allocatedBytes(), memory.allocationCount(), end - startNanos);
    }

    /** Counts for one op kind. */
    public record OpCount(String op, long calls, long macs, long flops) {}

    /** Everything a session counted. */
    public record Report(List<OpCount> ops, long peakLiveBytes, long liveBytes, long allocatedBytes,
                         long allocations, long nanos) {

        public long totalMacs() {
            return ops.stream().mapToLong(OpCount::macs).sum();
        }

        public long totalFlops() {
            return ops.stream().mapToLong(OpCount::flops).sum();
        }

        /** Counts for one op kind (zeros when it never ran). */
        public OpCount op(String name) {
            return ops.stream().filter(o -> o.op().equals(name)).findFirst()
                    .orElse(new OpCount(name, 0, 0, 0));
        }

        /** A terminal table: one row per op kind, then the totals and memory. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("%-24s %8s %18s %18s%n", "op", "calls", "MACs", "FLOPs"));
            for (OpCount o : ops) {
                sb.append(String.format("%-24s %8d %,18d %,18d%n", o.op(), o.calls(), o.macs(), o.flops()));
            }
            sb.append(String.format("%-24s %8s %,18d %,18d%n", "total", "", totalMacs(), totalFlops()));
            sb.append(String.format("peak live tensor memory: %,d bytes; allocated: %,d bytes in %,d tensors%n",
                    peakLiveBytes, allocatedBytes, allocations));
            return sb.toString();
        }
    }
}
