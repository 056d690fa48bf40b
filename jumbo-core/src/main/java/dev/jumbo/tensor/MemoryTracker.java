package dev.jumbo.tensor;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Counts the bytes of live tensor storage while a {@link Profiler} session is open, and its peak.
 *
 * <p>Java frees memory when the collector decides, so "live" means reachable. The count is exact:
 * every storage made during the session is tracked by a weak reference; when the running total
 * would set a new peak, the tracker first forces a full collection and drops storages that died,
 * so the peak is only raised by memory that really is reachable at that moment. That costs a GC
 * per new peak, which is fine for the profiling runs it exists for and zero when no session is open.
 */
final class MemoryTracker {

    private static volatile Session active;

    private MemoryTracker() {}

    static void allocated(Storage storage, long bytes) {
        Session s = active;
        if (s != null) {
            s.onAllocate(storage, bytes);
        }
    }

    static Session open(boolean exact) {
        Session s = new Session(exact);
        active = s;
        return s;
    }

    static void close(Session s) {
        if (active == s) {
            active = null;
        }
    }

    static final class Session {
        private final boolean exact;
        private final ReferenceQueue<Storage> queue = new ReferenceQueue<>();
        private final Set<Entry> entries = Collections.newSetFromMap(new IdentityHashMap<>());
        private long live;
        private long peak;
        private long allocatedTotal;
        private long allocations;

        Session(boolean exact) {
            this.exact = exact;
        }

        synchronized void onAllocate(Storage storage, long bytes) {
            entries.add(new Entry(storage, bytes, queue));
            live += bytes;
            allocatedTotal += bytes;
            allocations++;
            if (live > peak) {
                sweep();
                if (exact && live > peak) {
                    System.gc();
                    sweepAfterGc();
                }
                peak = Math.max(peak, live);
            }
        }

        /** Marks an existing storage (e.g. weights made before the session) as live. */
        synchronized void track(Storage storage) {
            for (Entry e : entries) {
                if (e.get() == storage) {
                    return;
                }
            }
            entries.add(new Entry(storage, storage.bytes(), queue));
            live += storage.bytes();
            peak = Math.max(peak, live);
        }

        private void sweep() {
            for (Object ref; (ref = queue.poll()) != null; ) {
                Entry e = (Entry) ref;
                if (entries.remove(e)) {
                    live -= e.bytes;
                }
            }
        }

        /** Weak references are cleared atomically by a collection; enqueueing lags behind, so scan. */
        private void sweepAfterGc() {
            var it = entries.iterator();
            while (it.hasNext()) {
                Entry e = it.next();
                if (e.get() == null) {
                    it.remove();
                    live -= e.bytes;
                }
            }
        }

        /** Exact after a collection: scans for cleared references instead of waiting for the queue. */
        synchronized long liveBytes() {
            sweepAfterGc();
            return live;
        }

        synchronized long peakBytes() {
            return peak;
        }

        synchronized long allocatedBytes() {
            return allocatedTotal;
        }

        synchronized long allocationCount() {
            return allocations;
        }
    }

    private static final class Entry extends WeakReference<Storage> {
        final long bytes;

        Entry(Storage referent, long bytes, ReferenceQueue<Storage> q) {
            super(referent, q);
            this.bytes = bytes;
        }
    }
}
