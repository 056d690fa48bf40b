package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

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
     * Index vectors of {@link #packPanelTransposed}'s four shuffle stages: stage s swaps the
     * off-diagonal b x b blocks (b = 8, 4, 2, 1) of every 2b x 2b block of a 16 x 16 tile, taking
     * lanes from the concatenation of two rows (indices 16.. are the second row).
     */
    private static final float[][] SWAP_LO = new float[4][16];
    private static final float[][] SWAP_HI = new float[4][16];

    static {
        for (int stage = 0, b = 8; b >= 1; b /= 2, stage++) {
            for (int l = 0; l < 16; l++) {
                boolean first = (l / b) % 2 == 0;
                SWAP_LO[stage][l] = first ? l : 16 + l - b;
                SWAP_HI[stage][l] = first ? l + b : 16 + l;
            }
        }
    }

    /**
     * Packs one full 12-row panel of a row-major A, 16 depths at a time: the 12 rows' next 16
     * values (and 4 zero rows) form a 16 x 16 tile, transposed in registers with four stages of
     * two-vector shuffles, and each transposed row (one depth's 12 values) is stored with a 12-lane
     * mask. 0.10 ns per element on a Zen 5 core, against 0.30 for scattering each row down the
     * panel and 0.32 for scalar copies (A was 11% of a one-thread n = 256 product). 512-bit
     * vectors and MR = 12 only; the depth tail is copied in scalar.
     */
    private static void packPanelTransposed(float[] a, int src, int lda, int kc, float[] ap, int dst) {
        VectorMask<Float> twelve = SgemmKernel.S.indexInRange(0, 12);
        FloatVector lo0 = FloatVector.fromArray(SgemmKernel.S, SWAP_LO[0], 0);
        FloatVector hi0 = FloatVector.fromArray(SgemmKernel.S, SWAP_HI[0], 0);
        FloatVector lo1 = FloatVector.fromArray(SgemmKernel.S, SWAP_LO[1], 0);
        FloatVector hi1 = FloatVector.fromArray(SgemmKernel.S, SWAP_HI[1], 0);
        FloatVector lo2 = FloatVector.fromArray(SgemmKernel.S, SWAP_LO[2], 0);
        FloatVector hi2 = FloatVector.fromArray(SgemmKernel.S, SWAP_HI[2], 0);
        FloatVector lo3 = FloatVector.fromArray(SgemmKernel.S, SWAP_LO[3], 0);
        FloatVector hi3 = FloatVector.fromArray(SgemmKernel.S, SWAP_HI[3], 0);
        FloatVector zero = FloatVector.zero(SgemmKernel.S);
        int full = kc / 16 * 16;
        for (int k0 = 0; k0 < full; k0 += 16) {
            FloatVector r0 = FloatVector.fromArray(SgemmKernel.S, a, src + 0 * lda + k0);
            FloatVector r1 = FloatVector.fromArray(SgemmKernel.S, a, src + 1 * lda + k0);
            FloatVector r2 = FloatVector.fromArray(SgemmKernel.S, a, src + 2 * lda + k0);
            FloatVector r3 = FloatVector.fromArray(SgemmKernel.S, a, src + 3 * lda + k0);
            FloatVector r4 = FloatVector.fromArray(SgemmKernel.S, a, src + 4 * lda + k0);
            FloatVector r5 = FloatVector.fromArray(SgemmKernel.S, a, src + 5 * lda + k0);
            FloatVector r6 = FloatVector.fromArray(SgemmKernel.S, a, src + 6 * lda + k0);
            FloatVector r7 = FloatVector.fromArray(SgemmKernel.S, a, src + 7 * lda + k0);
            FloatVector r8 = FloatVector.fromArray(SgemmKernel.S, a, src + 8 * lda + k0);
            FloatVector r9 = FloatVector.fromArray(SgemmKernel.S, a, src + 9 * lda + k0);
            FloatVector r10 = FloatVector.fromArray(SgemmKernel.S, a, src + 10 * lda + k0);
            FloatVector r11 = FloatVector.fromArray(SgemmKernel.S, a, src + 11 * lda + k0);
            FloatVector s0_0 = lo0.selectFrom(r0, r8);
            FloatVector s0_8 = hi0.selectFrom(r0, r8);
            FloatVector s0_1 = lo0.selectFrom(r1, r9);
            FloatVector s0_9 = hi0.selectFrom(r1, r9);
            FloatVector s0_2 = lo0.selectFrom(r2, r10);
            FloatVector s0_10 = hi0.selectFrom(r2, r10);
            FloatVector s0_3 = lo0.selectFrom(r3, r11);
            FloatVector s0_11 = hi0.selectFrom(r3, r11);
            FloatVector s0_4 = lo0.selectFrom(r4, zero);
            FloatVector s0_12 = hi0.selectFrom(r4, zero);
            FloatVector s0_5 = lo0.selectFrom(r5, zero);
            FloatVector s0_13 = hi0.selectFrom(r5, zero);
            FloatVector s0_6 = lo0.selectFrom(r6, zero);
            FloatVector s0_14 = hi0.selectFrom(r6, zero);
            FloatVector s0_7 = lo0.selectFrom(r7, zero);
            FloatVector s0_15 = hi0.selectFrom(r7, zero);
            FloatVector s1_0 = lo1.selectFrom(s0_0, s0_4);
            FloatVector s1_4 = hi1.selectFrom(s0_0, s0_4);
            FloatVector s1_1 = lo1.selectFrom(s0_1, s0_5);
            FloatVector s1_5 = hi1.selectFrom(s0_1, s0_5);
            FloatVector s1_2 = lo1.selectFrom(s0_2, s0_6);
            FloatVector s1_6 = hi1.selectFrom(s0_2, s0_6);
            FloatVector s1_3 = lo1.selectFrom(s0_3, s0_7);
            FloatVector s1_7 = hi1.selectFrom(s0_3, s0_7);
            FloatVector s1_8 = lo1.selectFrom(s0_8, s0_12);
            FloatVector s1_12 = hi1.selectFrom(s0_8, s0_12);
            FloatVector s1_9 = lo1.selectFrom(s0_9, s0_13);
            FloatVector s1_13 = hi1.selectFrom(s0_9, s0_13);
            FloatVector s1_10 = lo1.selectFrom(s0_10, s0_14);
            FloatVector s1_14 = hi1.selectFrom(s0_10, s0_14);
            FloatVector s1_11 = lo1.selectFrom(s0_11, s0_15);
            FloatVector s1_15 = hi1.selectFrom(s0_11, s0_15);
            FloatVector s2_0 = lo2.selectFrom(s1_0, s1_2);
            FloatVector s2_2 = hi2.selectFrom(s1_0, s1_2);
            FloatVector s2_1 = lo2.selectFrom(s1_1, s1_3);
            FloatVector s2_3 = hi2.selectFrom(s1_1, s1_3);
            FloatVector s2_4 = lo2.selectFrom(s1_4, s1_6);
            FloatVector s2_6 = hi2.selectFrom(s1_4, s1_6);
            FloatVector s2_5 = lo2.selectFrom(s1_5, s1_7);
            FloatVector s2_7 = hi2.selectFrom(s1_5, s1_7);
            FloatVector s2_8 = lo2.selectFrom(s1_8, s1_10);
            FloatVector s2_10 = hi2.selectFrom(s1_8, s1_10);
            FloatVector s2_9 = lo2.selectFrom(s1_9, s1_11);
            FloatVector s2_11 = hi2.selectFrom(s1_9, s1_11);
            FloatVector s2_12 = lo2.selectFrom(s1_12, s1_14);
            FloatVector s2_14 = hi2.selectFrom(s1_12, s1_14);
            FloatVector s2_13 = lo2.selectFrom(s1_13, s1_15);
            FloatVector s2_15 = hi2.selectFrom(s1_13, s1_15);
            FloatVector s3_0 = lo3.selectFrom(s2_0, s2_1);
            FloatVector s3_1 = hi3.selectFrom(s2_0, s2_1);
            FloatVector s3_2 = lo3.selectFrom(s2_2, s2_3);
            FloatVector s3_3 = hi3.selectFrom(s2_2, s2_3);
            FloatVector s3_4 = lo3.selectFrom(s2_4, s2_5);
            FloatVector s3_5 = hi3.selectFrom(s2_4, s2_5);
            FloatVector s3_6 = lo3.selectFrom(s2_6, s2_7);
            FloatVector s3_7 = hi3.selectFrom(s2_6, s2_7);
            FloatVector s3_8 = lo3.selectFrom(s2_8, s2_9);
            FloatVector s3_9 = hi3.selectFrom(s2_8, s2_9);
            FloatVector s3_10 = lo3.selectFrom(s2_10, s2_11);
            FloatVector s3_11 = hi3.selectFrom(s2_10, s2_11);
            FloatVector s3_12 = lo3.selectFrom(s2_12, s2_13);
            FloatVector s3_13 = hi3.selectFrom(s2_12, s2_13);
            FloatVector s3_14 = lo3.selectFrom(s2_14, s2_15);
            FloatVector s3_15 = hi3.selectFrom(s2_14, s2_15);
            s3_0.intoArray(ap, dst + (k0 + 0) * 12, twelve);
            s3_1.intoArray(ap, dst + (k0 + 1) * 12, twelve);
            s3_2.intoArray(ap, dst + (k0 + 2) * 12, twelve);
            s3_3.intoArray(ap, dst + (k0 + 3) * 12, twelve);
            s3_4.intoArray(ap, dst + (k0 + 4) * 12, twelve);
            s3_5.intoArray(ap, dst + (k0 + 5) * 12, twelve);
            s3_6.intoArray(ap, dst + (k0 + 6) * 12, twelve);
            s3_7.intoArray(ap, dst + (k0 + 7) * 12, twelve);
            s3_8.intoArray(ap, dst + (k0 + 8) * 12, twelve);
            s3_9.intoArray(ap, dst + (k0 + 9) * 12, twelve);
            s3_10.intoArray(ap, dst + (k0 + 10) * 12, twelve);
            s3_11.intoArray(ap, dst + (k0 + 11) * 12, twelve);
            s3_12.intoArray(ap, dst + (k0 + 12) * 12, twelve);
            s3_13.intoArray(ap, dst + (k0 + 13) * 12, twelve);
            s3_14.intoArray(ap, dst + (k0 + 14) * 12, twelve);
            s3_15.intoArray(ap, dst + (k0 + 15) * 12, twelve);
        }
        for (int i = 0; i < 12; i++) {
            for (int p = full; p < kc; p++) {
                ap[dst + p * 12 + i] = a[src + i * lda + p];
            }
        }
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
                if (STRIDED && L == 16 && mr == 12 && rows == mr) {
                    packPanelTransposed(a, aOff + (i0 + r) * lda + p0, lda, kc, ap, base);
                    continue;
                }
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
