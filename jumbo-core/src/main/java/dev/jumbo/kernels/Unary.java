package dev.jumbo.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One parameterized kernel for every {@link UnaryOp}, forward and backward, over contiguous arrays.
 *
 * <p>Transcendentals use the Vector API's {@code EXP}/{@code LOG}/{@code TANH} (SVML on x86):
 * measured here at 0.33 ns/element for exp against 6.4 for {@link Math#exp}, 0.6 against 12.3 for
 * tanh. The op is switched on once per vector inside the loop, and each case stores its own result:
 * no vector crosses a method call or a merge point, which would make C2 box it. The tail is
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
        if (op == UnaryOp.GELU) {
            Erf.erfVectors(x, xOff, INV_SQRT_2, out, oOff, n); // out holds erf(x/√2) for the pass below
        }
        for (int i = 0; i < n; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            int o = oOff + i;
            switch (op) {
                case EXP -> v.lanewise(VectorOperators.EXP).intoArray(out, o);
                case LOG -> v.lanewise(VectorOperators.LOG).intoArray(out, o);
                case SQRT -> v.sqrt().intoArray(out, o);
                case RSQRT -> FloatVector.broadcast(S, 1f).div(v.sqrt()).intoArray(out, o);
                case TANH -> v.lanewise(VectorOperators.TANH).intoArray(out, o);
                case SIGMOID -> FloatVector.broadcast(S, 1f)
                        .div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(out, o);
                case RELU -> v.max(0f).intoArray(out, o);
                case LEAKY_RELU -> v.blend(v.mul(p), v.compare(VectorOperators.LE, 0f)).intoArray(out, o);
                case GELU -> v.mul(0.5f).mul(FloatVector.fromArray(S, out, o).add(1f)).intoArray(out, o);
                case GELU_TANH -> v.mul(0.5f).mul(v.mul(v).mul(GELU_C).add(1f).mul(v).mul(SQRT_2_OVER_PI)
                        .lanewise(VectorOperators.TANH).add(1f)).intoArray(out, o);
                case SILU -> v.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(out, o);
                case ABS -> v.abs().intoArray(out, o);
                case NEG -> v.neg().intoArray(out, o);
                case SQUARE -> v.mul(v).intoArray(out, o);
                case POW -> v.lanewise(VectorOperators.POW, p).intoArray(out, o);
                case CLAMP -> v.max(p).min(q).intoArray(out, o);
            }
        }
    }

    /**
     * {@code gx = g * op'(v)} over {@code n} elements (a multiple of the vector length), where v is
     * the output y for {@link #usesOutput} ops and the input x otherwise.
     */
    private static void backward(UnaryOp op, float p, float q, float[] vs, int vOff, float[] gs, int gOff,
                                 float[] gx, int oOff, int n) {
        if (op == UnaryOp.GELU) {
            Erf.erfVectors(vs, vOff, INV_SQRT_2, gx, oOff, n); // gx holds erf(x/√2) for the pass below
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
                    FloatVector pdf = v.mul(v).mul(-0.5f).lanewise(VectorOperators.EXP).mul(INV_SQRT_2PI);
                    g.mul(cdf.add(v.mul(pdf))).intoArray(gx, o);
                }
                case GELU_TANH -> {
                    FloatVector t = v.mul(v).mul(GELU_C).add(1f).mul(v).mul(SQRT_2_OVER_PI)
                            .lanewise(VectorOperators.TANH);
                    FloatVector du = v.mul(v).mul(3 * GELU_C).add(1f).mul(SQRT_2_OVER_PI);
                    g.mul(t.add(1f).mul(0.5f).add(v.mul(0.5f).mul(t.mul(t).neg().add(1f)).mul(du))).intoArray(gx, o);
                }
                case SILU -> {
                    FloatVector s = FloatVector.broadcast(S, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f));
                    g.mul(s.mul(v.mul(s.neg().add(1f)).add(1f))).intoArray(gx, o);
                }
                case ABS -> FloatVector.zero(S).blend(g, v.compare(VectorOperators.GT, 0f))
                        .blend(g.neg(), v.compare(VectorOperators.LT, 0f)).intoArray(gx, o);
                case NEG -> g.neg().intoArray(gx, o);
                case SQUARE -> g.mul(v.add(v)).intoArray(gx, o);
                case POW -> g.mul(v.lanewise(VectorOperators.POW, p - 1).mul(p)).intoArray(gx, o);
                case CLAMP -> FloatVector.zero(S).blend(g,
                        v.compare(VectorOperators.GE, p).and(v.compare(VectorOperators.LE, q))).intoArray(gx, o);
            }
        }
    }
}
