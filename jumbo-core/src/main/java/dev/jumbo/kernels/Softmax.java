package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax, log-softmax and logsumexp along the middle axis of a contiguous {@code [outer, r, inner]}
 * block, stable (the max is subtracted first), in one pass for the max, one for exp-and-sum, one to
 * scale, with no intermediate arrays. {@code inner > 1} (a non-last axis) runs the same passes
 * with vector lanes across {@code inner}.
 *
 * <pre>{@code
 * Softmax.forward(Softmax.Mode.SOFTMAX, logits, 0, batch, classes, 1, probs, 0);
 * }</pre>
 */
public final class Softmax {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int GRAIN = 1 << 14;

    /** What {@link #forward} writes: probabilities, their logs, or one log-sum-exp per row. */
    public enum Mode { SOFTMAX, LOG_SOFTMAX, LOGSUMEXP }

    private Softmax() {}

    /**
     * Forward along the middle axis. For {@code LOGSUMEXP} {@code out} has {@code outer*inner}
     * elements, otherwise the same layout as {@code x}.
     */
    public static void forward(Mode mode, float[] x, int xOff, int outer, int r, int inner, float[] out, int oOff) {
        int grain = Math.max(1, GRAIN / Math.max(1, r * inner));
        Parallel.forRange(0, outer, grain, (lo, hi) -> {
            for (int o = lo; o < hi; o++) {
                int xb = xOff + o * r * inner;
                int ob = mode == Mode.LOGSUMEXP ? oOff + o * inner : oOff + o * r * inner;
                for (int k = 0; k < inner; k += L) {
                    if (inner == 1) {
                        row(mode, x, xb, r, out, ob);
                    } else {
                        columns(mode, x, xb + k, r, inner, k, out, ob + k);
                    }
                }
            }
        });
    }

    private static void row(Mode mode, float[] x, int xb, int r, float[] out, int ob) {
        float m = Reduce.row(ReduceOp.MAX, x, xb, r);
        if (m == Float.NEGATIVE_INFINITY) {
            m = 0f; // all -inf: exp gives zeros instead of NaN from -inf - -inf
        }
        boolean store = mode == Mode.SOFTMAX;
        int bound = S.loopBound(r);
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            FloatVector e = FloatVector.fromArray(S, x, xb + i).sub(m).lanewise(VectorOperators.EXP);
            if (store) {
                e.intoArray(out, ob + i);
            }
            acc = acc.add(e);
        }
        if (bound < r) { // the tail runs the same vector exp under a mask: same bits at any position
            VectorMask<Float> msk = S.indexInRange(bound, r);
            FloatVector e = FloatVector.fromArray(S, x, xb + bound, msk).sub(m).lanewise(VectorOperators.EXP);
            e = FloatVector.zero(S).blend(e, msk);
            if (store) {
                e.intoArray(out, ob + bound, msk);
            }
            acc = acc.add(e);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        if (mode == Mode.LOGSUMEXP) {
            out[ob] = m + (float) Math.log(sum);
            return;
        }
        // softmax scales its stored exps by 1/sum; log-softmax writes x - (max + log(sum))
        boolean log = mode == Mode.LOG_SOFTMAX;
        float[] src = log ? x : out;
        int so = log ? xb : ob;
        float f = log ? 0f : 1f / sum;
        float shift = log ? m + (float) Math.log(sum) : 0f;
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, src, so + i);
            (log ? v.sub(shift) : v.mul(f)).intoArray(out, ob + i);
        }
        for (int i = bound; i < r; i++) {
            out[ob + i] = log ? src[so + i] - shift : src[so + i] * f;
        }
    }

    private static void columns(Mode mode, float[] x, int xb, int r, int inner, int k, float[] out, int ob) {
        VectorMask<Float> msk = S.indexInRange(k, inner);
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < r; j++) {
            m = m.max(FloatVector.fromArray(S, x, xb + j * inner, msk));
        }
        m = m.blend(0f, m.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < r; j++) {
            FloatVector e = FloatVector.fromArray(S, x, xb + j * inner, msk).sub(m).lanewise(VectorOperators.EXP);
            if (mode == Mode.SOFTMAX) {
                e.intoArray(out, ob + j * inner, msk);
            }
            acc = acc.add(e);
        }
        switch (mode) {
            case SOFTMAX -> {
                FloatVector inv = FloatVector.broadcast(S, 1f).div(acc);
                for (int j = 0; j < r; j++) {
                    FloatVector.fromArray(S, out, ob + j * inner, msk).mul(inv).intoArray(out, ob + j * inner, msk);
                }
            }
            case LOG_SOFTMAX -> {
                FloatVector shift = m.add(acc.lanewise(VectorOperators.LOG));
                for (int j = 0; j < r; j++) {
                    FloatVector.fromArray(S, x, xb + j * inner, msk).sub(shift).intoArray(out, ob + j * inner, msk);
                }
            }
            case LOGSUMEXP -> m.add(acc.lanewise(VectorOperators.LOG)).intoArray(out, ob, msk);
        }
    }

    /**
     * Backward of softmax ({@code log == false}: gx = y * (g - sum(g*y))) or log-softmax
     * ({@code log == true}: gx = g - exp(y) * sum(g)), from the forward output y.
     */
    public static void backward(boolean log, float[] y, int yOff, float[] g, int gOff, int outer, int r, int inner,
                                float[] gx, int oOff) {
        int grain = Math.max(1, GRAIN / Math.max(1, r * inner));
        Parallel.forRange(0, outer, grain, (lo, hi) -> {
            for (int o = lo; o < hi; o++) {
                int b = o * r * inner;
                for (int k = 0; k < inner; k += L) {
                    int step = inner == 1 ? L : inner;
                    int count = inner == 1 ? (r + L - 1) / L : r;
                    VectorMask<Float> msk = S.indexInRange(k, inner);
                    FloatVector acc = FloatVector.zero(S);
                    for (int j = 0; j < count; j++) {
                        VectorMask<Float> mj = inner == 1 ? S.indexInRange(j * L, r) : msk;
                        FloatVector gv = FloatVector.fromArray(S, g, gOff + b + k + j * step, mj);
                        acc = log ? acc.add(gv) : gv.fma(FloatVector.fromArray(S, y, yOff + b + k + j * step, mj), acc);
                    }
                    FloatVector s = inner == 1 ? FloatVector.broadcast(S, acc.reduceLanes(VectorOperators.ADD)) : acc;
                    for (int j = 0; j < count; j++) {
                        VectorMask<Float> mj = inner == 1 ? S.indexInRange(j * L, r) : msk;
                        int at = b + k + j * step;
                        FloatVector gv = FloatVector.fromArray(S, g, gOff + at, mj);
                        FloatVector yv = FloatVector.fromArray(S, y, yOff + at, mj);
                        FloatVector res = log ? gv.sub(yv.lanewise(VectorOperators.EXP).mul(s)) : yv.mul(gv.sub(s));
                        res.intoArray(gx, oOff + at, mj);
                    }
                }
            }
        });
    }
}
