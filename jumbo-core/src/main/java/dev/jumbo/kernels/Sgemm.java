package dev.jumbo.kernels;

/**
 * Single-precision general matrix multiply, row-major:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where op(X) is X or its transpose.
 *
 * <p>A is m×k after op (stored k×m when {@code transA}), B is k×n after op, C is m×n. Leading
 * dimensions are the row strides of the stored matrices.
 *
 * <p>Large products run {@link SgemmBlocked} (packed panels, cache blocking, a register-tiled
 * Vector-API micro-kernel); small or one-row products run {@link SgemmSmall}. The choice depends on
 * the shape only. C is split over the {@link Parallel} pool by rows (or columns when C is wide);
 * every element's sum runs in the same order whatever the split, so results are bit-identical for
 * any thread count.
 *
 * <pre>{@code
 * float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
 * Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n); // C = A B
 * Sgemm.sgemm(false, true, m, n, k, 1f, x, 0, k, w, 0, k, 0f, y, 0, n);  // Y = X W^T (linear)
 * }</pre>
 */
public final class Sgemm {
    /** Products with fewer multiply-adds than this skip packing. */
    static final long SMALL_MACS = Long.getLong("jumbo.sgemm.smallMacs", 48L * 48 * 48);
    /** Products with fewer multiply-adds than this run on the calling thread. */
    static final long PARALLEL_MACS = Long.getLong("jumbo.sgemm.parallelMacs", 1L << 17);

    private Sgemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        check("A", transA, m, k, a, aOff, lda);
        check("B", transB, k, n, b, bOff, ldb);
        check("C", false, m, n, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        long macs = (long) m * n * k;
        boolean product = k > 0 && alpha != 0f;
        boolean small = macs < SMALL_MACS || m <= 2;
        // Split C along its longer side, in whole tiles for the packed path.
        boolean byRows = m >= n;
        int unit = small ? (byRows ? 1 : S_LANES) : (byRows ? SgemmKernel.MR : SgemmKernel.NR);
        int extent = byRows ? m : n;
        int units = (extent + unit - 1) / unit;
        int grain = macs < PARALLEL_MACS ? units : 1;
        Parallel.forRange(0, units, grain, (lo, hi) -> {
            int from = lo * unit;
            int to = Math.min(extent, hi * unit);
            int i0 = byRows ? from : 0;
            int i1 = byRows ? to : m;
            int j0 = byRows ? 0 : from;
            int j1 = byRows ? n : to;
            scale(beta, c, cOff, ldc, i0, i1, j0, j1);
            if (!product) {
                return;
            }
            if (small) {
                SgemmSmall.multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                        c, cOff, ldc, i0, i1, j0, j1);
            } else {
                SgemmBlocked.multiply(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb,
                        c, cOff, ldc, i0, i1, j0, j1);
            }
        });
    }

    private static final int S_LANES = SgemmKernel.S.length();

    /** C = beta * C on a block; beta 0 clears (so NaN or garbage in C never leaks through). */
    private static void scale(float beta, float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1) {
        if (beta == 1f) {
            return;
        }
        for (int i = i0; i < i1; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row + j0, row + j1, 0f);
            } else {
                for (int j = j0; j < j1; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    /** Validates one operand: stored rows×cols = (trans ? cols×rows : rows×cols) inside the array. */
    private static void check(String name, boolean trans, int rows, int cols, float[] x, int off, int ld) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("sgemm: " + name + " is " + rows + "x" + cols
                    + ", expected non-negative dimensions");
        }
        int storedRows = trans ? cols : rows;
        int storedCols = trans ? rows : cols;
        if (ld < Math.max(1, storedCols)) {
            throw new IllegalArgumentException("sgemm: leading dimension of " + name + " is " + ld
                    + ", expected >= " + Math.max(1, storedCols));
        }
        if (storedRows == 0 || storedCols == 0) {
            return;
        }
        long last = off + (long) (storedRows - 1) * ld + storedCols - 1;
        if (off < 0 || last >= x.length) {
            throw new IllegalArgumentException("sgemm: " + name + " (" + storedRows + "x" + storedCols
                    + ", offset " + off + ", ld " + ld + ") needs " + (last + 1) + " elements, array has "
                    + x.length);
        }
    }
}
