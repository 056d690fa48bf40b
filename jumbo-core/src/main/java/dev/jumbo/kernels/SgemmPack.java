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
     * Strided copies into partial panels (rows of A, columns of a transposed B) use vector scatters
     * where the CPU has them (AVX-512; AVX2 has none, and the Vector API would emulate them lane by
     * lane): 0.30 against 0.45 ns per element on a Zen 5 core. Full panels use {@link #transposeInto}.
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

    /** 16 x 16 register transposes ({@link #transposeInto}): 16-lane vectors and 12-row A panels. */
    private static final boolean TRANSPOSE16 = L == 16 && SgemmKernel.MR == 12 && SgemmKernel.NR == 32;

    /**
     * Index vectors of {@link #transposeInto}'s four shuffle stages: stage s swaps the
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
     * {@code out[dst + p*outStride + i] = x[src + i*ld + p]} for {@code i < rows} (12 or 16) and
     * {@code p < kc}: 16 depths at a time, the rows' next 16 values (zero rows up to 16) form a
     * 16 x 16 tile, transposed in registers with four stages of two-vector shuffles, and each
     * transposed row (one depth's values) is stored with a {@code rows}-lane mask; the depth tail is
     * copied in scalar. Packs a full 12-row panel of a row-major A (outStride MR) or half of a full
     * panel of a transposed B (16 rows, outStride NR). 0.10 ns per element on a Zen 5 core, against
     * 0.30 for scattering each row down the panel and 0.32 for scalar copies (packing A was 11% of a
     * one-thread n = 256 product). 512-bit vectors only.
     */
    private static void transposeInto(float[] x, int src, int ld, int rows, int kc, float[] out, int dst,
                                      int outStride) {
        VectorMask<Float> lanes = SgemmKernel.S.indexInRange(0, rows);
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
            FloatVector r0 = FloatVector.fromArray(SgemmKernel.S, x, src + 0 * ld + k0);
            FloatVector r1 = FloatVector.fromArray(SgemmKernel.S, x, src + 1 * ld + k0);
            FloatVector r2 = FloatVector.fromArray(SgemmKernel.S, x, src + 2 * ld + k0);
            FloatVector r3 = FloatVector.fromArray(SgemmKernel.S, x, src + 3 * ld + k0);
            FloatVector r4 = FloatVector.fromArray(SgemmKernel.S, x, src + 4 * ld + k0);
            FloatVector r5 = FloatVector.fromArray(SgemmKernel.S, x, src + 5 * ld + k0);
            FloatVector r6 = FloatVector.fromArray(SgemmKernel.S, x, src + 6 * ld + k0);
            FloatVector r7 = FloatVector.fromArray(SgemmKernel.S, x, src + 7 * ld + k0);
            FloatVector r8 = FloatVector.fromArray(SgemmKernel.S, x, src + 8 * ld + k0);
            FloatVector r9 = FloatVector.fromArray(SgemmKernel.S, x, src + 9 * ld + k0);
            FloatVector r10 = FloatVector.fromArray(SgemmKernel.S, x, src + 10 * ld + k0);
            FloatVector r11 = FloatVector.fromArray(SgemmKernel.S, x, src + 11 * ld + k0);
            FloatVector r12 = rows > 12 ? FloatVector.fromArray(SgemmKernel.S, x, src + 12 * ld + k0) : zero;
            FloatVector r13 = rows > 12 ? FloatVector.fromArray(SgemmKernel.S, x, src + 13 * ld + k0) : zero;
            FloatVector r14 = rows > 12 ? FloatVector.fromArray(SgemmKernel.S, x, src + 14 * ld + k0) : zero;
            FloatVector r15 = rows > 12 ? FloatVector.fromArray(SgemmKernel.S, x, src + 15 * ld + k0) : zero;
            FloatVector s0_0 = lo0.selectFrom(r0, r8);
            FloatVector s0_8 = hi0.selectFrom(r0, r8);
            FloatVector s0_1 = lo0.selectFrom(r1, r9);
            FloatVector s0_9 = hi0.selectFrom(r1, r9);
            FloatVector s0_2 = lo0.selectFrom(r2, r10);
            FloatVector s0_10 = hi0.selectFrom(r2, r10);
            FloatVector s0_3 = lo0.selectFrom(r3, r11);
            FloatVector s0_11 = hi0.selectFrom(r3, r11);
            FloatVector s0_4 = lo0.selectFrom(r4, r12);
            FloatVector s0_12 = hi0.selectFrom(r4, r12);
            FloatVector s0_5 = lo0.selectFrom(r5, r13);
            FloatVector s0_13 = hi0.selectFrom(r5, r13);
            FloatVector s0_6 = lo0.selectFrom(r6, r14);
            FloatVector s0_14 = hi0.selectFrom(r6, r14);
            FloatVector s0_7 = lo0.selectFrom(r7, r15);
            FloatVector s0_15 = hi0.selectFrom(r7, r15);
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
            s3_0.intoArray(out, dst + (k0 + 0) * outStride, lanes);
            s3_1.intoArray(out, dst + (k0 + 1) * outStride, lanes);
            s3_2.intoArray(out, dst + (k0 + 2) * outStride, lanes);
            s3_3.intoArray(out, dst + (k0 + 3) * outStride, lanes);
            s3_4.intoArray(out, dst + (k0 + 4) * outStride, lanes);
            s3_5.intoArray(out, dst + (k0 + 5) * outStride, lanes);
            s3_6.intoArray(out, dst + (k0 + 6) * outStride, lanes);
            s3_7.intoArray(out, dst + (k0 + 7) * outStride, lanes);
            s3_8.intoArray(out, dst + (k0 + 8) * outStride, lanes);
            s3_9.intoArray(out, dst + (k0 + 9) * outStride, lanes);
            s3_10.intoArray(out, dst + (k0 + 10) * outStride, lanes);
            s3_11.intoArray(out, dst + (k0 + 11) * outStride, lanes);
            s3_12.intoArray(out, dst + (k0 + 12) * outStride, lanes);
            s3_13.intoArray(out, dst + (k0 + 13) * outStride, lanes);
            s3_14.intoArray(out, dst + (k0 + 14) * outStride, lanes);
            s3_15.intoArray(out, dst + (k0 + 15) * outStride, lanes);
        }
        for (int i = 0; i < rows; i++) {
            for (int p = full; p < kc; p++) {
                out[dst + p * outStride + i] = x[src + i * ld + p];
            }
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
                if (TRANSPOSE16 && rows == mr) {
                    transposeInto(a, aOff + (i0 + r) * lda + p0, lda, mr, kc, ap, base, mr);
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
        for (int q = 0; q < nc; q += nr) {
            int cols = Math.min(nr, nc - q);
            int base = q * kc;
            if (transB) {
                // op(B)(p, j) = b[j*ldb + p]: each column j is contiguous in p.
                if (TRANSPOSE16 && cols == nr) {
                    int src = bOff + (j0 + q) * ldb + p0;
                    transposeInto(b, src, ldb, 16, kc, bp, base, nr);
                    transposeInto(b, src + 16 * ldb, ldb, 16, kc, bp, base + 16, nr);
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
