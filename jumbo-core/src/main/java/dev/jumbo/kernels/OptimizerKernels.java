package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * In-place parameter updates of the optimizers (SGD, Adam/AdamW, RMSprop) and the gradient
 * clipping reductions, over plain arrays. Each update follows PyTorch's single-tensor algorithm in
 * the same order of operations; the scalars that depend on the step (bias corrections) are computed
 * once by the caller-facing method, in double, and enter the loop as floats.
 *
 * <p>Updates are elementwise, so they split over {@link Parallel} for large parameters without
 * changing a single bit; the norms combine fixed blocks in order (deterministic for any thread
 * count). Nothing is allocated per call apart from the parallel region's small job object.
 *
 * <pre>{@code
 * OptimizerKernels.adam(p, 0, g, 0, m, v, null, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, step);
 * }</pre>
 */
public final class OptimizerKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Elements per parallel chunk: below this an update runs on the calling thread. */
    static final int GRAIN = 1 << 16;
    /** Block of the sum-of-squares reduction: float lanes within a block, double across blocks. */
    static final int BLOCK = 1 << 12;

    private OptimizerKernels() {}

    /**
     * SGD with momentum, dampening, Nesterov and (coupled) weight decay, PyTorch's order:
     * {@code d = g + wd*p; buf = first ? d : momentum*buf + (1-dampening)*d;
     * d = nesterov ? d + momentum*buf : buf; p -= lr*d}. With {@code momentum == 0} {@code buf}
     * may be {@code null} and is not touched.
     */
    public static void sgd(float[] p, int pOff, float[] g, int gOff, float[] buf, int n, float lr, float momentum,
                           float dampening, float wd, boolean nesterov, boolean firstStep) {
        if (n < 2 * GRAIN) { // one chunk: call directly, so small updates allocate no lambda
            sgdRange(p, pOff, g, gOff, buf, 0, n, lr, momentum, dampening, wd, nesterov, firstStep);
            return;
        }
        Parallel.forRange(0, n, GRAIN, (lo, hi) ->
                sgdRange(p, pOff, g, gOff, buf, lo, hi, lr, momentum, dampening, wd, nesterov, firstStep));
    }

    private static void sgdRange(float[] p, int pOff, float[] g, int gOff, float[] buf, int lo, int hi, float lr,
                                 float momentum, float dampening, float wd, boolean nesterov, boolean first) {
        boolean mom = momentum != 0f;
        float keep = 1f - dampening;
        int i = lo;
        for (int bound = lo + S.loopBound(hi - lo); i < bound; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, pOff + i);
            FloatVector d = FloatVector.fromArray(S, g, gOff + i);
            if (wd != 0f) {
                d = d.add(pv.mul(wd));
            }
            if (mom) {
                FloatVector b = first ? d : FloatVector.fromArray(S, buf, i).mul(momentum).add(d.mul(keep));
                b.intoArray(buf, i);
                d = nesterov ? d.add(b.mul(momentum)) : b;
            }
            pv.sub(d.mul(lr)).intoArray(p, pOff + i);
        }
        for (; i < hi; i++) {
            float d = g[gOff + i];
            if (wd != 0f) {
                d = d + p[pOff + i] * wd;
            }
            if (mom) {
                float b = first ? d : buf[i] * momentum + d * keep;
                buf[i] = b;
                d = nesterov ? d + b * momentum : b;
            }
            p[pOff + i] = p[pOff + i] - d * lr;
        }
    }

    /**
     * Adam / AdamW step number {@code step} (1-based). {@code decoupled} selects AdamW's weight
     * decay ({@code p *= 1 - lr*wd} before the update) instead of Adam's ({@code g += wd*p}).
     * {@code vMax} (AMSGrad's running maximum of v) may be {@code null}. State arrays start at 0.
     */
    public static void adam(float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, float[] vMax, int n,
                            float lr, float beta1, float beta2, float eps, float wd, boolean decoupled, int step) {
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        float stepSize = (float) (lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float decay = decoupled ? 1f - lr * wd : 1f;
        float coupled = decoupled ? 0f : wd;
        if (n < 2 * GRAIN) {
            adamRange(p, pOff, g, gOff, m, v, vMax, 0, n, beta1, beta2, eps, coupled, decay, stepSize, bc2Sqrt);
            return;
        }
        Parallel.forRange(0, n, GRAIN, (lo, hi) -> adamRange(p, pOff, g, gOff, m, v, vMax, lo, hi,
                beta1, beta2, eps, coupled, decay, stepSize, bc2Sqrt));
    }

    private static void adamRange(float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, float[] vMax,
                                  int lo, int hi, float beta1, float beta2, float eps, float wd, float decay,
                                  float stepSize, float bc2Sqrt) {
        float a1 = 1f - beta1;
        float a2 = 1f - beta2;
        int i = lo;
        for (int bound = lo + S.loopBound(hi - lo); i < bound; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, pOff + i);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            if (wd != 0f) {
                gv = gv.add(pv.mul(wd));
            }
            if (decay != 1f) {
                pv = pv.mul(decay);
            }
            FloatVector mv = FloatVector.fromArray(S, m, i);
            mv = mv.add(gv.sub(mv).mul(a1)); // lerp(m, g, 1 - beta1)
            FloatVector vv = FloatVector.fromArray(S, v, i).mul(beta2).add(gv.mul(gv).mul(a2));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            if (vMax != null) {
                vv = FloatVector.fromArray(S, vMax, i).max(vv);
                vv.intoArray(vMax, i);
            }
            FloatVector denom = vv.lanewise(VectorOperators.SQRT).div(bc2Sqrt).add(eps);
            pv.sub(mv.div(denom).mul(stepSize)).intoArray(p, pOff + i);
        }
        for (; i < hi; i++) {
            float pv = p[pOff + i];
            float gv = g[gOff + i];
            if (wd != 0f) {
                gv = gv + pv * wd;
            }
            if (decay != 1f) {
                pv = pv * decay;
            }
            float mv = m[i] + (gv - m[i]) * a1;
            float vv = v[i] * beta2 + gv * gv * a2;
            m[i] = mv;
            v[i] = vv;
            if (vMax != null) {
                vv = Math.max(vMax[i], vv);
                vMax[i] = vv;
            }
            float denom = (float) Math.sqrt(vv) / bc2Sqrt + eps;
            p[pOff + i] = pv - mv / denom * stepSize;
        }
    }

    /**
     * RMSprop, PyTorch's order: {@code g += wd*p; sq = alpha*sq + (1-alpha)*g*g;} centered:
     * {@code ga = lerp(ga, g, 1-alpha); avg = sqrt(sq - ga*ga) + eps}, else {@code sqrt(sq) + eps};
     * with momentum {@code buf = momentum*buf + g/avg; p -= lr*buf}, else {@code p -= lr*g/avg}.
     * {@code gradAvg} is {@code null} unless centered, {@code buf} unless momentum > 0.
     */
    public static void rmsprop(float[] p, int pOff, float[] g, int gOff, float[] squareAvg, float[] gradAvg,
                               float[] buf, int n, float lr, float alpha, float eps, float wd, float momentum) {
        if (n < 2 * GRAIN) {
            rmspropRange(p, pOff, g, gOff, squareAvg, gradAvg, buf, 0, n, lr, alpha, eps, wd, momentum);
            return;
        }
        Parallel.forRange(0, n, GRAIN, (lo, hi) ->
                rmspropRange(p, pOff, g, gOff, squareAvg, gradAvg, buf, lo, hi, lr, alpha, eps, wd, momentum));
    }

    private static void rmspropRange(float[] p, int pOff, float[] g, int gOff, float[] sq, float[] ga, float[] buf,
                                     int lo, int hi, float lr, float alpha, float eps, float wd, float momentum) {
        float a = 1f - alpha;
        boolean mom = momentum > 0f;
        int i = lo;
        for (int bound = lo + S.loopBound(hi - lo); i < bound; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, pOff + i);
            FloatVector gv = FloatVector.fromArray(S, g, gOff + i);
            if (wd != 0f) {
                gv = gv.add(pv.mul(wd));
            }
            FloatVector s = FloatVector.fromArray(S, sq, i).mul(alpha).add(gv.mul(gv).mul(a));
            s.intoArray(sq, i);
            FloatVector avg;
            if (ga != null) {
                FloatVector gav = FloatVector.fromArray(S, ga, i);
                gav = gav.add(gv.sub(gav).mul(a));
                gav.intoArray(ga, i);
                avg = s.sub(gav.mul(gav)).lanewise(VectorOperators.SQRT).add(eps);
            } else {
                avg = s.lanewise(VectorOperators.SQRT).add(eps);
            }
            FloatVector upd = gv.div(avg);
            if (mom) {
                upd = FloatVector.fromArray(S, buf, i).mul(momentum).add(upd);
                upd.intoArray(buf, i);
            }
            pv.sub(upd.mul(lr)).intoArray(p, pOff + i);
        }
        for (; i < hi; i++) {
            float pv = p[pOff + i];
            float gv = g[gOff + i];
            if (wd != 0f) {
                gv = gv + pv * wd;
            }
            float s = sq[i] * alpha + gv * gv * a;
            sq[i] = s;
            float avg;
            if (ga != null) {
                float gav = ga[i] + (gv - ga[i]) * a;
                ga[i] = gav;
                avg = (float) Math.sqrt(s - gav * gav) + eps;
            } else {
                avg = (float) Math.sqrt(s) + eps;
            }
            float upd = gv / avg;
            if (mom) {
                upd = buf[i] * momentum + upd;
                buf[i] = upd;
            }
            p[pOff + i] = pv - upd * lr;
        }
    }

    /** Sum of squares of {@code x[off, off+n)}: float lanes within blocks of 4096, blocks summed in double. */
    public static double sumSquares(float[] x, int off, int n) {
        double total = 0;
        for (int b = 0; b < n; b += BLOCK) {
            int end = Math.min(n, b + BLOCK);
            FloatVector acc = FloatVector.zero(S);
            int i = b;
            for (int bound = b + S.loopBound(end - b); i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, off + i);
                acc = v.fma(v, acc);
            }
            double s = ExactVectorMath.sumLanes(acc); // lane order: the same bits in every JIT tier
            for (; i < end; i++) {
                s += (double) x[off + i] * x[off + i];
            }
            total += s;
        }
        return total;
    }

    /** Largest absolute value of {@code x[off, off+n)} (NaN if any element is NaN), 0 when empty. */
    public static float maxAbs(float[] x, int off, int n) {
        float m = 0f;
        for (int i = 0; i < n; i++) {
            float a = Math.abs(x[off + i]);
            if (!(a <= m)) {
                m = a;
            }
        }
        return m;
    }

    /** {@code x *= s} in place. */
    public static void scale(float[] x, int off, int n, float s) {
        Parallel.forRange(0, n, GRAIN, (lo, hi) -> {
            int i = lo;
            for (int bound = lo + S.loopBound(hi - lo); i < bound; i += L) {
                FloatVector.fromArray(S, x, off + i).mul(s).intoArray(x, off + i);
            }
            for (; i < hi; i++) {
                x[off + i] *= s;
            }
        });
    }

    /** Clamps {@code x} into {@code [lo, hi]} in place (NaN stays NaN). */
    public static void clamp(float[] x, int off, int n, float lo, float hi) {
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            x[off + i] = v < lo ? lo : v > hi ? hi : v;
        }
    }
}
