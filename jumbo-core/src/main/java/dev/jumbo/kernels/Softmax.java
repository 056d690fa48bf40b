package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax, log-softmax and logsumexp along the middle axis of a contiguous {@code [outer, r, inner]}
 * block, stable (the max is subtracted first): a max pass, one {@link VMath#exp} pass, a sum pass
 * and a scale pass per row, with no intermediate tensors. For {@code inner > 1} (a non-last axis)
 * the same passes run over the whole {@code [r, inner]} block with vector lanes across columns.
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
            // exps go straight into out for softmax; the other modes need a scratch block
            float[] scratch = mode == Mode.SOFTMAX ? null : new float[r * inner];
            float[] stats = new float[2 * inner];
            for (int o = lo; o < hi; o++) {
                int xb = xOff + o * r * inner;
                int ob = mode == Mode.LOGSUMEXP ? oOff + o * inner : oOff + o * r * inner;
                float[] e = scratch == null ? out : scratch;
                int eb = scratch == null ? ob : 0;
                block(mode, x, xb, r, inner, e, eb, stats, out, ob);
            }
        });
    }

    /** One [r, inner] block; {@code stats} holds the max (then the shift) and the sum per column. */
    private static void block(Mode mode, float[] x, int xb, int r, int inner, float[] e, int eb, float[] stats,
                              float[] out, int ob) {
        if (inner == 1) {
            stats[0] = Reduce.row(ReduceOp.MAX, x, xb, r);
        } else {
            Reduce.columns(ReduceOp.MAX, x, xb, r, inner, inner, stats, 0);
        }
        for (int k = 0; k < inner; k++) {
            if (stats[k] == Float.NEGATIVE_INFINITY) {
                stats[k] = 0f; // an all -inf column: exp gives zeros instead of NaN from -inf - -inf
            }
        }
        if (inner == 1) {
            VMath.exp(x, xb, 0f, 1f, -stats[0], e, eb, r);
            stats[1] = Reduce.row(ReduceOp.SUM, e, eb, r);
        } else {
            broadcastRows(BinaryOp.SUB, x, xb, stats, 0, r, inner, e, eb);
            VMath.exp(e, eb, 0f, 1f, 0f, e, eb, r * inner);
            Reduce.columns(ReduceOp.SUM, e, eb, r, inner, inner, stats, inner);
        }
        switch (mode) {
            case SOFTMAX -> {
                for (int k = 0; k < inner; k++) {
                    stats[inner + k] = 1f / stats[inner + k];
                }
                broadcastRows(BinaryOp.MUL, e, eb, stats, inner, r, inner, out, ob);
            }
            case LOG_SOFTMAX, LOGSUMEXP -> {
                for (int k = 0; k < inner; k++) {
                    stats[k] += (float) Math.log(stats[inner + k]); // shift = max + log(sum)
                }
                if (mode == Mode.LOGSUMEXP) {
                    System.arraycopy(stats, 0, out, ob, inner);
                } else {
                    broadcastRows(BinaryOp.SUB, x, xb, stats, 0, r, inner, out, ob);
                }
            }
        }
    }

    /**
     * {@code out[j, k] = a[j, k] op stats[so + k]} over an [r, inner] block; with inner == 1 the
     * block is one contiguous row against one scalar, run as a single vector pass.
     */
    private static void broadcastRows(BinaryOp op, float[] a, int ab, float[] stats, int so, int r, int inner,
                                      float[] out, int ob) {
        if (inner == 1) {
            Binary.row(op, a, ab, 1, stats, so, 0, out, ob, r);
            return;
        }
        for (int j = 0; j < r; j++) {
            Binary.row(op, a, ab + j * inner, 1, stats, so, 1, out, ob + j * inner, inner);
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
            float[] s = new float[inner];
            for (int o = lo; o < hi; o++) {
                int b = o * r * inner;
                // s = sum over the axis of g (log-softmax) or of g*y (softmax), per column
                if (inner == 1) {
                    s[0] = log ? Reduce.row(ReduceOp.SUM, g, gOff + b, r) : dot(g, gOff + b, y, yOff + b, r);
                } else if (log) {
                    Reduce.columns(ReduceOp.SUM, g, gOff + b, r, inner, inner, s, 0);
                } else {
                    java.util.Arrays.fill(s, 0f);
                    for (int j = 0; j < r; j++) {
                        int at = b + j * inner;
                        for (int k = 0; k < inner; k += L) {
                            VectorMask<Float> m = S.indexInRange(k, inner);
                            FloatVector.fromArray(S, g, gOff + at + k, m)
                                    .fma(FloatVector.fromArray(S, y, yOff + at + k, m), FloatVector.fromArray(S, s, k, m))
                                    .intoArray(s, k, m);
                        }
                    }
                }
                if (log) {
                    VMath.exp(y, yOff + b, 0f, 1f, 0f, gx, oOff + b, r * inner); // gx = softmax = e^y
                }
                // with inner == 1 the block is one contiguous row of r against the scalar s[0]
                int rows = inner == 1 ? 1 : r;
                int width = inner == 1 ? r : inner;
                for (int j = 0; j < rows; j++) {
                    int at = b + j * width;
                    for (int k = 0; k < width; k += L) {
                        VectorMask<Float> m = S.indexInRange(k, width);
                        FloatVector gv = FloatVector.fromArray(S, g, gOff + at + k, m);
                        FloatVector sv = inner == 1 ? FloatVector.broadcast(S, s[0]) : FloatVector.fromArray(S, s, k, m);
                        FloatVector res = log
                                ? gv.sub(FloatVector.fromArray(S, gx, oOff + at + k, m).mul(sv))
                                : FloatVector.fromArray(S, y, yOff + at + k, m).mul(gv.sub(sv));
                        res.intoArray(gx, oOff + at + k, m);
                    }
                }
            }
        });
    }

    /** Sum of a[i]*b[i] over n contiguous elements. */
    private static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        }
        float sum = Lanes.sum(acc);
        for (; i < n; i++) {
            sum = Math.fma(a[ao + i], b[bo + i], sum);
        }
        return sum;
    }
}
