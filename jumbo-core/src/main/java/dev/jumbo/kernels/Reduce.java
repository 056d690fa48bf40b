package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions over the middle axis of a contiguous {@code [outer, r, inner]} block: with
 * {@code inner == 1} each output is a contiguous row (vector lanes along the row, combined at the
 * end); with {@code inner > 1} rows are folded into {@code inner} lanes at once. So any axis (or
 * run of adjacent axes) of a contiguous tensor is reduced without a transposed copy.
 *
 * <p>Deterministic: every output is folded in a fixed order, and a long single row is cut into
 * blocks of fixed size (independent of the thread count) whose partial sums combine in order.
 *
 * <pre>{@code
 * Reduce.reduce(ReduceOp.SUM, x, 0, rows, cols, 1, rowSums, 0);   // sum of each row
 * Reduce.reduce(ReduceOp.SUM, x, 0, 1, rows, cols, colSums, 0);   // sum of each column
 * }</pre>
 */
public final class Reduce {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int GRAIN = 1 << 15;
    /** Fixed block of a single long reduction; the partition never depends on the thread count. */
    static final int BLOCK = 1 << 14;

    private Reduce() {}

    /** {@code out[o*inner + k] = fold_j x[((o*r) + j)*inner + k]} for all o, k. */
    public static void reduce(ReduceOp op, float[] x, int xOff, int outer, int r, int inner, float[] out, int oOff) {
        if (inner == 1 && outer == 1 && r > BLOCK) {
            int blocks = (r + BLOCK - 1) / BLOCK;
            float[] partial = new float[blocks];
            Parallel.forRange(0, blocks, 1, (lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    int from = b * BLOCK;
                    partial[b] = row(op, x, xOff + from, Math.min(BLOCK, r - from));
                }
            });
            ReduceOp combine = op == ReduceOp.SUM_SQUARES ? ReduceOp.SUM : op;
            float acc = combine.identity();
            for (float v : partial) {
                acc = combine.fold(acc, v);
            }
            out[oOff] = acc;
            return;
        }
        long work = (long) outer * r * inner;
        int grain = (int) Math.max(1, GRAIN / Math.max(1, work / Math.max(1, outer)));
        if (inner == 1) {
            Parallel.forRange(0, outer, grain, (lo, hi) -> {
                for (int o = lo; o < hi; o++) {
                    out[oOff + o] = row(op, x, xOff + o * r, r);
                }
            });
        } else if (outer >= Parallel.threads() * 4 || (long) r * inner < GRAIN) {
            Parallel.forRange(0, outer, grain, (lo, hi) -> {
                for (int o = lo; o < hi; o++) {
                    columns(op, x, xOff + o * r * inner, r, inner, inner, out, oOff + o * inner);
                }
            });
        } else {
            // few outer blocks (e.g. a column sum of one big matrix): split the columns instead;
            // each column folds in the same order either way, so the split does not change bits
            Parallel.forRange(0, inner, Math.max(L, GRAIN / r), (lo, hi) -> {
                for (int o = 0; o < outer; o++) {
                    columns(op, x, xOff + o * r * inner + lo, r, inner, hi - lo, out, oOff + o * inner + lo);
                }
            });
        }
    }

    /**
     * Folds {@code n} contiguous elements: two vector accumulators, then the scalar tail. The switch
     * on the op sits inside the loop (C2 merges the vectors through it without boxing); a helper
     * method returning a vector would be boxed once compiled on its own.
     */
    static float row(ReduceOp op, float[] x, int off, int n) {
        float id = op.identity();
        FloatVector acc0 = FloatVector.broadcast(S, id);
        FloatVector acc1 = FloatVector.broadcast(S, id);
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            FloatVector v0 = FloatVector.fromArray(S, x, off + i);
            FloatVector v1 = FloatVector.fromArray(S, x, off + i + L);
            switch (op) {
                case SUM -> {
                    acc0 = acc0.add(v0);
                    acc1 = acc1.add(v1);
                }
                case SUM_SQUARES -> {
                    acc0 = v0.fma(v0, acc0);
                    acc1 = v1.fma(v1, acc1);
                }
                case MAX -> {
                    acc0 = acc0.max(v0);
                    acc1 = acc1.max(v1);
                }
                case MIN -> {
                    acc0 = acc0.min(v0);
                    acc1 = acc1.min(v1);
                }
            }
        }
        float r = switch (op) {
            case SUM, SUM_SQUARES -> Lanes.sum(acc0.add(acc1));
            case MAX -> nanOr(acc0.max(acc1), acc0.max(acc1).reduceLanes(VectorOperators.MAX));
            case MIN -> nanOr(acc0.min(acc1), acc0.min(acc1).reduceLanes(VectorOperators.MIN));
        };
        for (; i < n; i++) {
            r = op.fold(r, x[off + i]);
        }
        return r;
    }

    /**
     * {@code out[k] = fold_j x[j*stride + k]} for {@code k < count}, vectorized along k. Each lane
     * folds in the same order as the scalar tail, with the same rounding, so a column's result does
     * not depend on whether it ran in a vector lane or in the tail.
     */
    static void columns(ReduceOp op, float[] x, int off, int r, int stride, int count, float[] out, int oOff) {
        float id = op.identity();
        int k = 0;
        for (int bound = S.loopBound(count); k < bound; k += L) {
            FloatVector acc = FloatVector.broadcast(S, id);
            for (int j = 0; j < r; j++) {
                FloatVector v = FloatVector.fromArray(S, x, off + j * stride + k);
                switch (op) {
                    case SUM -> acc = acc.add(v);
                    case SUM_SQUARES -> acc = v.fma(v, acc);
                    case MAX -> acc = acc.max(v);
                    case MIN -> acc = acc.min(v);
                }
            }
            acc.intoArray(out, oOff + k);
        }
        for (; k < count; k++) {
            float acc = id;
            for (int j = 0; j < r; j++) {
                acc = op.fold(acc, x[off + j * stride + k]);
            }
            out[oOff + k] = acc;
        }
    }

    /** Lane reductions of MAX/MIN need not propagate NaN; make sure they do. */
    private static float nanOr(FloatVector acc, float v) {
        return acc.test(VectorOperators.IS_NAN).anyTrue() ? Float.NaN : v;
    }

    /**
     * Index of the max (or min) along the middle axis of {@code [outer, r, inner]}, written as int
     * into {@code idx} and the value into {@code val} (may be null). Ties go to the first index; a
     * NaN wins over every number (as in PyTorch), the first NaN over later ones.
     */
    public static void argReduce(boolean max, float[] x, int xOff, int outer, int r, int inner,
                                 float[] val, int[] idx) {
        int grain = Math.max(1, GRAIN / Math.max(1, r * inner));
        Parallel.forRange(0, outer, grain, (lo, hi) -> {
            for (int o = lo; o < hi; o++) {
                int base = xOff + o * r * inner;
                for (int k = 0; k < inner; k++) {
                    float best = x[base + k];
                    int bi = 0;
                    for (int j = 1; j < r && best == best; j++) {
                        float v = x[base + j * inner + k];
                        if (max ? v > best : v < best) {
                            best = v;
                            bi = j;
                        } else if (v != v) {
                            best = v;
                            bi = j;
                        }
                    }
                    idx[o * inner + k] = bi;
                    if (val != null) {
                        val[o * inner + k] = best;
                    }
                }
            }
        });
    }
}
