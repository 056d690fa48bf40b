package dev.jumbo.data.augment;

/**
 * One reusable float buffer per thread (the loader's workers), so augmentations that need a copy
 * of the example allocate nothing per image once the buffer has grown to the example size.
 */
final class Scratch {
    private static final ThreadLocal<float[]> BUF = ThreadLocal.withInitial(() -> new float[0]);

    private Scratch() {}

    /** A buffer of at least {@code n} floats, owned by the calling thread until its next call. */
    static float[] get(int n) {
        float[] b = BUF.get();
        if (b.length < n) {
            b = new float[n];
            BUF.set(b);
        }
        return b;
    }

    /** A copy of {@code x[off, off+n)} in the thread's buffer. */
    static float[] copy(float[] x, int off, int n) {
        float[] b = get(n);
        System.arraycopy(x, off, b, 0, n);
        return b;
    }
}
