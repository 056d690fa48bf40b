package dev.jumbo.tensor;

import dev.jumbo.kernels.Binary;
import dev.jumbo.kernels.BinaryOp;
import dev.jumbo.kernels.UnaryOp;

/**
 * Binary arithmetic with NumPy broadcasting, comparisons, {@code where} and {@code maskedFill}.
 *
 * <p>Operands may be any views: same-shape contiguous operands and scalar operands take the flat
 * vector kernel, everything else the strided kernel (stride 0 for broadcast dimensions), so no
 * operand is copied. Backward sums each gradient back to its input's shape with
 * {@link Tensor#sumTo(int...)}. INT32 operands are converted to FLOAT32 and results are always
 * FLOAT32 (comparisons return 0/1 floats and record no tape).
 *
 * <pre>{@code
 * Tensor y = ElementwiseOps.add(Tensor.ones(3, 1, 4), Tensor.ones(2, 4)); // [3,2,4]
 * Tensor m = ElementwiseOps.binary(BinaryOp.GT, y, Tensor.scalar(1.5f));   // 0/1 mask
 * }</pre>
 */
public final class ElementwiseOps {
    private ElementwiseOps() {}

    public static Tensor add(Tensor a, Tensor b) {
        return binary(BinaryOp.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary(BinaryOp.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary(BinaryOp.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return binary(BinaryOp.DIV, a, b);
    }

    /** {@code a ** b} elementwise; the gradient for b uses log(a), so keep a positive where b learns. */
    public static Tensor pow(Tensor a, Tensor b) {
        return binary(BinaryOp.POW, a, b);
    }

    /** Elementwise max; on ties each input gets half the gradient (as in PyTorch). */
    public static Tensor maximum(Tensor a, Tensor b) {
        return binary(BinaryOp.MAX, a, b);
    }

    public static Tensor minimum(Tensor a, Tensor b) {
        return binary(BinaryOp.MIN, a, b);
    }

    public static Tensor add(Tensor a, float s) {
        return binary(BinaryOp.ADD, a, Tensor.scalar(s));
    }

    public static Tensor sub(Tensor a, float s) {
        return binary(BinaryOp.SUB, a, Tensor.scalar(s));
    }

    /** {@code s - a}. */
    public static Tensor rsub(float s, Tensor a) {
        return binary(BinaryOp.SUB, Tensor.scalar(s), a);
    }

    public static Tensor mul(Tensor a, float s) {
        return binary(BinaryOp.MUL, a, Tensor.scalar(s));
    }

    public static Tensor div(Tensor a, float s) {
        return binary(BinaryOp.DIV, a, Tensor.scalar(s));
    }

    /** {@code s / a}. */
    public static Tensor rdiv(float s, Tensor a) {
        return binary(BinaryOp.DIV, Tensor.scalar(s), a);
    }

    /** {@code -a}. */
    public static Tensor neg(Tensor a) {
        return binary(BinaryOp.MUL, a, Tensor.scalar(-1f));
    }

    /** {@code a == b} as a FLOAT32 0/1 tensor (broadcasting, no gradient). */
    public static Tensor eq(Tensor a, Tensor b) {
        return binary(BinaryOp.EQ, a, b);
    }

    /** {@code a != b} as a FLOAT32 0/1 tensor (broadcasting, no gradient). */
    public static Tensor ne(Tensor a, Tensor b) {
        return binary(BinaryOp.NE, a, b);
    }

    /** {@code a < b} as a FLOAT32 0/1 tensor (broadcasting, no gradient). */
    public static Tensor lt(Tensor a, Tensor b) {
        return binary(BinaryOp.LT, a, b);
    }

    /** {@code a <= b} as a FLOAT32 0/1 tensor (broadcasting, no gradient). */
    public static Tensor le(Tensor a, Tensor b) {
        return binary(BinaryOp.LE, a, b);
    }

    /** {@code a > b} as a FLOAT32 0/1 tensor (broadcasting, no gradient). */
    public static Tensor gt(Tensor a, Tensor b) {
        return binary(BinaryOp.GT, a, b);
    }

    /** {@code a >= b} as a FLOAT32 0/1 tensor (broadcasting, no gradient). */
    public static Tensor ge(Tensor a, Tensor b) {
        return binary(BinaryOp.GE, a, b);
    }

    /**
     * Applies {@code op} with broadcasting; the one entry point behind all arithmetic and
     * comparisons above. Comparisons return a FLOAT32 0/1 tensor without gradient.
     */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        String name = op.opName();
        Tensor af = asFloat(a);
        Tensor bf = asFloat(b);
        Tensor y = compute(op, af, bf);
        if (Profiler.enabled()) {
            Profiler.record(name, 0, y.numel());
        }
        if (op.isComparison()) {
            return y;
        }
        return Autograd.record(name, y, g -> backward(op, g, af, bf, y), a, b);
    }

    /** The forward kernel call alone: no tape, no profiler count (backward passes build on it). */
    static Tensor compute(BinaryOp op, Tensor af, Tensor bf) {
        int[] shape = Shapes.broadcast(op.opName(), af.shape, bf.shape);
        int n = Shapes.numel(shape);
        float[] out = new float[n];
        float[] ad = af.data();
        float[] bd = bf.data();
        boolean aFull = Shapes.same(af.shape, shape) && af.isContiguous();
        boolean bFull = Shapes.same(bf.shape, shape) && bf.isContiguous();
        if (aFull && bFull) {
            Binary.apply(op, ad, af.offset, bd, bf.offset, out, 0, n);
        } else if (aFull && bf.numel() == 1) {
            Binary.applyScalar(op, ad, af.offset, bd[bf.offset], false, out, 0, n);
        } else if (bFull && af.numel() == 1) {
            Binary.applyScalar(op, bd, bf.offset, ad[af.offset], true, out, 0, n);
        } else if (n > 0) {
            Binary.strided(op, ad, af.offset, broadcastStrides(af, shape), bd, bf.offset, broadcastStrides(bf, shape),
                    shape, out, 0);
        }
        return Tensor.of(out, shape);
    }

    /**
     * Gradients of {@code y = a op b} for the inputs that need them, summed to their shapes. Built
     * from {@link #compute} so that the profiler counts this work once, as "op.backward".
     */
    private static Tensor[] backward(BinaryOp op, Tensor g, Tensor a, Tensor b, Tensor y) {
        boolean ga = a.requiresGrad;
        boolean gb = b.requiresGrad;
        long[] work = {0};
        Tensor da = null;
        Tensor db = null;
        switch (op) {
            case ADD -> {
                da = ga ? g : null;
                db = gb ? g : null;
            }
            case SUB -> {
                da = ga ? g : null;
                db = gb ? raw(BinaryOp.MUL, g, Tensor.scalar(-1f), work) : null;
            }
            case MUL -> {
                da = ga ? raw(BinaryOp.MUL, g, b, work) : null;
                db = gb ? raw(BinaryOp.MUL, g, a, work) : null;
            }
            case DIV -> {
                da = ga ? raw(BinaryOp.DIV, g, b, work) : null;
                // d(a/b)/db = -y/b
                db = gb ? raw(BinaryOp.DIV, raw(BinaryOp.MUL, g, y, work), raw(BinaryOp.MUL, b, Tensor.scalar(-1f), work),
                        work) : null;
            }
            case POW -> {
                if (ga) {
                    Tensor bm1 = raw(BinaryOp.SUB, b, Tensor.scalar(1f), work);
                    da = raw(BinaryOp.MUL, g, raw(BinaryOp.MUL, b, raw(BinaryOp.POW, a, bm1, work), work), work);
                }
                if (gb) {
                    Tensor logA = UnaryOps.compute(UnaryOp.LOG, 0, 0, a.contiguous());
                    work[0] += logA.numel();
                    db = raw(BinaryOp.MUL, g, raw(BinaryOp.MUL, y, logA, work), work);
                }
            }
            case MAX, MIN -> {
                // the winner takes the gradient; a tie splits it in half (as in PyTorch)
                BinaryOp wins = op == BinaryOp.MAX ? BinaryOp.GT : BinaryOp.LT;
                Tensor half = raw(BinaryOp.MUL, raw(BinaryOp.EQ, a, b, work), Tensor.scalar(0.5f), work);
                Tensor share = raw(BinaryOp.ADD, raw(wins, a, b, work), half, work);
                da = ga ? raw(BinaryOp.MUL, g, share, work) : null;
                db = gb ? raw(BinaryOp.MUL, g, raw(BinaryOp.SUB, Tensor.scalar(1f), share, work), work) : null;
            }
            default -> throw new IllegalStateException(op + " has no gradient");
        }
        Tensor[] out = {reduceTo(da, a.shape, work), reduceTo(db, b.shape, work)};
        if (Profiler.enabled()) {
            Profiler.record(op.opName() + ".backward", 0, work[0]);
        }
        return out;
    }

    private static Tensor raw(BinaryOp op, Tensor a, Tensor b, long[] work) {
        Tensor t = compute(op, a, b);
        work[0] += t.numel();
        return t;
    }

    /** {@code g.sumTo(shape)}, counting one add per gradient element when it reduces. */
    private static Tensor reduceTo(Tensor g, int[] shape, long[] work) {
        if (g == null) {
            return null;
        }
        if (!Shapes.same(g.shape, shape)) {
            work[0] += g.numel();
        }
        return g.sumTo(shape);
    }

    /**
     * {@code cond ? a : b} elementwise with broadcasting over all three; {@code cond} may be float or
     * int, nonzero meaning true. Differentiable in a and b.
     *
     * <pre>{@code
     * Tensor y = ElementwiseOps.where(x.gt(Tensor.scalar(0)), x, Tensor.scalar(0)); // relu
     * }</pre>
     */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast("where", cond.shape, Shapes.broadcast("where", a.shape, b.shape));
        boolean[] c = truth(cond, shape);
        float[] av = gather(asFloat(a), shape);
        float[] bv = gather(asFloat(b), shape);
        int n = c.length;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = c[i] ? av[i] : bv[i];
        }
        Tensor y = Tensor.of(out, shape);
        if (Profiler.enabled()) {
            Profiler.record("where", 0, n);
        }
        return Autograd.record("where", y, g -> {
            float[] gv = g.contiguous().toFloatArray();
            float[] toA = new float[n];
            float[] toB = new float[n];
            for (int i = 0; i < n; i++) {
                if (c[i]) {
                    toA[i] = gv[i];
                } else {
                    toB[i] = gv[i];
                }
            }
            if (Profiler.enabled()) {
                Profiler.record("where.backward", 0, n);
            }
            return new Tensor[] {null, Tensor.of(toA, shape).sumTo(a.shape), Tensor.of(toB, shape).sumTo(b.shape)};
        }, cond, a, b);
    }

    /**
     * {@code x} with {@code value} wherever {@code mask} (float or int, broadcast to x's shape) is
     * nonzero. Differentiable in x (no gradient flows where the mask is set).
     */
    public static Tensor maskedFill(Tensor x, Tensor mask, float value) {
        int[] shape = Shapes.broadcast("maskedFill", x.shape, mask.shape);
        if (!Shapes.same(shape, x.shape)) {
            throw new IllegalArgumentException("maskedFill: mask " + Shapes.str(mask.shape) + " for a tensor "
                    + Shapes.str(x.shape) + ": expected a mask that broadcasts to " + Shapes.str(x.shape));
        }
        return where(mask, Tensor.scalar(value), x);
    }

    // ------------------------------------------------------------------ helpers

    /** The tensor itself when it holds heap floats; otherwise a float copy (INT32 is converted). */
    static Tensor asFloat(Tensor t) {
        if (t.storage instanceof FloatStorage) {
            return t;
        }
        if (t.storage instanceof IntStorage) {
            int[] v = t.toIntArray();
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = v[i];
            }
            return Tensor.of(f, t.shape);
        }
        return t.contiguous();
    }

    /** Strides that read {@code t} broadcast to {@code shape} (0 where t has size 1 or no axis). */
    static int[] broadcastStrides(Tensor t, int[] shape) {
        int lead = shape.length - t.shape.length;
        int[] st = new int[shape.length];
        for (int i = lead; i < shape.length; i++) {
            int d = t.shape[i - lead];
            st[i] = d == 1 && shape[i] != 1 ? 0 : t.strides[i - lead];
        }
        return st;
    }

    private static float[] gather(Tensor t, int[] shape) {
        float[] out = new float[Shapes.numel(shape)];
        Strided.gather(t.data(), t.offset, shape, broadcastStrides(t, shape), out, 0);
        return out;
    }

    private static boolean[] truth(Tensor cond, int[] shape) {
        int n = Shapes.numel(shape);
        boolean[] c = new boolean[n];
        if (cond.storage instanceof IntStorage is) {
            int[] v = new int[n];
            Strided.gather(is.data, cond.offset, shape, broadcastStrides(cond, shape), v, 0);
            for (int i = 0; i < n; i++) {
                c[i] = v[i] != 0;
            }
        } else {
            float[] v = gather(asFloat(cond), shape);
            for (int i = 0; i < n; i++) {
                c[i] = v[i] != 0f;
            }
        }
        return c;
    }
}
