package dev.jumbo.tensor;

import dev.jumbo.kernels.Parallel;
import dev.jumbo.kernels.Sgemm;

/**
 * Batched matrix products over tensor views, without copying transposes or broadcast batches.
 *
 * <p>Each operand is read through its own strides: a matrix whose columns are contiguous is passed
 * to {@link Sgemm} as is, one whose rows are contiguous (a transposed view) with the transpose
 * flag, and a broadcast batch dimension (size 1 or stride 0) simply repeats the same matrix. Only
 * views that are neither (e.g. every other column) are copied. No autograd here: the ops in
 * {@link MatmulOps} record the tape.
 *
 * <pre>{@code
 * // a: [2,1,m,k], b: [3,k,n] -> out: [2,3,m,n]
 * float[] out = BatchedGemm.multiply(a, b, new int[] {2, 3}, null);
 * }</pre>
 */
final class BatchedGemm {
    /** Batches of products smaller than this run one matrix per task rather than one split GEMM. */
    private static final long PER_MATRIX_PARALLEL_MACS = 1L << 17;

    private BatchedGemm() {}

    /** A tensor seen as a batch of row-major matrices for SGEMM. */
    private record Operand(float[] data, int offset, int[] shape, int[] strides, boolean trans, int ld) {

        static Operand of(Tensor t) {
            Operand o = tryView(t);
            if (o != null) {
                return o;
            }
            Tensor c;
            try (var ignored = Autograd.noGrad()) {
                c = t.copy();
            }
            return tryView(c);
        }

        private static Operand tryView(Tensor t) {
            if (!(t.storage instanceof FloatStorage fs)) {
                return null;
            }
            int r = t.dim();
            int rows = t.shape[r - 2];
            int cols = t.shape[r - 1];
            int sr = t.strides[r - 2];
            int sc = t.strides[r - 1];
            if ((cols == 1 || sc == 1) && (rows == 1 || sr >= Math.max(1, cols))) {
                return new Operand(fs.data, t.offset, t.shape, t.strides, false, rows == 1 ? Math.max(1, cols) : sr);
            }
            if ((rows == 1 || sr == 1) && (cols == 1 || sc >= Math.max(1, rows))) {
                return new Operand(fs.data, t.offset, t.shape, t.strides, true, cols == 1 ? Math.max(1, rows) : sc);
            }
            return null;
        }

        /** Offset of the matrix at output batch index {@code idx} (batch dims right-aligned). */
        int offsetAt(int[] idx) {
            int nb = shape.length - 2;
            int off = offset;
            for (int d = 0; d < nb; d++) {
                if (shape[d] != 1) {
                    off += idx[idx.length - nb + d] * strides[d];
                }
            }
            return off;
        }
    }

    /**
     * {@code out[batch..., m, n] = beta * out + a[..., m, k] · b[..., k, n]} for every index of
     * {@code batch} (which both batch shapes broadcast to). Allocates {@code out} when null.
     */
    static float[] multiply(Tensor a, Tensor b, int[] batch, float[] out, float beta) {
        int m = a.shape[a.dim() - 2];
        int k = a.shape[a.dim() - 1];
        int n = b.shape[b.dim() - 1];
        int count = Shapes.numel(batch);
        int mn = m * n;
        float[] c = out != null ? out : new float[count * mn];
        if (count == 0 || mn == 0) {
            return c;
        }
        if (k == 0) {
            if (beta == 0f) {
                java.util.Arrays.fill(c, 0, count * mn, 0f);
            }
            return c;
        }
        Operand oa = Operand.of(a);
        Operand ob = Operand.of(b);
        Parallel.RangeBody body = (lo, hi) -> {
            int[] idx = unravel(lo, batch);
            for (int i = lo; i < hi; i++) {
                Sgemm.sgemm(oa.trans, ob.trans, m, n, k, 1f, oa.data, oa.offsetAt(idx), oa.ld,
                        ob.data, ob.offsetAt(idx), ob.ld, beta, c, i * mn, n);
                increment(idx, batch);
            }
        };
        if (count > 1 && (long) m * n * k < PER_MATRIX_PARALLEL_MACS) {
            Parallel.forRange(0, count, 1, body);
        } else {
            body.run(0, count);
        }
        return c;
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    private static void increment(int[] idx, int[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) {
                return;
            }
            idx[d] = 0;
        }
    }
}
