package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two matrix products of a convolution with few output channels (LeNet-sized layers), where a
 * general packed GEMM spends more time packing than multiplying: a small matrix times a long
 * pixel panel ({@link #smallTimesPanel}, register tiles in {@link ConvGemmRows}), and panel-by-panel
 * dot products ({@link #panelDots}). Both vectorize along the pixels and keep 8-16 accumulators in
 * registers.
 *
 * <pre>{@code
 * // y[cout, P] += W[cout, K] x col[K, P]
 * ConvGemm.smallTimesPanel(cout, P, K, w, 0, K, 1, col, 0, y, 0);
 * }</pre>
 */
final class ConvGemm {
    private ConvGemm() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /**
     * C[i, p] += sum_k A(i, k) * B[k, p] for i < m, p < P, k < K, with A(i, k) =
     * a[aOff + i*ars + k*acs] (so a transposed A is just other strides), B and C row-major with
     * leading dimension P. With {@code accumulate} false, C is overwritten instead (C = A B).
     */
    static void smallTimesPanel(int m, int pixels, int kk, float[] a, int aOff, int ars, int acs,
                                float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        int i = 0;
        if (ConvGemmRows.EIGHT_ROWS) {
            for (; i + 8 <= m; i += 8) {
                ConvGemmRows.rows8(pixels, kk, a, aOff + i * ars, ars, acs, b, bOff, c, cOff + i * pixels, accumulate);
            }
        }
        for (; i + 4 <= m; i += 4) {
            ConvGemmRows.rows4(pixels, kk, a, aOff + i * ars, ars, acs, b, bOff, c, cOff + i * pixels, accumulate);
        }
        for (; i < m; i++) {
            ConvGemmRows.rows1(pixels, kk, a, aOff + i * ars, ars, acs, b, bOff, c, cOff + i * pixels, accumulate);
        }
    }

    /**
     * C[i, j] += sum_p A[i, p] * B[j, p] for i < m, j < n, p < P: A and B row-major with leading
     * dimensions {@code lda} and {@code ldb}, C with leading dimension n. (Grad weight: dY x col^T,
     * possibly over one chunk of the pixels.)
     */
    static void panelDots(int m, int n, int pixels, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff) {
        int m2 = m / 2 * 2;
        int n4 = n / 4 * 4;
        // B blocks outer: each 4-row block of B (the long im2col matrix) is read from memory once
        // while A (dY, few rows) stays in cache.
        for (int j = 0; j < n4; j += 4) {
            for (int i = 0; i < m2; i += 2) {
                dots2x4(pixels, a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, c, cOff + i * n + j, n);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = i < m2 ? n4 : 0; j < n; j++) {
                c[cOff + i * n + j] += dot(pixels, a, aOff + i * lda, b, bOff + j * ldb);
            }
        }
    }

    /**
     * 2 x 4 dot products of rows of A and rows of B: full vectors, then the tail in scalar. Eight
     * accumulators plus the four B vectors and one A vector fit AVX2's 16 registers; a 4 x 4 block
     * (16 accumulators) spilled there and ran at 36 GFLOP/s against 52 for this one on L2-resident
     * rows (Zen 3, one thread), 33 against 44 on ResNet's 64 x 576 x 3136 grad weight.
     */
    private static void dots2x4(int pixels, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        int full = S.loopBound(pixels);
        for (int p = 0; p < full; p += L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bOff + p);
            FloatVector b1 = FloatVector.fromArray(S, b, bOff + ldb + p);
            FloatVector b2 = FloatVector.fromArray(S, b, bOff + 2 * ldb + p);
            FloatVector b3 = FloatVector.fromArray(S, b, bOff + 3 * ldb + p);
            FloatVector a0 = FloatVector.fromArray(S, a, aOff + p);
            s00 = a0.fma(b0, s00);
            s01 = a0.fma(b1, s01);
            s02 = a0.fma(b2, s02);
            s03 = a0.fma(b3, s03);
            FloatVector a1 = FloatVector.fromArray(S, a, aOff + lda + p);
            s10 = a1.fma(b0, s10);
            s11 = a1.fma(b1, s11);
            s12 = a1.fma(b2, s12);
            s13 = a1.fma(b3, s13);
        }
        c[cOff] += Lanes.sum(s00);
        c[cOff + 1] += Lanes.sum(s01);
        c[cOff + 2] += Lanes.sum(s02);
        c[cOff + 3] += Lanes.sum(s03);
        c[cOff + ldc] += Lanes.sum(s10);
        c[cOff + ldc + 1] += Lanes.sum(s11);
        c[cOff + ldc + 2] += Lanes.sum(s12);
        c[cOff + ldc + 3] += Lanes.sum(s13);
        for (int r = 0; r < 2 && full < pixels; r++) {
            for (int q = 0; q < 4; q++) {
                float t = 0f;
                for (int p = full; p < pixels; p++) {
                    t = Math.fma(a[aOff + r * lda + p], b[bOff + q * ldb + p], t);
                }
                c[cOff + r * ldc + q] += t;
            }
        }
    }

    private static float dot(int pixels, float[] a, int aOff, float[] b, int bOff) {
        FloatVector s = FloatVector.zero(S);
        for (int p = 0; p < pixels; p += L) {
            VectorMask<Float> mask = S.indexInRange(p, pixels);
            s = FloatVector.fromArray(S, a, aOff + p, mask).fma(FloatVector.fromArray(S, b, bOff + p, mask), s);
        }
        return Lanes.sum(s);
    }

    /** Sum of x[off .. off+len), vectorized (lane partial sums, then reduced). */
    static float sum(float[] x, int off, int len) {
        FloatVector s = FloatVector.zero(S);
        int p = 0;
        for (; p + L <= len; p += L) {
            s = s.add(FloatVector.fromArray(S, x, off + p));
        }
        float t = Lanes.sum(s);
        for (; p < len; p++) {
            t += x[off + p];
        }
        return t;
    }
}
