package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM without packing, for products too small (or too thin, like one-row GEMV) to repay the
 * packing of {@link SgemmBlocked}. Without transB it streams rows of B (C row += a(i,p) * B row p);
 * with transB each element is a vectorized dot product of two contiguous rows.
 *
 * <pre>{@code
 * // C[i0..i1, j0..j1] += alpha * op(A) * op(B); beta already applied by the caller
 * SgemmSmall.multiply(false, true, 1, 300, 784, 1f, x, 0, 784, w, 0, 784, y, 0, 300, 0, 1, 0, 300);
 * }</pre>
 */
final class SgemmSmall {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Scratch rows, reused across calls. */
    private static final Scratch<float[]> SCRATCH = Scratch.floats();

    private SgemmSmall() {}

    /** Adds {@code alpha * op(A) * op(B)} into rows {@code [i0, i1)}, columns {@code [j0, j1)} of C. */
    static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1) {
        // axpys accumulate a row of C; dots over A^T read a column of A as a row
        float[] scratch = transB && !transA ? null : SCRATCH.borrow(transB ? k : j1 - j0);
        try {
            if (transB) {
                dots(transA, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, i0, i1, j0, j1, scratch);
            } else {
                axpys(transA, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, i0, i1, j0, j1, scratch);
            }
        } finally {
            SCRATCH.release(scratch);
        }
    }

    private static void axpys(boolean transA, int k, float alpha, float[] a, int aOff, int lda,
                              float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                              int i0, int i1, int j0, int j1, float[] acc) {
        int w = j1 - j0;
        int vecEnd = S.loopBound(w);
        int l = S.length();
        for (int i = i0; i < i1; i++) {
            java.util.Arrays.fill(acc, 0, w, 0f);
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                FloatVector va = FloatVector.broadcast(S, av);
                int row = bOff + p * ldb + j0;
                int j = 0;
                for (; j < vecEnd; j += l) {
                    va.fma(FloatVector.fromArray(S, b, row + j), FloatVector.fromArray(S, acc, j)).intoArray(acc, j);
                }
                for (; j < w; j++) {
                    acc[j] = Math.fma(av, b[row + j], acc[j]);
                }
            }
            int crow = cOff + i * ldc + j0;
            for (int j = 0; j < w; j++) {
                c[crow + j] += alpha * acc[j];
            }
        }
    }

    private static void dots(boolean transA, int k, float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                             int i0, int i1, int j0, int j1, float[] rowBuf) {
        int vecEnd = S.loopBound(k);
        int l = S.length();
        for (int i = i0; i < i1; i++) {
            float[] ar;
            int ao;
            if (transA) {
                for (int p = 0; p < k; p++) {
                    rowBuf[p] = a[aOff + p * lda + i];
                }
                ar = rowBuf;
                ao = 0;
            } else {
                ar = a;
                ao = aOff + i * lda;
            }
            int crow = cOff + i * ldc;
            for (int j = j0; j < j1; j++) {
                int bo = bOff + j * ldb;
                FloatVector acc = FloatVector.zero(S);
                int p = 0;
                for (; p < vecEnd; p += l) {
                    acc = FloatVector.fromArray(S, ar, ao + p).fma(FloatVector.fromArray(S, b, bo + p), acc);
                }
                float s = Lanes.sum(acc);
                for (; p < k; p++) {
                    s = Math.fma(ar[ao + p], b[bo + p], s);
                }
                c[crow + j] += alpha * s;
            }
        }
    }
}
