package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One parameterized kernel for every {@link BinaryOp}: same-shape contiguous operands, a scalar
 * operand, and strided/broadcast operands (any strides, stride 0 for broadcast dimensions).
 *
 * <p>The op is switched on once per vector of {@code SPECIES_PREFERRED} lanes, not per element.
 * All ops but POW are exactly rounded, so the scalar tail matches the vector loop bit for bit; POW
 * always runs through {@link Math#pow} (SVML's pow differs in the last bit, which would make an
 * element's value depend on its position).
 *
 * <pre>{@code
 * Binary.apply(BinaryOp.ADD, a, 0, b, 0, out, 0, n);
 * }</pre>
 */
public final class Binary {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Elements per parallel chunk: below this, hand-off costs more than a second core saves. */
    static final int GRAIN = 1 << 16;

    private Binary() {}

    /** {@code out[o+i] = a[aOff+i] op b[bOff+i]} for {@code i < n}, in parallel for large n. */
    public static void apply(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int n) {
        Parallel.forRange(0, n, GRAIN, (lo, hi) -> row(op, a, aOff + lo, 1, b, bOff + lo, 1, out, oOff + lo, hi - lo));
    }

    /** {@code out = a op s} (or {@code s op a} when {@code scalarLeft}). */
    public static void applyScalar(BinaryOp op, float[] a, int aOff, float s, boolean scalarLeft,
                                   float[] out, int oOff, int n) {
        float[] sv = {s};
        Parallel.forRange(0, n, GRAIN, (lo, hi) -> {
            if (scalarLeft) {
                row(op, sv, 0, 0, a, aOff + lo, 1, out, oOff + lo, hi - lo);
            } else {
                row(op, a, aOff + lo, 1, sv, 0, 0, out, oOff + lo, hi - lo);
            }
        });
    }

    /**
     * {@code out[oOff + i] = a[aOff + i*aInc] op b[bOff + i*bInc]}; each increment is any stride
     * (0 broadcasts one element). Increments of 0 and 1 take the vector path.
     */
    public static void row(BinaryOp op, float[] a, int aOff, int aInc, float[] b, int bOff, int bInc,
                           float[] out, int oOff, int n) {
        int i = 0;
        if ((aInc | bInc) >>> 1 == 0 && op != BinaryOp.POW) {
            i = S.loopBound(n);
            if (i > 0) {
                    vectors(op, a, aOff, aInc, b, bOff, bInc, out, oOff, i);
            }
        }
        // every op but POW is exactly rounded, so the scalar tail gives the vector loop's bits;
        // POW always runs here, through Math.pow
        for (; i < n; i++) {
            out[oOff + i] = op.apply(a[aOff + i * aInc], b[bOff + i * bInc]);
        }
    }

    /**
     * The vector loop over {@code n} elements (a multiple of the vector length). The switch sits in
     * the loop and every case stores its own result: a vector returned from a helper or merged
     * after the switch can make C2 box it once the helper is compiled on its own.
     */
    private static void vectors(BinaryOp op, float[] a, int aOff, int aInc, float[] b, int bOff, int bInc,
                                float[] out, int oOff, int n) {
        FloatVector ca = FloatVector.broadcast(S, a[aOff]);
        FloatVector cb = FloatVector.broadcast(S, b[bOff]);
        FloatVector zero = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) {
            FloatVector va = aInc == 0 ? ca : FloatVector.fromArray(S, a, aOff + i);
            FloatVector vb = bInc == 0 ? cb : FloatVector.fromArray(S, b, bOff + i);
            int o = oOff + i;
            switch (op) {
                case ADD -> va.add(vb).intoArray(out, o);
                case SUB -> va.sub(vb).intoArray(out, o);
                case MUL -> va.mul(vb).intoArray(out, o);
                case DIV -> va.div(vb).intoArray(out, o);
                case MAX -> va.max(vb).intoArray(out, o);
                case MIN -> va.min(vb).intoArray(out, o);
                case EQ -> zero.blend(1f, va.compare(VectorOperators.EQ, vb)).intoArray(out, o);
                case NE -> zero.blend(1f, va.compare(VectorOperators.NE, vb)).intoArray(out, o);
                case LT -> zero.blend(1f, va.compare(VectorOperators.LT, vb)).intoArray(out, o);
                case LE -> zero.blend(1f, va.compare(VectorOperators.LE, vb)).intoArray(out, o);
                case GT -> zero.blend(1f, va.compare(VectorOperators.GT, vb)).intoArray(out, o);
                case GE -> zero.blend(1f, va.compare(VectorOperators.GE, vb)).intoArray(out, o);
                case POW -> throw new IllegalStateException("POW runs on the scalar path");
            }
        }
    }

    /**
     * Broadcasting/strided form: {@code out} (contiguous, shape {@code shape}) gets
     * {@code a op b}, where a and b are read through their own strides over the same shape (0 for
     * a broadcast dimension). Dimensions that are contiguous for both operands are merged first so
     * the inner loop is as long as possible.
     */
    public static void strided(BinaryOp op, float[] a, int aOff, int[] aStrides, float[] b, int bOff, int[] bStrides,
                               int[] shape, float[] out, int oOff) {
        int[][] c = Layout.coalesce(shape, aStrides, bStrides);
        int[] sh = c[0];
        int[] as = c[1];
        int[] bs = c[2];
        int rank = sh.length;
        int inner = sh[rank - 1];
        int ai = as[rank - 1];
        int bi = bs[rank - 1];
        int rows = Layout.numel(sh) / Math.max(1, inner);
        if (inner == 0) {
            return;
        }
        Parallel.forRange(0, rows, Math.max(1, GRAIN / inner), (lo, hi) -> {
            int[] idx = new int[rank];
            int[] base = Layout.start(lo, sh, as, bs, idx, aOff, bOff);
            int pa = base[0];
            int pb = base[1];
            for (int r = lo; r < hi; r++) {
                row(op, a, pa, ai, b, pb, bi, out, oOff + r * inner, inner);
                for (int d = rank - 2; d >= 0; d--) {
                    pa += as[d];
                    pb += bs[d];
                    if (++idx[d] < sh[d]) {
                        break;
                    }
                    pa -= as[d] * sh[d];
                    pb -= bs[d] * sh[d];
                    idx[d] = 0;
                }
            }
        });
    }
}
