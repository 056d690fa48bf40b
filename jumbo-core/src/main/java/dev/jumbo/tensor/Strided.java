package dev.jumbo.tensor;

/**
 * Strided element walks: copying a view into contiguous memory, writing into a view, and summing a
 * broadcast gradient back to an input's shape. The innermost dimension is a plain loop; the outer
 * dimensions advance an index counter, so no per-element division is done.
 */
final class Strided {
    private Strided() {}

    /** Copies the elements of a float view (any strides) into {@code dst[dstOff..]} in row-major order. */
    static void gather(float[] src, int srcOff, int[] shape, int[] strides, float[] dst, int dstOff) {
        int rank = shape.length;
        int n = Shapes.numel(shape);
        if (n == 0) {
            return;
        }
        if (rank == 0) {
            dst[dstOff] = src[srcOff];
            return;
        }
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        int[] idx = new int[rank];
        int base = srcOff;
        for (int o = 0; o < n; o += inner) {
            if (innerStride == 1) {
                System.arraycopy(src, base, dst, dstOff + o, inner);
            } else {
                for (int i = 0, s = base; i < inner; i++, s += innerStride) {
                    dst[dstOff + o + i] = src[s];
                }
            }
            base = advance(idx, shape, strides, base, rank - 2);
        }
    }

    /** Integer twin of {@link #gather(float[], int, int[], int[], float[], int)}. */
    static void gather(int[] src, int srcOff, int[] shape, int[] strides, int[] dst, int dstOff) {
        int rank = shape.length;
        int n = Shapes.numel(shape);
        if (n == 0) {
            return;
        }
        if (rank == 0) {
            dst[dstOff] = src[srcOff];
            return;
        }
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        int[] idx = new int[rank];
        int base = srcOff;
        for (int o = 0; o < n; o += inner) {
            for (int i = 0, s = base; i < inner; i++, s += innerStride) {
                dst[dstOff + o + i] = src[s];
            }
            base = advance(idx, shape, strides, base, rank - 2);
        }
    }

    /** Writes contiguous {@code src} into a float view {@code dst} with the given shape and strides. */
    static void scatter(float[] src, int srcOff, float[] dst, int dstOff, int[] shape, int[] strides) {
        int rank = shape.length;
        int n = Shapes.numel(shape);
        if (n == 0) {
            return;
        }
        if (rank == 0) {
            dst[dstOff] = src[srcOff];
            return;
        }
        int inner = shape[rank - 1];
        int innerStride = strides[rank - 1];
        int[] idx = new int[rank];
        int base = dstOff;
        for (int o = 0; o < n; o += inner) {
            for (int i = 0, d = base; i < inner; i++, d += innerStride) {
                dst[d] = src[srcOff + o + i];
            }
            base = advance(idx, shape, strides, base, rank - 2);
        }
    }

    /**
     * Sums a contiguous gradient of shape {@code gradShape} into {@code out} of shape
     * {@code target}, where {@code target} broadcasts to {@code gradShape} (the backward of every
     * broadcasting op).
     */
    static float[] sumTo(float[] grad, int[] gradShape, int[] target) {
        int rank = gradShape.length;
        int[] t = new int[rank];
        int lead = rank - target.length;
        for (int i = 0; i < rank; i++) {
            t[i] = i < lead ? 1 : target[i - lead];
        }
        int[] tStrides = Shapes.contiguousStrides(t);
        int[] bStrides = new int[rank]; // stride 0 where the target was broadcast
        for (int i = 0; i < rank; i++) {
            bStrides[i] = t[i] == 1 && gradShape[i] != 1 ? 0 : tStrides[i];
        }
        float[] out = new float[Shapes.numel(t)];
        int n = grad.length;
        if (n == 0) {
            return out;
        }
        if (rank == 0) {
            out[0] = grad[0];
            return out;
        }
        int inner = gradShape[rank - 1];
        int innerStride = bStrides[rank - 1];
        int[] idx = new int[rank];
        int base = 0;
        for (int o = 0; o < n; o += inner) {
            if (innerStride == 0) {
                float s = 0f;
                for (int i = 0; i < inner; i++) {
                    s += grad[o + i];
                }
                out[base] += s;
            } else {
                for (int i = 0; i < inner; i++) {
                    out[base + i] += grad[o + i];
                }
            }
            base = advance(idx, gradShape, bStrides, base, rank - 2);
        }
        return out;
    }

    /** Odometer step over dimensions {@code 0..last}; returns the new base offset. */
    private static int advance(int[] idx, int[] shape, int[] strides, int base, int last) {
        for (int d = last; d >= 0; d--) {
            idx[d]++;
            base += strides[d];
            if (idx[d] < shape[d]) {
                return base;
            }
            base -= strides[d] * shape[d];
            idx[d] = 0;
        }
        return base;
    }
}
