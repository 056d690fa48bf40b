package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * Copies blocks of A and B into the panel layouts the register tile streams through.
 *
 * <p>A block (mc × kc) becomes row panels of {@code mr} rows: {@code ap[(r*kc + p)*mr + i]}. A B
 * block (kc × nc) becomes column panels of {@code nr} = {@link SgemmKernel#NR} columns: {@code bp[(q*kc + p)*nr + j]}. Rows
 * or columns past the matrix edge are zero, so the tile never needs a tail. Transposed operands
 * are read in their stored order here, which is the only place transposition costs anything.
 *
 * <pre>{@code
 * SgemmPack.packA(false, a, 0, lda, 0, 0, 30, 256, ap); // 3 panels of 12 rows, last one padded
 * }</pre>
 */
final class SgemmPack {
    private SgemmPack() {}

    private static final int L = SgemmKernel.S.length();
    /**
     * Strided copies into panels (rows of A, columns of a transposed B) use vector scatters and
     * gathers where the CPU has both (AVX-512; AVX2 has no scatter, and the Vector API would emulate
     * it lane by lane). On a Zen 5 core this took packing A from 0.45 to about 0.3 ns per element;
     * the transposed B of conv2d's grad weight (dY x col^T) had been a sixth of ResNet's 3x3 layer
     * step.
     */
    private static final boolean STRIDED = L >= 16;
    /** Lane q goes to q * MR: one row of A scattered down its panel's depth. */
    private static final int[] STRIDE_MR = lanesAtStride(SgemmKernel.MR);
    /** Lane q goes to q * NR: one column of a transposed B scattered down its panel's depth. */
    private static final int[] STRIDE_NR = lanesAtStride(SgemmKernel.NR);

    private static int[] lanesAtStride(int stride) {
        int[] map = new int[L];
        for (int q = 0; q < L; q++) {
            map[q] = q * stride;
        }
        return map;
    }

    /**
     * One full panel of a transposed B: {@code bp[bpOff + p*NR + j] = b[bOff + j*ldb + p]} for
     * {@code p < kc, j < NR}, each depth's NR values gathered from NR rows of b (two vector gathers
     * with {@code rows = lanesAtStride(ldb)}).
     * On conv2d's grad weight (dY x col^T) this beat scattering each row of b down the panel:
     * backward of ResNet's 3x3 layer 64-65 against 67-69 ms per step (Zen 5, batch 32, two threads).
     */
    private static void gatherPanel(float[] b, int bOff, int ldb, int[] rows, int kc, float[] bp, int bpOff) {
        int second = bOff + L * ldb;
        for (int p = 0; p < kc; p++) {
            int dst = bpOff + p * SgemmKernel.NR;
            FloatVector.fromArray(SgemmKernel.S, b, bOff + p, rows, 0).intoArray(bp, dst);
            FloatVector.fromArray(SgemmKernel.S, b, second + p, rows, 0).intoArray(bp, dst + L);
        }
    }

    /**
     * {@code dst[dstOff + p * stride] = src[srcOff + p]} for {@code p < len}, where {@code map} is
     * {@link #lanesAtStride}{@code (stride)}: a vector scatter at a time where the CPU has one.
     */
    private static void strided(float[] src, int srcOff, int len, float[] dst, int dstOff, int stride, int[] map) {
        int p = 0;
        if (STRIDED) {
            for (int full = SgemmKernel.S.loopBound(len); p < full; p += L) {
                FloatVector.fromArray(SgemmKernel.S, src, srcOff + p).intoArray(dst, dstOff + p * stride, map, 0);
            }
        }
        for (; p < len; p++) {
            dst[dstOff + p * stride] = src[srcOff + p];
        }
    }

    /** Packs rows {@code [i0, i0+mc)} and depths {@code [p0, p0+kc)} of op(A) into {@link SgemmKernel#MR}-row panels. */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int p0, int mc, int kc,
                      float[] ap) {
        final int mr = SgemmKernel.MR;
        for (int r = 0; r < mc; r += mr) {
            int rows = Math.min(mr, mc - r);
            int base = r * kc;
            if (transA) {
                // op(A)(i, p) = a[p*lda + i]: each depth p holds the panel's rows contiguously.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + r;
                    int dst = base + p * mr;
                    System.arraycopy(a, src, ap, dst, rows);
                    for (int i = rows; i < mr; i++) {
                        ap[dst + i] = 0f;
                    }
                }
            } else {
                for (int i = 0; i < rows; i++) {
                    strided(a, aOff + (i0 + r + i) * lda + p0, kc, ap, base + i, mr, STRIDE_MR);
                }
                for (int z = rows; z < mr; z++) {
                    for (int p = 0; p < kc; p++) {
                        ap[base + z + p * mr] = 0f;
                    }
                }
            }
        }
    }

    /** Packs depths {@code [p0, p0+kc)} and columns {@code [j0, j0+nc)} of op(B) into {@link SgemmKernel#NR}-column panels. */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int j0, int kc, int nc,
                      float[] bp) {
        final int nr = SgemmKernel.NR;
        int[] rowsOfB = STRIDED && transB ? lanesAtStride(ldb) : null;
        for (int q = 0; q < nc; q += nr) {
            int cols = Math.min(nr, nc - q);
            int base = q * kc;
            if (transB) {
                // op(B)(p, j) = b[j*ldb + p]: each column j is contiguous in p.
                if (STRIDED && cols == nr) {
                    gatherPanel(b, bOff + (j0 + q) * ldb + p0, ldb, rowsOfB, kc, bp, base);
                } else {
                    for (int j = 0; j < cols; j++) {
                        strided(b, bOff + (j0 + q + j) * ldb + p0, kc, bp, base + j, nr, STRIDE_NR);
                    }
                }
                for (int j = cols; j < nr; j++) {
                    for (int p = 0; p < kc; p++) {
                        bp[base + j + p * nr] = 0f;
                    }
                }
            } else if (cols == nr) {
                // A whole panel row is NR = 2 vectors: two vector copies beat a 16- or 32-float arraycopy call.
                final int l = SgemmKernel.S.length();
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * ldb + j0 + q;
                    int dst = base + p * nr;
                    FloatVector.fromArray(SgemmKernel.S, b, src).intoArray(bp, dst);
                    FloatVector.fromArray(SgemmKernel.S, b, src + l).intoArray(bp, dst + l);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * ldb + j0 + q;
                    int dst = base + p * nr;
                    System.arraycopy(b, src, bp, dst, cols);
                    for (int j = cols; j < nr; j++) {
                        bp[dst + j] = 0f;
                    }
                }
            }
        }
    }
}
