package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Loss kernels over plain arrays. Cross-entropy works on logits laid out as {@code [outer, C, inner]}
 * (C classes along the middle axis; {@code inner = 1} for the usual {@code [N, C]}), one row per
 * {@code (outer, inner)} pair. Every row's target is a distribution q over the classes:
 *
 * <ul>
 *   <li>class index t: {@code q_c = (1-s) w_t [c == t] + (s/C) w_c} (PyTorch's label smoothing
 *       mixed with the weights), nothing for {@code t == ignoreIndex};
 *   <li>probabilities y: {@code q_c = ((1-s) y_c + s/C) w_c}.
 * </ul>
 *
 * The row's loss is {@code sum_c q_c (lse - x_c) = Q lse - sum_c q_c x_c} with {@code Q = sum_c q_c}
 * and {@code lse} the log-sum-exp of the row, and its gradient is {@code Q softmax(x) - q}. The
 * forward needs one log-sum-exp pass over the logits and no [N,C] temporary; the backward one pass
 * that writes the gradient. Weights {@code w} may be {@code null} (all ones). Exponentials use
 * {@link ExactVectorMath}, so the bits do not change when the JIT compiles these loops.
 *
 * <pre>{@code
 * LossKernels.crossEntropyForward(x, 0, n, c, 1, targets, 0, null, null, 0, -100, 0f, lse, loss);
 * }</pre>
 */
public final class LossKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int GRAIN = 1 << 14;

    private LossKernels() {}

    /**
     * Per-row cross-entropy: fills {@code lse[rows]} (kept for the backward) and {@code loss[rows]}
     * (0 for ignored rows). Class targets come from {@code t} (then {@code y} is {@code null}),
     * probabilities from {@code y} laid out like {@code x}. Targets must already be range-checked.
     */
    public static void crossEntropyForward(float[] x, int xOff, int outer, int c, int inner, int[] t, int tOff,
                                           float[] y, int yOff, float[] w, int ignoreIndex, float smoothing,
                                           float[] lse, float[] loss) {
        int rows = outer * inner;
        float wSum = weightSum(w, c);
        Parallel.forRange(0, rows, Math.max(1, GRAIN / c), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int base = xOff + (r / inner) * c * inner + r % inner;
                lse[r] = logSumExp(x, base, c, inner);
                if (t != null) {
                    int target = t[tOff + r];
                    if (target == ignoreIndex) {
                        loss[r] = 0f;
                        continue;
                    }
                    double wt = w == null ? 1 : w[target];
                    double l = (1 - smoothing) * wt * (lse[r] - x[base + target * inner]);
                    if (smoothing != 0f) {
                        double qx = 0;
                        for (int k = 0; k < c; k++) {
                            qx += (w == null ? 1 : w[k]) * (double) x[base + k * inner];
                        }
                        l += smoothing / c * (wSum * (double) lse[r] - qx);
                    }
                    loss[r] = (float) l;
                } else {
                    int yb = yOff + (base - xOff);
                    double q = 0;
                    double qx = 0;
                    for (int k = 0; k < c; k++) {
                        double qk = ((1 - smoothing) * (double) y[yb + k * inner] + smoothing / c)
                                * (w == null ? 1 : w[k]);
                        q += qk;
                        qx += qk * x[base + k * inner];
                    }
                    loss[r] = (float) (q * lse[r] - qx);
                }
            }
        });
    }

    /**
     * Gradient of the per-row losses: {@code gx = g_r (Q softmax(x) - q)} for row r, with
     * {@code g[rows]} the upstream gradient of each row's loss; ignored rows get zeros. Arguments as
     * in {@link #crossEntropyForward}; {@code gx} is laid out like {@code x} from offset 0.
     */
    public static void crossEntropyBackward(float[] x, int xOff, int outer, int c, int inner, int[] t, int tOff,
                                            float[] y, int yOff, float[] w, int ignoreIndex, float smoothing,
                                            float[] lse, float[] g, float[] gx) {
        int rows = outer * inner;
        float wSum = weightSum(w, c);
        Parallel.forRange(0, rows, Math.max(1, GRAIN / c), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int rel = (r / inner) * c * inner + r % inner;
                int base = xOff + rel;
                float gr = g[r];
                if (t != null) {
                    int target = t[tOff + r];
                    if (target == ignoreIndex) {
                        for (int k = 0; k < c; k++) {
                            gx[rel + k * inner] = 0f;
                        }
                        continue;
                    }
                    float wt = w == null ? 1f : w[target];
                    float q = (1 - smoothing) * wt + smoothing / c * wSum;
                    scaledSoftmax(x, base, c, inner, lse[r], gr * q, gx, rel);
                    if (smoothing != 0f) {
                        float s = gr * smoothing / c;
                        for (int k = 0; k < c; k++) {
                            gx[rel + k * inner] -= s * (w == null ? 1f : w[k]);
                        }
                    }
                    gx[rel + target * inner] -= gr * (1 - smoothing) * wt;
                } else {
                    int yb = yOff + rel;
                    float q = 0f;
                    for (int k = 0; k < c; k++) {
                        q += ((1 - smoothing) * y[yb + k * inner] + smoothing / c) * (w == null ? 1f : w[k]);
                    }
                    scaledSoftmax(x, base, c, inner, lse[r], gr * q, gx, rel);
                    for (int k = 0; k < c; k++) {
                        gx[rel + k * inner] -= gr * ((1 - smoothing) * y[yb + k * inner] + smoothing / c)
                                * (w == null ? 1f : w[k]);
                    }
                }
            }
        });
    }

    /**
     * Log-sum-exp of one row (stride {@code inner}), max-shifted. Uses {@link ExactVectorMath} and
     * scalar {@code Math.exp}/{@code Math.log}, whose bits do not change once the JIT compiles the loop.
     */
    static float logSumExp(float[] x, int base, int c, int inner) {
        if (inner != 1) {
            float m = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                m = Math.max(m, x[base + k * inner]);
            }
            float shift = m == Float.NEGATIVE_INFINITY ? 0f : m;
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += (float) Math.exp(x[base + k * inner] - shift);
            }
            return shift + (float) Math.log(sum);
        }
        int bound = S.loopBound(c);
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int k = 0;
        for (; k < bound; k += L) {
            mv = mv.max(FloatVector.fromArray(S, x, base + k));
        }
        float m = mv.reduceLanes(VectorOperators.MAX); // max is exact in any order
        for (; k < c; k++) {
            m = Math.max(m, x[base + k]);
        }
        float shift = m == Float.NEGATIVE_INFINITY ? 0f : m; // all -inf: exp gives zeros, not NaN
        FloatVector acc = FloatVector.zero(S);
        for (k = 0; k < bound; k += L) {
            acc = acc.add(ExactVectorMath.exp(FloatVector.fromArray(S, x, base + k).sub(shift)));
        }
        double sum = ExactVectorMath.sumLanes(acc);
        for (; k < c; k++) {
            sum += (float) Math.exp(x[base + k] - shift);
        }
        return shift + (float) Math.log(sum);
    }

    /** Writes {@code a * exp(x_k - lse)} for the row's c elements (stride {@code inner}). */
    private static void scaledSoftmax(float[] x, int base, int c, int inner, float lse, float a, float[] out, int ob) {
        if (inner != 1) {
            for (int k = 0; k < c; k++) {
                out[ob + k * inner] = a * (float) Math.exp(x[base + k * inner] - lse);
            }
            return;
        }
        int k = 0;
        for (int bound = S.loopBound(c); k < bound; k += L) {
            ExactVectorMath.exp(FloatVector.fromArray(S, x, base + k).sub(lse)).mul(a).intoArray(out, ob + k);
        }
        for (; k < c; k++) {
            out[ob + k] = a * (float) Math.exp(x[base + k] - lse);
        }
    }

    private static float weightSum(float[] w, int c) {
        if (w == null) {
            return c;
        }
        float s = 0f;
        for (int k = 0; k < c; k++) {
            s += w[k];
        }
        return s;
    }

    /**
     * Binary cross-entropy with logits, elementwise and stable for any x:
     * {@code (1-y) x + lw (log(1 + exp(-|x|)) + max(-x, 0))} with {@code lw = 1 + (pw-1) y};
     * {@code pw} (pos_weight, laid out like x) may be {@code null}.
     */
    public static void bceWithLogits(float[] x, float[] y, float[] pw, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            float xi = x[i];
            float lw = pw == null ? 1f : 1f + (pw[i] - 1f) * y[i];
            out[i] = (1f - y[i]) * xi + lw * softplusNeg(xi);
        }
    }

    /**
     * Gradients of {@link #bceWithLogits}: {@code gx = g ((1-y) - lw sigmoid(-x))} and, when
     * {@code gy != null}, {@code gy = g ((pw-1) softplus(-x) - x)}.
     */
    public static void bceWithLogitsBackward(float[] x, float[] y, float[] pw, float[] g, float[] gx, float[] gy, int n) {
        for (int i = 0; i < n; i++) {
            float xi = x[i];
            float pwi = pw == null ? 1f : pw[i];
            float lw = 1f + (pwi - 1f) * y[i];
            float sigNeg = 1f / (1f + (float) Math.exp(xi)); // sigmoid(-x)
            if (gx != null) {
                gx[i] = g[i] * ((1f - y[i]) - lw * sigNeg);
            }
            if (gy != null) {
                gy[i] = g[i] * ((pwi - 1f) * softplusNeg(xi) - xi);
            }
        }
    }

    /** {@code log(1 + exp(-x))} without overflow. */
    private static float softplusNeg(float x) {
        return (float) (Math.max(-x, 0f) + Math.log1p(Math.exp(-Math.abs(x))));
    }

    /**
     * Kullback-Leibler divergence, elementwise, with x = log q: {@code y (log y - x)} (0 where
     * {@code y == 0}, as {@code xlogy}) or, with {@code logTarget}, {@code exp(y) (y - x)}.
     */
    public static void klDiv(float[] x, float[] y, boolean logTarget, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            float yi = y[i];
            if (logTarget) {
                out[i] = (float) Math.exp(yi) * (yi - x[i]);
            } else {
                float xlogy = yi == 0f ? 0f : yi * (float) Math.log(yi);
                out[i] = xlogy - yi * x[i];
            }
        }
    }

    /**
     * Gradients of {@link #klDiv}: {@code gx = -g p} with p the target probability and, when
     * {@code gy != null}, {@code gy = g (log y + 1 - x)} ({@code g exp(y) (y - x + 1)} for log targets).
     */
    public static void klDivBackward(float[] x, float[] y, boolean logTarget, float[] g, float[] gx, float[] gy, int n) {
        for (int i = 0; i < n; i++) {
            float yi = y[i];
            float p = logTarget ? (float) Math.exp(yi) : yi;
            if (gx != null) {
                gx[i] = -g[i] * p;
            }
            if (gy != null) {
                gy[i] = logTarget ? g[i] * p * (yi - x[i] + 1f) : g[i] * ((float) Math.log(yi) + 1f - x[i]);
            }
        }
    }

    /** Negative log-likelihood per row: {@code loss_r = -w_t x[t]} (0 for ignored rows); layout as cross-entropy. */
    public static void nllForward(float[] x, int xOff, int outer, int c, int inner, int[] t, int tOff, float[] w,
                                  int ignoreIndex, float[] loss) {
        for (int r = 0, rows = outer * inner; r < rows; r++) {
            int target = t[tOff + r];
            int base = xOff + (r / inner) * c * inner + r % inner;
            loss[r] = target == ignoreIndex ? 0f : -(w == null ? 1f : w[target]) * x[base + target * inner];
        }
    }

    /** Gradient of {@link #nllForward}: {@code gx[t] = -g_r w_t}, zeros elsewhere ({@code gx} must start zeroed). */
    public static void nllBackward(int outer, int c, int inner, int[] t, int tOff, float[] w, int ignoreIndex,
                                   float[] g, float[] gx) {
        for (int r = 0, rows = outer * inner; r < rows; r++) {
            int target = t[tOff + r];
            if (target != ignoreIndex) {
                gx[(r / inner) * c * inner + r % inner + target * inner] = -g[r] * (w == null ? 1f : w[target]);
            }
        }
    }
}
