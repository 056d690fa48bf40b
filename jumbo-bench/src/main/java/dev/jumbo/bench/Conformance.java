package dev.jumbo.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.jumbo.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The harness behind {@code bench conformance}: tinygrad's {@code helper_test_op} done from Java.
 * A {@link Case} names an op, its inputs and the same computation written twice, once with Jumbo
 * tensors and once with PyTorch arrays (DJL); {@link #run} feeds both the same random inputs, seeds
 * the differentiable outputs with the same random output gradient, and compares the forward values
 * and every input gradient.
 *
 * <p>An element agrees when {@code |jumbo - torch| <= tol * (1 + |torch|)} (absolute plus relative).
 */
final class Conformance {

    private Conformance() {
    }

    /** How an input's values are drawn. */
    enum Kind { FLOAT, INT, GRID }

    /**
     * One input: logical shape, values uniform in [lo, hi) (integers in [lo, hi) for INT), whether
     * its gradient is compared, and whether Jumbo gets it as a transposed (non-contiguous) view.
     */
    record In(int[] shape, Kind kind, float lo, float hi, boolean grad, boolean transposed) {

        static In f(int... shape) {
            return new In(shape, Kind.FLOAT, -1, 1, true, false);
        }

        static In pos(int... shape) {
            return new In(shape, Kind.FLOAT, 0.5f, 2, true, false);
        }

        static In ints(int hi, int... shape) {
            return new In(shape, Kind.INT, 0, hi, false, false);
        }

        /** Values on a 0.5 grid in [lo, hi], so that ties and exact kinks (0, clamp bounds) occur. */
        In grid() {
            return new In(shape, Kind.GRID, lo, hi, grad, transposed);
        }

        In range(float newLo, float newHi) {
            return new In(shape, kind, newLo, newHi, grad, transposed);
        }

        In noGrad() {
            return new In(shape, kind, lo, hi, false, transposed);
        }

        /** Jumbo sees this input as the transpose of a contiguous tensor (last two axes swapped). */
        In t() {
            if (shape.length < 2) {
                throw new IllegalArgumentException("conformance: transposed input needs rank >= 2, got "
                        + Arrays.toString(shape));
            }
            return new In(shape, kind, lo, hi, grad, true);
        }

        String str() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < shape.length; i++) {
                sb.append(i == 0 ? "" : "x").append(shape[i]);
            }
            return (shape.length == 0 ? "[]" : sb.toString()) + (transposed ? "^T" : "");
        }
    }

    /**
     * One comparison: {@code gradOutputs} leading outputs are differentiable and get a random output
     * gradient; the others (indices, running statistics) are compared by value only. A null
     * {@code torch} means PyTorch has no such op reachable through DJL.
     */
    record Case(String op, String label, double tol, List<In> inputs, int gradOutputs,
                Function<Tensor[], Tensor[]> jumbo, Function<NDArray[], NDArray[]> torch) {
    }

    /** A result row; diffs are null when not applicable, pass is null for "no peer". */
    record Row(String op, String label, Double forwardDiff, Double gradDiff, Double tol, Boolean pass, String note) {
    }

    /** Runs one case on both sides. Never throws: an exception on either side is a failing row. */
    static Row run(Case c, NDManager base, long seed) {
        if (c.torch() == null) {
            return new Row(c.op(), c.label(), null, null, null, null, "no peer");
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ (c.op() + "/" + c.label()).hashCode());
        float[][] data = new float[c.inputs().size()][];
        for (int i = 0; i < data.length; i++) {
            data[i] = draw(rnd, c.inputs().get(i));
        }
        try (NDManager m = base.newSubManager()) {
            Tensor[] jin = new Tensor[data.length];
            NDArray[] tin = new NDArray[data.length];
            for (int i = 0; i < data.length; i++) {
                jin[i] = jumboInput(c.inputs().get(i), data[i]);
                tin[i] = torchInput(m, c.inputs().get(i), data[i]);
            }
            Tensor[] jout = c.jumbo().apply(jin);
            float[][] seeds = new float[c.gradOutputs()][];
            for (int o = 0; o < c.gradOutputs(); o++) {
                seeds[o] = draw(rnd, new In(jout[o].shape(), Kind.FLOAT, -1, 1, false, false));
                // Each output's graph is walked separately; gradients add up in the leaves.
                jout[o].backward(Tensor.of(seeds[o].clone(), jout[o].shape()), true);
            }
            NDArray[] tout;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                tout = c.torch().apply(tin);
                NDArray loss = null;
                for (int o = 0; o < c.gradOutputs(); o++) {
                    NDArray term = tout[o].mul(m.create(seeds[o], tout[o].getShape())).sum();
                    loss = loss == null ? term : loss.add(term);
                }
                if (loss != null) {
                    gc.backward(loss);
                }
            }
            if (jout.length != tout.length) {
                return fail(c, "Jumbo gave " + jout.length + " outputs, PyTorch " + tout.length);
            }
            double fwd = 0;
            boolean ok = true;
            for (int o = 0; o < jout.length; o++) {
                long[] ts = tout[o].getShape().getShape();
                if (!Arrays.equals(Arrays.stream(jout[o].shape()).asLongStream().toArray(), ts)) {
                    return fail(c, "output " + o + " shape " + Arrays.toString(jout[o].shape()) + " vs PyTorch "
                            + Arrays.toString(ts));
                }
                double[] d = diff(floats(jout[o]), floats(tout[o]), c.tol());
                fwd = Math.max(fwd, d[0]);
                ok &= d[1] == 0;
            }
            Double grad = null;
            for (int i = 0; i < data.length && c.gradOutputs() > 0; i++) {
                if (!c.inputs().get(i).grad()) {
                    continue;
                }
                Tensor jg = jin[i].grad();
                float[] jgv = jg == null ? new float[data[i].length] : jg.toFloatArray();
                float[] tgv;
                try (NDArray tg = tin[i].getGradient()) {
                    tgv = tg.toFloatArray();
                }
                double[] d = diff(jgv, tgv, c.tol());
                grad = Math.max(grad == null ? 0 : grad, d[0]);
                ok &= d[1] == 0;
            }
            return new Row(c.op(), c.label(), fwd, grad, c.tol(), ok, ok ? "" : "out of tolerance");
        } catch (RuntimeException e) {
            return fail(c, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Row fail(Case c, String why) {
        return new Row(c.op(), c.label(), null, null, c.tol(), false, why);
    }

    /** {max |a-b|, count of elements out of tolerance (NaN counts)}. */
    private static double[] diff(float[] jumbo, float[] torch, double tol) {
        if (jumbo.length != torch.length) {
            return new double[] {Double.NaN, 1};
        }
        double max = 0;
        int bad = 0;
        for (int i = 0; i < jumbo.length; i++) {
            // equal infinities agree, and so do NaNs on both sides (e.g. log of a negative number)
            boolean same = jumbo[i] == torch[i] || Float.isNaN(jumbo[i]) && Float.isNaN(torch[i]);
            double d = same ? 0 : Math.abs((double) jumbo[i] - torch[i]);
            if (!(d <= tol * (1 + Math.abs(torch[i])))) {
                bad++;
            }
            max = Double.isNaN(d) ? Double.NaN : Math.max(max, d);
        }
        return new double[] {max, bad};
    }

    private static float[] draw(SplittableRandom rnd, In in) {
        int n = 1;
        for (int s : in.shape()) {
            n *= s;
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = switch (in.kind()) {
                case INT -> rnd.nextInt((int) in.lo(), (int) in.hi());
                case GRID -> in.lo() + 0.5f * rnd.nextInt((int) (2 * (in.hi() - in.lo())) + 1);
                case FLOAT -> (float) (in.lo() + rnd.nextDouble() * (in.hi() - in.lo()));
            };
        }
        return a;
    }

    private static Tensor jumboInput(In in, float[] d) {
        if (in.kind() == Kind.INT) {
            int[] v = new int[d.length];
            for (int i = 0; i < d.length; i++) {
                v[i] = (int) d[i];
            }
            return Tensor.ofInts(v, in.shape());
        }
        Tensor t;
        if (in.transposed()) {
            int r = in.shape().length;
            int[] phys = in.shape().clone();
            phys[r - 2] = in.shape()[r - 1];
            phys[r - 1] = in.shape()[r - 2];
            t = Tensor.of(swapLastTwo(d, in.shape()), phys).transpose(r - 2, r - 1).detach();
            if (t.isContiguous() && in.shape()[r - 1] > 1 && in.shape()[r - 2] > 1) {
                throw new IllegalStateException("conformance: transposed input came out contiguous");
            }
        } else {
            t = Tensor.of(d.clone(), in.shape());
        }
        return in.grad() ? t.requiresGrad(true) : t;
    }

    /** The row-major data of the array with shape [..., c, r] whose transpose has data d of shape [..., r, c]. */
    private static float[] swapLastTwo(float[] d, int[] shape) {
        int r = shape[shape.length - 2];
        int c = shape[shape.length - 1];
        float[] p = new float[d.length];
        for (int b = 0; b < d.length; b += r * c) {
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    p[b + j * r + i] = d[b + i * c + j];
                }
            }
        }
        return p;
    }

    private static NDArray torchInput(NDManager m, In in, float[] d) {
        Shape s = new Shape(Arrays.stream(in.shape()).asLongStream().toArray());
        if (in.kind() == Kind.INT) {
            long[] v = new long[d.length];
            for (int i = 0; i < d.length; i++) {
                v[i] = (long) d[i];
            }
            return m.create(v, s);
        }
        NDArray a = m.create(d, s);
        if (in.grad()) {
            a.setRequiresGradient(true);
        }
        return a;
    }

    private static float[] floats(Tensor t) {
        if (t.isFloat()) {
            return t.toFloatArray();
        }
        int[] v = t.toIntArray();
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }

    private static float[] floats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, false)) {
            return f.toFloatArray();
        }
    }

    /** The PyTorch array behind a DJL array, for the {@link JniUtils} functions. */
    static PtNDArray pt(NDArray a) {
        return (PtNDArray) a;
    }
}
