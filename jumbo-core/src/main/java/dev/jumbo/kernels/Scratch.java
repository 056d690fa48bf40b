package dev.jumbo.kernels;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Scratch memory a kernel reuses across calls instead of allocating per call: packing panels,
 * unfolded images, accumulator rows. Each kernel keeps its own {@code Scratch} (a kernel holding
 * its buffer while it calls another kernel must not get the same array back).
 *
 * <p>Platform threads (the compute pool's workers, a training loop) keep one buffer each, in a
 * thread-local. Virtual threads borrow from a few shared slots and give the buffer back: a server
 * runs each connection on its own virtual thread, and a thread-local per virtual thread made every
 * new connection allocate its own megabytes of SGEMM panels (LeNet-5 behind the model server with
 * 32 connections: 110 MB of float arrays live, young collections of 30-160 ms copying them).
 *
 * <pre>{@code
 * static final Scratch<float[]> SCRATCH = Scratch.floats();
 * float[] col = SCRATCH.borrow(rows * cols);   // at least that long; contents undefined
 * try {
 *     ... use col ...
 * } finally {
 *     SCRATCH.release(col);
 * }
 * }</pre>
 */
final class Scratch<T> {
    /** Shared buffers kept for virtual threads; more borrowed at once are allocated and dropped. */
    private static final int SLOTS = 8;

    private final IntFunction<T> make;
    private final ToIntFunction<T> capacity;
    private final ThreadLocal<Object[]> own = ThreadLocal.withInitial(() -> new Object[1]);
    private final AtomicReferenceArray<T> shared = new AtomicReferenceArray<>(SLOTS);

    /** {@code make.apply(n)} builds a buffer of capacity at least n; {@code capacity} reads it back. */
    Scratch(IntFunction<T> make, ToIntFunction<T> capacity) {
        this.make = make;
        this.capacity = capacity;
    }

    /** Float arrays, grown to the largest size asked for. */
    static Scratch<float[]> floats() {
        return new Scratch<>(float[]::new, a -> a.length);
    }

    /** A buffer of capacity at least {@code size}; hand it back with {@link #release}. */
    @SuppressWarnings("unchecked")
    T borrow(int size) {
        if (!Thread.currentThread().isVirtual()) {
            Object[] holder = own.get();
            T t = (T) holder[0];
            if (t == null || capacity.applyAsInt(t) < size) {
                t = make.apply(size);
                holder[0] = t;
            }
            return t;
        }
        for (int i = 0; i < SLOTS; i++) {
            if (shared.get(i) != null) {
                T t = shared.getAndSet(i, null);
                if (t != null && capacity.applyAsInt(t) >= size) {
                    return t;
                }
            }
        }
        return make.apply(size);
    }

    /** Gives back what {@link #borrow} lent this thread; null is ignored. */
    void release(T t) {
        if (t == null || !Thread.currentThread().isVirtual()) {
            return;
        }
        for (int i = 0; i < SLOTS; i++) {
            if (shared.get(i) == null && shared.compareAndSet(i, null, t)) {
                return;
            }
        }
    }
}
