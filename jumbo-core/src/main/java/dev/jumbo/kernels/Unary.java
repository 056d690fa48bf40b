package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One parameterized kernel for every {@link UnaryOp}, forward and backward, over contiguous arrays.
 *
 * <p>exp, tanh, erf and log come from {@link VMath}: whole-array passes in plain vector
 * arithmetic, so results never depend on JIT state (the Vector API's SVML ops do) and no
 * vector-returning helper needs inlining. Ops built on them (sigmoid, silu, gelu) run that pass
 * into the output first and combine in the loop here. pow runs {@link Math#pow} per lane. The op is
 * switched on once per vector inside the loop, and each case stores its own result. The tail is
 * copied into a one-vector buffer and run through the same code, so every element gets the same
 * bits whatever its position or the thread count.
 *
 * <pre>{@code
 * Unary.apply(UnaryOp.GELU, 0, 0, x, 0, y, 0, n);
 * Unary.backward(UnaryOp.GELU, 0, 0, x, 0, y, 0, gy, 0, gx, 0, n);
 * }</pre>
 */
public final class Unary {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /**
     * Elements per parallel chunk. Measured here (2 cores, noisy): transcendental maps gain from a
     * second core from about 32K elements, memory-bound ones (relu, neg, ...) like add from ~128K.
     */
    static int grain(UnaryOp op) {
        return switch (op) {
            case RELU, LEAKY_RELU, ABS, NEG, SQUARE, CLAMP, SQRT -> 1 << 16;
            default -> 1 << 14;
        };
    }
    private static final float SQRT_2_OVER_PI = (float) UnaryOp.SQRT_2_OVER_PI;
    private static final float INV_SQRT_2PI = (float) UnaryOp.INV_SQRT_2PI;
    private static final float INV_SQRT_2 = (float) (1 / Math.sqrt(2));
    private static final float GELU_C = 0.044715f;

    private Unary() {}

    /** {@code out[oOff+i] = op(x[xOff+i])} with parameters p, q; parallel for large n. */
    public static void apply(UnaryOp op, float p, float q, float[] x, int xOff, float[] out, int oOff, int n) {
        Parallel.forRange(0, n, grain(op), (lo, hi) -> {
            int m = hi - lo;
            int bound = S.loopBound(m);
            forward(op, p, q, x, xOff + lo, out, oOff + lo, bound);
            if (bound < m) {
                float[] bx = new float[L];
                float[] bo = new float[L];
                System.arraycopy(x, xOff + lo + bound, bx, 0, m - bound);
                forward(op, p, q, bx, 0, bo, 0, L);
                System.arraycopy(bo, 0, out, oOff + lo + bound, m - bound);
            }
        });
    }

    /**
     * {@code gx = gy * op'(x)}; ops whose derivative is cheaper from the output read {@code y}
     * (exp, sqrt, rsqrt, tanh, sigmoid); the others ignore it (it may then be null).
     */
    public static void backward(UnaryOp op, float p, float q, float[] x, int xOff, float[] y, int yOff,
                                float[] gy, int gOff, float[] gx, int oOff, int n) {
        boolean useY = usesOutput(op);
        float[] v = useY ? y : x;
        int vOff = useY ? yOff : xOff;
        Parallel.forRange(0, n, grain(op), (lo, hi) -> {
            int m = hi - lo;
            int bound = S.loopBound(m);
            backward(op, p, q, v, vOff + lo, gy, gOff + lo, gx, oOff + lo, bound);
            if (bound < m) {
                float[] bv = new float[L];
                float[] bg = new float[L];
                float[] bo = new float[L];
                System.arraycopy(v, vOff + lo + bound, bv, 0, m - bound);
                System.arraycopy(gy, gOff + lo + bound, bg, 0, m - bound);
                backward(op, p, q, bv, 0, bg, 0, bo, 0, L);
                System.arraycopy(bo, 0, gx, oOff + lo + bound, m - bound);
            }
        });
    }

    /** Whether the backward of {@code op} reads the forward output instead of the input. */
    public static boolean usesOutput(UnaryOp op) {
        return switch (op) {
            case EXP, SQRT, RSQRT, TANH, SIGMOID -> true;
            default -> false;
        };
    }

    /** Forward over {@code n} elements, n a multiple of the vector length. */
    private static void forward(UnaryOp op, float p, float q, float[] x, int xOff, float[] out, int oOff, int n) {
        // transcendental parts run first as whole-array passes into out; the loop below combines
        switch (op) {
            case EXP -> {
                VMath.exp(x, xOff, 0f, 1f, 0f, out, oOff, n);
                return;
            }
            case LOG -> {
                VMath.log(x, xOff, out, oOff, n);
                return;
            }
            case TANH -> {
                VMath.tanh(x, xOff, 1f, out, oOff, n);
                return;
            }
            case SIGMOID, SILU -> VMath.exp(x, xOff, 0f, -1f, 0f, out, oOff, n); // out = e^-x
            case GELU -> Erf.erf(x, xOff, INV_SQRT_2, out, oOff, n); // out = erf(x/√2)
            case GELU_TANH -> geluTanhInner(x, xOff, out, oOff, n); // out = tanh(√(2/π)(x + 0.044715x³))
            default -> { }
        }
        for (int i = 0; i < n; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            int o = oOff + i;
            switch (op) {
                case EXP, LOG, TANH -> throw new IllegalStateException(op + " ran as a whole-array pass");
                case SQRT -> v.sqrt().intoArray(out, o);
                case RSQRT -> FloatVector.broadcast(S, 1f).div(v.sqrt()).intoArray(out, o);
                case SIGMOID -> FloatVector.broadcast(S, 1f).div(FloatVector.fromArray(S, out, o).add(1f)).intoArray(out, o);
                case RELU -> v.max(0f).intoArray(out, o);
                case LEAKY_RELU -> v.blend(v.mul(p), v.compare(VectorOperators.LE, 0f)).intoArray(out, o);
                case GELU -> v.mul(0.5f).mul(FloatVector.fromArray(S, out, o).add(1f)).intoArray(out, o);
                case GELU_TANH -> v.mul(0.5f).mul(FloatVector.fromArray(S, out, o).add(1f)).intoArray(out, o);
                case SILU -> v.div(FloatVector.fromArray(S, out, o).add(1f)).intoArray(out, o);
                case ABS -> v.abs().intoArray(out, o);
                case NEG -> v.neg().intoArray(out, o);
                case SQUARE -> v.mul(v).intoArray(out, o);
                case POW -> {
                    for (int j = 0; j < L; j++) { // Math.pow per lane: SVML's pow is JIT-state dependent
                        out[o + j] = (float) Math.pow(x[xOff + i + j], p);
                    }
                }
                case CLAMP -> v.max(p).min(q).intoArray(out, o);
            }
        }
    }

    /** {@code out = tanh(√(2/π) (x + 0.044715 x³))}: the polynomial in place, then {@link VMath#tanh}. */
    private static void geluTanhInner(float[] x, int xOff, float[] out, int oOff, int n) {
        for (int i = 0; i < n; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.mul(v).mul(GELU_C).add(1f).mul(v).intoArray(out, oOff + i);
        }
        VMath.tanh(out, oOff, SQRT_2_OVER_PI, out, oOff, n);
    }

    /**
     * {@code gx = g * op'(v)} over {@code n} elements (a multiple of the vector length), where v is
     * the output y for {@link #usesOutput} ops and the input x otherwise.
     */
    private static void backward(UnaryOp op, float p, float q, float[] vs, int vOff, float[] gs, int gOff,
                                 float[] gx, int oOff, int n) {
        float[] aux = null; // a second whole-array pass for GELU: the normal density
        switch (op) {
            case SILU -> VMath.exp(vs, vOff, 0f, -1f, 0f, gx, oOff, n); // gx = e^-x
            case GELU -> {
                Erf.erf(vs, vOff, INV_SQRT_2, gx, oOff, n); // gx = erf(x/√2)
                aux = new float[n];
                VMath.exp(vs, vOff, -0.5f, 0f, 0f, aux, 0, n); // aux = e^{-x²/2}
            }
            case GELU_TANH -> geluTanhInner(vs, vOff, gx, oOff, n); // gx = tanh(...)
            default -> { }
        }
        for (int i = 0; i < n; i += L) {
            FloatVector v = FloatVector.fromArray(S, vs, vOff + i);
            FloatVector g = FloatVector.fromArray(S, gs, gOff + i);
            int o = oOff + i;
            switch (op) {
                case EXP -> g.mul(v).intoArray(gx, o);
                case LOG -> g.div(v).intoArray(gx, o);
                case SQRT -> g.mul(0.5f).div(v).intoArray(gx, o);
                case RSQRT -> g.mul(v.mul(v).mul(v).mul(-0.5f)).intoArray(gx, o);
                case TANH -> g.mul(v.mul(v).neg().add(1f)).intoArray(gx, o);
                case SIGMOID -> g.mul(v.mul(v.neg().add(1f))).intoArray(gx, o);
                case RELU -> FloatVector.zero(S).blend(g, v.compare(VectorOperators.GT, 0f)).intoArray(gx, o);
                case LEAKY_RELU -> g.mul(p).blend(g, v.compare(VectorOperators.GT, 0f)).intoArray(gx, o);
                case GELU -> {
                    FloatVector cdf = FloatVector.fromArray(S, gx, o).add(1f).mul(0.5f);
                    FloatVector pdf = FloatVector.fromArray(S, aux, i).mul(INV_SQRT_2PI);
                    g.mul(cdf.add(v.mul(pdf))).intoArray(gx, o);
                }
                case GELU_TANH -> {
                    FloatVector t = FloatVector.fromArray(S, gx, o);
                    FloatVector du = v.mul(v).mul(3 * GELU_C).add(1f).mul(SQRT_2_OVER_PI);
                    g.mul(t.add(1f).mul(0.5f).add(v.mul(0.5f).mul(t.mul(t).neg().add(1f)).mul(du))).intoArray(gx, o);
                }
                case SILU -> {
                    FloatVector s = FloatVector.broadcast(S, 1f).div(FloatVector.fromArray(S, gx, o).add(1f));
                    g.mul(s.mul(v.mul(s.neg().add(1f)).add(1f))).intoArray(gx, o);
                }
                case ABS -> FloatVector.zero(S).blend(g, v.compare(VectorOperators.GT, 0f))
                        .blend(g.neg(), v.compare(VectorOperators.LT, 0f)).intoArray(gx, o);
                case NEG -> g.neg().intoArray(gx, o);
                case SQUARE -> g.mul(v.add(v)).intoArray(gx, o);
                case POW -> {
                    for (int j = 0; j < L; j++) {
                        gx[o + j] = gs[gOff + i + j] * (p * (float) Math.pow(vs[vOff + i + j], p - 1));
                    }
                }
                case CLAMP -> FloatVector.zero(S).blend(g,
                        v.compare(VectorOperators.GE, p).and(v.compare(VectorOperators.LE, q))).intoArray(gx, o);
            }
        }
    }
}
