package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two matrix products of a convolution with few output channels (LeNet-sized layers), where a
 * general packed GEMM spends more time packing than multiplying: a small matrix times a long
 * pixel panel ({@link #smallTimesPanel}), and panel-by-panel dot products ({@link #panelDotLanes}).
 * Both vectorize along the pixels, keep 8 accumulators in registers and read every operand once.
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
        for (; i + 4 <= m; i += 4) {
            rows4(pixels, kk, a, aOff + i * ars, ars, acs, b, bOff, c, cOff + i * pixels, accumulate);
        }
        for (; i < m; i++) {
            rows1(pixels, kk, a, aOff + i * ars, acs, b, bOff, c, cOff + i * pixels, accumulate);
        }
    }

    private static void rows4(int pixels, int kk, float[] a, int aOff, int ars, int acs,
                              float[] b, int bOff, float[] c, int cOff, boolean acc) {
        int p = 0;
        for (; p + 2 * L <= pixels; p += 2 * L) {
            FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
            FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
            FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
            FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
            for (int k = 0; k < kk; k++) {
                int bi = bOff + k * pixels + p;
                FloatVector b0 = FloatVector.fromArray(S, b, bi);
                FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
                int ai = aOff + k * acs;
                FloatVector a0 = FloatVector.broadcast(S, a[ai]);
                FloatVector a1 = FloatVector.broadcast(S, a[ai + ars]);
                FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * ars]);
                FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * ars]);
                c00 = a0.fma(b0, c00);
                c01 = a0.fma(b1, c01);
                c10 = a1.fma(b0, c10);
                c11 = a1.fma(b1, c11);
                c20 = a2.fma(b0, c20);
                c21 = a2.fma(b1, c21);
                c30 = a3.fma(b0, c30);
                c31 = a3.fma(b1, c31);
            }
            store(c00, c, cOff + p, acc);
            store(c01, c, cOff + p + L, acc);
            store(c10, c, cOff + pixels + p, acc);
            store(c11, c, cOff + pixels + p + L, acc);
            store(c20, c, cOff + 2 * pixels + p, acc);
            store(c21, c, cOff + 2 * pixels + p + L, acc);
            store(c30, c, cOff + 3 * pixels + p, acc);
            store(c31, c, cOff + 3 * pixels + p + L, acc);
        }
        for (; p < pixels; p += L) {
            VectorMask<Float> mask = S.indexInRange(p, pixels);
            FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
            FloatVector c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
            for (int k = 0; k < kk; k++) {
                FloatVector bv = FloatVector.fromArray(S, b, bOff + k * pixels + p, mask);
                int ai = aOff + k * acs;
                c0 = FloatVector.broadcast(S, a[ai]).fma(bv, c0);
                c1 = FloatVector.broadcast(S, a[ai + ars]).fma(bv, c1);
                c2 = FloatVector.broadcast(S, a[ai + 2 * ars]).fma(bv, c2);
                c3 = FloatVector.broadcast(S, a[ai + 3 * ars]).fma(bv, c3);
            }
            store(c0, c, cOff + p, mask, acc);
            store(c1, c, cOff + pixels + p, mask, acc);
            store(c2, c, cOff + 2 * pixels + p, mask, acc);
            store(c3, c, cOff + 3 * pixels + p, mask, acc);
        }
    }

    /** One row: four pixel vectors at a time, so four independent FMA chains hide the FMA latency. */
    private static void rows1(int pixels, int kk, float[] a, int aOff, int acs, float[] b, int bOff,
                              float[] c, int cOff, boolean accumulate) {
        int p = 0;
        for (; p + 4 * L <= pixels; p += 4 * L) {
            FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
            FloatVector c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
            for (int k = 0; k < kk; k++) {
                int bi = bOff + k * pixels + p;
                FloatVector av = FloatVector.broadcast(S, a[aOff + k * acs]);
                c0 = av.fma(FloatVector.fromArray(S, b, bi), c0);
                c1 = av.fma(FloatVector.fromArray(S, b, bi + L), c1);
                c2 = av.fma(FloatVector.fromArray(S, b, bi + 2 * L), c2);
                c3 = av.fma(FloatVector.fromArray(S, b, bi + 3 * L), c3);
            }
            store(c0, c, cOff + p, accumulate);
            store(c1, c, cOff + p + L, accumulate);
            store(c2, c, cOff + p + 2 * L, accumulate);
            store(c3, c, cOff + p + 3 * L, accumulate);
        }
        for (; p < pixels; p += L) {
            VectorMask<Float> mask = S.indexInRange(p, pixels);
            FloatVector acc = FloatVector.zero(S);
            for (int k = 0; k < kk; k++) {
                FloatVector bv = FloatVector.fromArray(S, b, bOff + k * pixels + p, mask);
                acc = FloatVector.broadcast(S, a[aOff + k * acs]).fma(bv, acc);
            }
            store(acc, c, cOff + p, mask, accumulate);
        }
    }

    /**
     * Lane partial sums of C[i, j] = sum_p A[i, p] * B[j, p] for i < m, j < n, p < P: A and B
     * row-major with leading dimension P; V holds one vector of partial sums per (i, j) at
     * {@code vOff + (i*n + j)*L} and is added to, so many images accumulate without a horizontal
     * sum each (with P = 100, LeNet conv2's grad weight, those sums cost as much as the products).
     * {@link #reduceLanes} turns V into C once at the end. (Grad weight: dY x col^T.)
     */
    static void panelDotLanes(int m, int n, int pixels, float[] a, int aOff, float[] b, int bOff, float[] v, int vOff) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 2 <= n; j += 2) {
                dots4x2(pixels, a, aOff + i * pixels, b, bOff + j * pixels, v, vOff + (i * n + j) * L, n * L);
            }
            for (; j < n; j++) {
                for (int r = 0; r < 4; r++) {
                    dot(pixels, a, aOff + (i + r) * pixels, b, bOff + j * pixels, v, vOff + ((i + r) * n + j) * L);
                }
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                dot(pixels, a, aOff + i * pixels, b, bOff + j * pixels, v, vOff + (i * n + j) * L);
            }
        }
    }

    /** The number of floats {@link #panelDotLanes} needs per (i, j) entry. */
    static int lanes() {
        return L;
    }

    /** c[cOff + q] += sum of the lanes of V's vector q, for q < count, in {@link Lanes}' fixed order. */
    static void reduceLanes(int count, float[] v, int vOff, float[] c, int cOff) {
        for (int q = 0; q < count; q++) {
            c[cOff + q] += Lanes.sum(FloatVector.fromArray(S, v, vOff + q * L));
        }
    }

    /** Lane sums of a 4x2 block of dot products; row r, column c at {@code vOff + r*ldv + c*L}. */
    private static void dots4x2(int pixels, float[] a, int aOff, float[] b, int bOff, float[] v, int vOff, int ldv) {
        FloatVector s00 = FloatVector.fromArray(S, v, vOff), s01 = FloatVector.fromArray(S, v, vOff + L);
        FloatVector s10 = FloatVector.fromArray(S, v, vOff + ldv), s11 = FloatVector.fromArray(S, v, vOff + ldv + L);
        FloatVector s20 = FloatVector.fromArray(S, v, vOff + 2 * ldv);
        FloatVector s21 = FloatVector.fromArray(S, v, vOff + 2 * ldv + L);
        FloatVector s30 = FloatVector.fromArray(S, v, vOff + 3 * ldv);
        FloatVector s31 = FloatVector.fromArray(S, v, vOff + 3 * ldv + L);
        for (int p = 0; p < pixels; p += L) {
            VectorMask<Float> mask = S.indexInRange(p, pixels);
            FloatVector b0 = FloatVector.fromArray(S, b, bOff + p, mask);
            FloatVector b1 = FloatVector.fromArray(S, b, bOff + pixels + p, mask);
            FloatVector a0 = FloatVector.fromArray(S, a, aOff + p, mask);
            FloatVector a1 = FloatVector.fromArray(S, a, aOff + pixels + p, mask);
            FloatVector a2 = FloatVector.fromArray(S, a, aOff + 2 * pixels + p, mask);
            FloatVector a3 = FloatVector.fromArray(S, a, aOff + 3 * pixels + p, mask);
            s00 = a0.fma(b0, s00);
            s01 = a0.fma(b1, s01);
            s10 = a1.fma(b0, s10);
            s11 = a1.fma(b1, s11);
            s20 = a2.fma(b0, s20);
            s21 = a2.fma(b1, s21);
            s30 = a3.fma(b0, s30);
            s31 = a3.fma(b1, s31);
        }
        s00.intoArray(v, vOff);
        s01.intoArray(v, vOff + L);
        s10.intoArray(v, vOff + ldv);
        s11.intoArray(v, vOff + ldv + L);
        s20.intoArray(v, vOff + 2 * ldv);
        s21.intoArray(v, vOff + 2 * ldv + L);
        s30.intoArray(v, vOff + 3 * ldv);
        s31.intoArray(v, vOff + 3 * ldv + L);
    }

    /** One lane-sum vector: four independent FMA chains over the full vectors, then the masked tail. */
    private static void dot(int pixels, float[] a, int aOff, float[] b, int bOff, float[] v, int vOff) {
        FloatVector s0 = FloatVector.fromArray(S, v, vOff);
        FloatVector s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int p = 0;
        for (; p + 4 * L <= pixels; p += 4 * L) {
            s0 = FloatVector.fromArray(S, a, aOff + p).fma(FloatVector.fromArray(S, b, bOff + p), s0);
            s1 = FloatVector.fromArray(S, a, aOff + p + L).fma(FloatVector.fromArray(S, b, bOff + p + L), s1);
            s2 = FloatVector.fromArray(S, a, aOff + p + 2 * L).fma(FloatVector.fromArray(S, b, bOff + p + 2 * L), s2);
            s3 = FloatVector.fromArray(S, a, aOff + p + 3 * L).fma(FloatVector.fromArray(S, b, bOff + p + 3 * L), s3);
        }
        for (; p < pixels; p += L) {
            VectorMask<Float> mask = S.indexInRange(p, pixels);
            s0 = FloatVector.fromArray(S, a, aOff + p, mask).fma(FloatVector.fromArray(S, b, bOff + p, mask), s0);
        }
        s0.add(s1).add(s2.add(s3)).intoArray(v, vOff);
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

    private static void store(FloatVector v, float[] c, int off, boolean accumulate) {
        (accumulate ? v.add(FloatVector.fromArray(S, c, off)) : v).intoArray(c, off);
    }

    private static void store(FloatVector v, float[] c, int off, VectorMask<Float> mask, boolean accumulate) {
        (accumulate ? v.add(FloatVector.fromArray(S, c, off, mask)) : v).intoArray(c, off, mask);
    }
}
