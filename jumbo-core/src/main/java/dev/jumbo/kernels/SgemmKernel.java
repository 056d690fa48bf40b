package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SGEMM register tile: {@value #MR} rows by {@code NV} = 2 vectors of
 * {@link FloatVector#SPECIES_PREFERRED} (32 columns with 512-bit vectors).
 *
 * <p>Generated code: the 24 accumulators are named locals, fully unrolled, and start from
 * {@code FloatVector.zero} inside the method, because arrays of vectors or vector constants defeat
 * C2's register allocation (DESIGN.md, kernel lessons 1-2). Do not hand-edit one row; regenerate
 * the tile as a whole if its shape changes. Keep the method this small: a variant with a second
 * (overwrite) store path measured 15-45 GFLOP/s instead of 90 at n = 1024 once its branch was taken,
 * and a masked-load store path never reached compiled speed at all.
 *
 * <pre>{@code
 * // ap: packed A panel [kc][MR], bp: packed B panel [kc][NR]
 * SgemmKernel.tile(kc, ap, 0, bp, 0, c, cOff, ldc, 1f); // C[MR x NR] += alpha * Ap * Bp
 * }</pre>
 */
final class SgemmKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Rows of the register tile. */
    static final int MR = 12;
    /** Columns of the register tile: 2 vectors. */
    static final int NR = 2 * S.length();

    private SgemmKernel() {}

    /**
     * {@code C[0..MR, 0..NR] += alpha * sum_p ap[p][i] * bp[p][j]}: full tile, C rows {@code ldc} apart.
     * The product is rounded once, then added to C, so a tile written through a scratch buffer
     * (edge tiles) gives bit-identical results.
     */
    static void tile(int kc, float[] ap, int aOff, float[] bp, int bOff,
                     float[] c, int cOff, int ldc, float alpha) {
        final int l = S.length();
        FloatVector c0_0 = FloatVector.zero(S); FloatVector c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S); FloatVector c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S); FloatVector c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S); FloatVector c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S); FloatVector c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S); FloatVector c5_1 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S); FloatVector c6_1 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S); FloatVector c7_1 = FloatVector.zero(S);
        FloatVector c8_0 = FloatVector.zero(S); FloatVector c8_1 = FloatVector.zero(S);
        FloatVector c9_0 = FloatVector.zero(S); FloatVector c9_1 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S); FloatVector c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S); FloatVector c11_1 = FloatVector.zero(S);
        int ai;
        int bi;
        for (int p = 0; p < kc; p++) {
            ai = aOff + p * MR;
            bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + l);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai + 0]);
            c0_0 = a0.fma(b0, c0_0);
            c0_1 = a0.fma(b1, c0_1);
            FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
            c1_0 = a1.fma(b0, c1_0);
            c1_1 = a1.fma(b1, c1_1);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
            c2_0 = a2.fma(b0, c2_0);
            c2_1 = a2.fma(b1, c2_1);
            FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
            c3_0 = a3.fma(b0, c3_0);
            c3_1 = a3.fma(b1, c3_1);
            FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
            c4_0 = a4.fma(b0, c4_0);
            c4_1 = a4.fma(b1, c4_1);
            FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
            c5_0 = a5.fma(b0, c5_0);
            c5_1 = a5.fma(b1, c5_1);
            FloatVector a6 = FloatVector.broadcast(S, ap[ai + 6]);
            c6_0 = a6.fma(b0, c6_0);
            c6_1 = a6.fma(b1, c6_1);
            FloatVector a7 = FloatVector.broadcast(S, ap[ai + 7]);
            c7_0 = a7.fma(b0, c7_0);
            c7_1 = a7.fma(b1, c7_1);
            FloatVector a8 = FloatVector.broadcast(S, ap[ai + 8]);
            c8_0 = a8.fma(b0, c8_0);
            c8_1 = a8.fma(b1, c8_1);
            FloatVector a9 = FloatVector.broadcast(S, ap[ai + 9]);
            c9_0 = a9.fma(b0, c9_0);
            c9_1 = a9.fma(b1, c9_1);
            FloatVector a10 = FloatVector.broadcast(S, ap[ai + 10]);
            c10_0 = a10.fma(b0, c10_0);
            c10_1 = a10.fma(b1, c10_1);
            FloatVector a11 = FloatVector.broadcast(S, ap[ai + 11]);
            c11_0 = a11.fma(b0, c11_0);
            c11_1 = a11.fma(b1, c11_1);
        }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int r0 = cOff + 0 * ldc;
        c0_0.mul(va).add(FloatVector.fromArray(S, c, r0)).intoArray(c, r0);
        c0_1.mul(va).add(FloatVector.fromArray(S, c, r0 + l)).intoArray(c, r0 + l);
        int r1 = cOff + 1 * ldc;
        c1_0.mul(va).add(FloatVector.fromArray(S, c, r1)).intoArray(c, r1);
        c1_1.mul(va).add(FloatVector.fromArray(S, c, r1 + l)).intoArray(c, r1 + l);
        int r2 = cOff + 2 * ldc;
        c2_0.mul(va).add(FloatVector.fromArray(S, c, r2)).intoArray(c, r2);
        c2_1.mul(va).add(FloatVector.fromArray(S, c, r2 + l)).intoArray(c, r2 + l);
        int r3 = cOff + 3 * ldc;
        c3_0.mul(va).add(FloatVector.fromArray(S, c, r3)).intoArray(c, r3);
        c3_1.mul(va).add(FloatVector.fromArray(S, c, r3 + l)).intoArray(c, r3 + l);
        int r4 = cOff + 4 * ldc;
        c4_0.mul(va).add(FloatVector.fromArray(S, c, r4)).intoArray(c, r4);
        c4_1.mul(va).add(FloatVector.fromArray(S, c, r4 + l)).intoArray(c, r4 + l);
        int r5 = cOff + 5 * ldc;
        c5_0.mul(va).add(FloatVector.fromArray(S, c, r5)).intoArray(c, r5);
        c5_1.mul(va).add(FloatVector.fromArray(S, c, r5 + l)).intoArray(c, r5 + l);
        int r6 = cOff + 6 * ldc;
        c6_0.mul(va).add(FloatVector.fromArray(S, c, r6)).intoArray(c, r6);
        c6_1.mul(va).add(FloatVector.fromArray(S, c, r6 + l)).intoArray(c, r6 + l);
        int r7 = cOff + 7 * ldc;
        c7_0.mul(va).add(FloatVector.fromArray(S, c, r7)).intoArray(c, r7);
        c7_1.mul(va).add(FloatVector.fromArray(S, c, r7 + l)).intoArray(c, r7 + l);
        int r8 = cOff + 8 * ldc;
        c8_0.mul(va).add(FloatVector.fromArray(S, c, r8)).intoArray(c, r8);
        c8_1.mul(va).add(FloatVector.fromArray(S, c, r8 + l)).intoArray(c, r8 + l);
        int r9 = cOff + 9 * ldc;
        c9_0.mul(va).add(FloatVector.fromArray(S, c, r9)).intoArray(c, r9);
        c9_1.mul(va).add(FloatVector.fromArray(S, c, r9 + l)).intoArray(c, r9 + l);
        int r10 = cOff + 10 * ldc;
        c10_0.mul(va).add(FloatVector.fromArray(S, c, r10)).intoArray(c, r10);
        c10_1.mul(va).add(FloatVector.fromArray(S, c, r10 + l)).intoArray(c, r10 + l);
        int r11 = cOff + 11 * ldc;
        c11_0.mul(va).add(FloatVector.fromArray(S, c, r11)).intoArray(c, r11);
        c11_1.mul(va).add(FloatVector.fromArray(S, c, r11 + l)).intoArray(c, r11 + l);
    }
}
