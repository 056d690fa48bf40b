package dev.jumbo.tensor;

/**
 * The memory behind a tensor, addressed by a flat element index.
 *
 * <p>Tensors hold a storage plus shape, strides and offset; many views may share one storage. Ops
 * read the heap arrays of {@link FloatStorage} and {@link IntStorage} directly. Any other storage
 * (int8/int4 blocks, sparse, memory-mapped weights) only has to say how to read one element and how
 * to {@link #toFloatStorage() materialize} itself; ops that have no special kernel for it call
 * {@link Tensor#contiguous()}, which materializes, so new formats work with every op on day one and
 * get fast paths (e.g. a quantized matmul) where they matter.
 */
public interface Storage {

    DType dtype();

    /** Number of addressable elements. */
    int length();

    /** Bytes this storage occupies in memory (what the profiler counts). */
    long bytes();

    /** Reads one element as a float. */
    float getFloat(int index);

    /** Reads one element as an int. */
    default int getInt(int index) {
        return (int) getFloat(index);
    }

    /** A heap float copy of all elements (or {@code this} when already one). */
    default FloatStorage toFloatStorage() {
        int n = length();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = getFloat(i);
        }
        return new FloatStorage(out);
    }
}
